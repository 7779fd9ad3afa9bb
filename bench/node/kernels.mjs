// Times benchmark kernels in Node.js (V8) with the same method the .NET side uses:
// a few warm-up runs (so that V8 tiers the code up), then timed runs; prints one JSON line.
// usage: node kernels.mjs <warmup> <runs> <name>=<path.wasm>:<n> ...
import { readFileSync } from 'node:fs';

const [warmup, runs, ...specs] = process.argv.slice(2);
const results = [];
for (const spec of specs) {
  const [name, rest] = spec.split('=');
  const colon = rest.lastIndexOf(':');
  const path = rest.slice(0, colon);
  const n = Number(rest.slice(colon + 1));
  const { instance } = await WebAssembly.instantiate(readFileSync(path));
  const run = instance.exports.run;
  let result;
  for (let i = 0; i < Number(warmup); i++) result = run(n);
  const timesMs = [];
  for (let i = 0; i < Number(runs); i++) {
    const start = process.hrtime.bigint();
    result = run(n);
    timesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  results.push({ name, result: String(result), timesMs });
}
console.log(JSON.stringify(results));
