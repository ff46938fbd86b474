// The Worker isolate's JavaScript heap while something else loads it: V8's
// Runtime.getHeapUsage over the inspector of tests/bench/workerd-edge.mjs
// (started with an INSPECTOR_PORT), asked every 50 ms. Prints the largest
// used and total heap seen. (The isolate's WebAssembly memory is not in this
// heap: the edge logs it after a streamed board.)
//
//   node tests/bench/worker-heap.mjs INSPECTOR_PORT SECONDS
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const [port, seconds] = process.argv.slice(2);
if (!seconds) throw new Error('usage: worker-heap.mjs INSPECTOR_PORT SECONDS');

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
const until = Date.now() + Number(seconds) * 1000;
let used = 0;
let total = 0;
let samples = 0;
while (Date.now() < until) {
  const { result } = await send('Runtime.getHeapUsage');
  if (result) {
    used = Math.max(used, result.usedSize);
    total = Math.max(total, result.totalSize);
    samples += 1;
  }
  await new Promise((r) => setTimeout(r, 50));
}
ws.close();
const mb = (b) => (b / 1048576).toFixed(1);
console.log(`the Worker isolate's JavaScript heap over ${seconds} s (${samples} samples): used at most ${mb(used)} MB, heap size at most ${mb(total)} MB`);
