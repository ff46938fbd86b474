// The Worker isolate's JavaScript heap while something else loads it: V8's
// Runtime.getHeapUsage over the inspector of tests/bench/workerd-edge.mjs
// (started with an INSPECTOR_PORT), asked every 50 ms. Prints the largest
// used and total heap seen. (The isolate's WebAssembly memory is not in this
// heap: the edge logs it after a streamed board.)
//
//   node tests/bench/worker-heap.mjs INSPECTOR_PORT SECONDS
import { connect } from './inspector.mjs';

const [port, seconds] = process.argv.slice(2);
if (!seconds) throw new Error('usage: worker-heap.mjs INSPECTOR_PORT SECONDS');

const { send, close } = await connect(port);
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
close();
const mb = (b) => (b / 1048576).toFixed(1);
console.log(`the Worker isolate's JavaScript heap over ${seconds} s (${samples} samples): used at most ${mb(used)} MB, heap size at most ${mb(total)} MB`);
