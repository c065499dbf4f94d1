// `nanospin bench llg`: throughput of every backend in the same run (driver in bench/llg.ts).
import { parseFlags, helpText, UsageError, type FlagSchema } from './args.ts';

const FLAGS: FlagSchema = {
  systems: { type: 'int', help: 'macrospin systems in the ensemble', min: 1, max: 2 ** 26, default: 65536 },
  steps: { type: 'int', help: 'Heun steps per timed run on the GPU backends (webgpu, gpu.js-webgpu)', min: 1, default: 400 },
  'cpu-steps': { type: 'int', help: 'Heun steps per timed run on the CPU backends (cpu, gpu.js-cpu)', min: 1, default: 20 },
  rounds: { type: 'int', help: 'round-robin rounds; the best time per backend is kept', min: 1, max: 100, default: 3 },
  backends: { type: 'list', values: ['webgpu', 'cpu', 'gpu.js-webgpu', 'gpu.js-cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu,gpu.js-webgpu,gpu.js-cpu' },
  json: { type: 'bool', help: 'one JSON object per line per measurement' },
  help: { type: 'bool', help: 'show this help' },
};

export async function benchCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'llg') {
    if (what === '--help' || what === undefined) { process.stdout.write(helpText('bench llg', 'LLG throughput per backend', FLAGS)); return what ? 0 : 2; }
    throw new UsageError(`bench: unknown benchmark '${what}' (available: llg)`);
  }
  const { values: v } = parseFlags(rest, FLAGS, 'bench llg');
  if (v.help) { process.stdout.write(helpText('bench llg', 'LLG throughput per backend, same run, as ratios', FLAGS)); return 0; }
  const { runLlgBench, BENCH_BACKENDS } = await import('../../bench/llg.ts');
  const backends = String(v.backends).split(',') as (typeof BENCH_BACKENDS[number])[];
  const gpuSteps = v.steps as number, cpuSteps = v['cpu-steps'] as number;
  const lines = await runLlgBench({
    systems: v.systems as number, rounds: v.rounds as number, backends,
    steps: { webgpu: gpuSteps, 'gpu.js-webgpu': gpuSteps, cpu: cpuSteps, 'gpu.js-cpu': cpuSteps },
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0].machine;
    process.stdout.write(`LLG macrospin Heun step, ${v.systems} systems, best of ${v.rounds} rounds — ${m.cpus}× ${m.cpuModel}, node ${m.node}\n`);
    for (const l of lines) {
      process.stdout.write(`  ${l.backend.padEnd(14)} ${l.error ? `error: ${l.error}` : `${l.spinStepsPerSecond.toExponential(3)} spin-steps/s  (${l.steps} steps in ${l.seconds.toFixed(3)} s)  ×${(l.ratioToCpu ?? NaN).toFixed(2)} cpu`}\n      ${l.adapter}\n`);
    }
  }
  return lines.some(l => l.error) ? 1 : 0;
}
