// Times benchmark kernels in Node.js (V8) with the same method the .NET side uses: warm-up runs
// (so that V8 tiers the code up), then timed runs, each measured in wall-clock time and in CPU
// time of the process.
//
// usage: node kernels.mjs <warmup> <runs> <name>=<path.wasm>:<n> ...
//   runs each kernel in turn; prints one JSON line: [{name, result, timesMs, cpuMs}, ...]
// usage: node kernels.mjs --serve <name>=<path.wasm>:<n> ...
//   instantiates the kernels, prints "ready", then answers each line of stdin: "run <name>" runs
//   the kernel once and prints {name, result, ms, cpuMs} as one JSON line. The .NET suite uses
//   this to take turns with the engine run after run, so that both see the same machine load.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

async function load(specs) {
  const kernels = new Map();
  for (const spec of specs) {
    const [name, rest] = spec.split('=');
    const colon = rest.lastIndexOf(':');
    const { instance } = await WebAssembly.instantiate(readFileSync(rest.slice(0, colon)));
    kernels.set(name, { run: instance.exports.run, n: Number(rest.slice(colon + 1)) });
  }
  return kernels;
}

function timeOnce(kernel) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = kernel.run(kernel.n);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { result: String(result), ms, cpuMs: (cpu.user + cpu.system) / 1e3 };
}

const args = process.argv.slice(2);
if (args[0] === '--serve') {
  const kernels = await load(args.slice(1));
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, name] = line.trim().split(' ');
    const kernel = kernels.get(name);
    if (command !== 'run' || !kernel) {
      console.log(JSON.stringify({ error: `unknown request: ${line}` }));
      continue;
    }
    console.log(JSON.stringify({ name, ...timeOnce(kernel) }));
  }
} else {
  const [warmup, runs, ...specs] = args;
  const results = [];
  for (const [name, kernel] of await load(specs)) {
    for (let i = 0; i < Number(warmup); i++) kernel.run(kernel.n);
    const timesMs = [], cpuMs = [];
    let result;
    for (let i = 0; i < Number(runs); i++) {
      const t = timeOnce(kernel);
      timesMs.push(t.ms);
      cpuMs.push(t.cpuMs);
      result = t.result;
    }
    results.push({ name, result, timesMs, cpuMs });
  }
  console.log(JSON.stringify(results));
}
