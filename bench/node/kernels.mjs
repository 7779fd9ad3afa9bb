// Times benchmark kernels in Node.js (V8) with the same method the .NET side uses:
// a few warm-up runs (so that V8 tiers the code up), then timed runs, each measured both in
// wall-clock time and in CPU time of the process; prints one JSON line.
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
  const cpuMs = [];
  for (let i = 0; i < Number(runs); i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    result = run(n);
    timesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1e3);
  }
  results.push({ name, result: String(result), timesMs, cpuMs });
}
console.log(JSON.stringify(results));
