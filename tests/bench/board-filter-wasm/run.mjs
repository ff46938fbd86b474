// The board's filter per keystroke as WebAssembly in V8 (Node), without the
// browser: this directory's crate (src/lib.rs), built by scripts/bench.sh as
// the app builds the crate. Usage: node run.mjs <board_filter_wasm.wasm>
// Prints percentiles per size and the slowest keystrokes; asserts nothing.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: node run.mjs <board_filter_wasm.wasm>');
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const wasm = instance.exports;

const pct = (sorted, p) => sorted[Math.round((sorted.length - 1) * p)];
const text = (i) => {
  const where = wasm.keystroke_text(i);
  const at = Number(where >> 32n), len = Number(where & 0xffffffffn);
  return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, at, len));
};

for (const size of [10000, 100000]) {
  const count = wasm.setup(size);
  const times = [];
  const worst = new Map();
  // Three rounds, as the native bench and the app bench type them.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      wasm.keystroke(i);
      const ms = performance.now() - t;
      times.push(ms);
      worst.set(i, Math.max(worst.get(i) ?? 0, ms));
    }
  }
  times.sort((a, b) => a - b);
  const label = size.toLocaleString('en-US');
  console.log(`board filter per keystroke, ${label} cases, wasm in Node: p50 ${pct(times, 0.5).toFixed(2)} ms, p95 ${pct(times, 0.95).toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms (n=${times.length})`);
  const slowest = [...worst].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`  slowest keystrokes (the box then holding): ${slowest.map(([i, ms]) => `"${text(i)}" ${ms.toFixed(1)} ms`).join(', ')}`);
}
