// A connection to the V8 inspector of the Worker that tests/bench/workerd-edge.mjs
// runs (started with an INSPECTOR_PORT): `send(method, params)` answers with
// the protocol's reply. Used by worker-profile.mjs and worker-heap.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

export async function connect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let last = 0;
  const waiting = new Map();
  ws.on('message', (m) => {
    const answer = JSON.parse(m);
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    const id = ++last;
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => ws.close() };
}
