// Where the Worker's own thread spends a stretch of time: V8's sampling
// profiler over the inspector of tests/bench/workerd-edge.mjs (started with
// an INSPECTOR_PORT), while something else loads the Worker. Prints the
// shares by part (idle, the Worker's Rust, the wasm-bindgen glue, the D1
// client's JavaScript, the runtime's builtins) and the busiest functions.
//
//   node tests/bench/worker-profile.mjs INSPECTOR_PORT SECONDS [OUT.cpuprofile]
import { writeFileSync } from 'node:fs';
import { connect } from './inspector.mjs';

const [port, seconds, out] = process.argv.slice(2);
if (!seconds) throw new Error('usage: worker-profile.mjs INSPECTOR_PORT SECONDS [OUT.cpuprofile]');

const { send, close } = await connect(port);
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 200 });
await send('Profiler.start');
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
const { profile } = (await send('Profiler.stop')).result;
close();
if (out) writeFileSync(out, JSON.stringify(profile));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const part = ({ functionName: f, url }) => {
  if (f === '(idle)') return 'idle (waiting: for D1, the network, the next request)';
  if (f === '(program)') return 'the runtime outside JavaScript';
  if (f === '(garbage collector)') return 'garbage collection';
  if (url.includes('d1-api')) return "D1's client (JavaScript: statements and answers to and from JSON)";
  if (/^(wasm-function|js-to-wasm|wasm-to-js)/.test(f)) return "the Worker's Rust (wasm)";
  if (url.endsWith('index.js')) return 'the wasm-bindgen glue (index.js)';
  if (url === '') return "the runtime's builtins (fetch, Response, streams, microtasks)";
  return `other: ${url.split('/').pop()}`;
};
const parts = new Map();
const functions = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id).callFrame;
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  parts.set(part(frame), (parts.get(part(frame)) ?? 0) + dt);
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}`.trim();
  functions.set(name, (functions.get(name) ?? 0) + dt);
});
const pct = (v) => `${((v / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`the Worker's thread over ${(total / 1e6).toFixed(1)} s, by part:`);
for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v)}  ${k}`);
console.log('busiest functions (own time):');
for (const [k, v] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${pct(v)}  ${k}`);
