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

const EXCHANGE_FLAGS: FlagSchema = {
  points: { type: 'int', help: 'μ points of the Fig. 2(a) sweep', min: 1, max: 100000, default: 401 },
  'cpu-points': { type: 'int', help: 'points the cpu backend actually runs (its sweep time is extrapolated)', min: 1, default: 21 },
  'webgpu-points': { type: 'int', help: 'points the webgpu backend actually runs', min: 1, default: 401 },
  window: { type: 'number', unit: 'meV', help: 'keldysh energy window', min: 0, minOpen: true, default: 200 },
  backends: { type: 'list', values: ['webgpu', 'cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu' },
  json: { type: 'bool', help: 'one JSON object per line per measurement' },
  help: { type: 'bool', help: 'show this help' },
};

const SOC_FLAGS: FlagSchema = {
  'map-points': { type: 'int', help: 'coupling-map points timed on the webgpu backend', min: 1, max: 2 ** 22, default: 4096 },
  'cpu-map-points': { type: 'int', help: 'coupling-map points timed on the cpu backend', min: 1, default: 256 },
  systems: { type: 'int', help: 'dimer systems (spin 1 pinned) timed on the webgpu backend', min: 1, max: 2 ** 24, default: 65536 },
  'cpu-systems': { type: 'int', help: 'dimer systems timed on the cpu backend', min: 1, default: 1024 },
  steps: { type: 'int', help: 'Heun steps timed on the webgpu backend', min: 1, default: 200 },
  'cpu-steps': { type: 'int', help: 'Heun steps timed on the cpu backend', min: 1, default: 20 },
  diagram: { type: 'string', help: 'switching diagram to estimate: μ_F points × V points × trajectories × steps', default: '128x128x256x2000' },
  backends: { type: 'list', values: ['webgpu', 'cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu' },
  json: { type: 'bool', help: 'one JSON object per line per backend' },
  help: { type: 'bool', help: 'show this help' },
};

export async function benchSocDimerCommand(rest: string[]): Promise<number> {
  const { values: v } = parseFlags(rest, SOC_FLAGS, 'bench soc-dimer');
  if (v.help) { process.stdout.write(helpText('bench soc-dimer', 'SOC dimer: coupling-map time per point, generalized-LLG spin-steps/s and the switching-diagram time, per backend', SOC_FLAGS)); return 0; }
  const d = String(v.diagram).split('x').map(Number);
  if (d.length !== 4 || !d.every(x => Number.isInteger(x) && x >= 1)) throw new UsageError(`--diagram must be MUxVxTRAJECTORIESxSTEPS with positive integers, got '${v.diagram}'`);
  const { runSocBench } = await import('../../bench/socDimer.ts');
  const lines = await runSocBench({
    backends: String(v.backends).split(',') as ('webgpu' | 'cpu')[],
    mapPoints: { webgpu: v['map-points'] as number, cpu: v['cpu-map-points'] as number },
    systems: { webgpu: v.systems as number, cpu: v['cpu-systems'] as number },
    steps: { webgpu: v.steps as number, cpu: v['cpu-steps'] as number },
    diagram: { muF: d[0], V: d[1], trajectories: d[2], steps: d[3] },
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0].machine;
    process.stdout.write(`SOC dimer (seed 001) — ${m.cpus}× ${m.cpuModel}, node ${m.node}; diagram ${d[0]}×${d[1]} points × ${d[2]} trajectories × ${d[3]} steps\n`);
    for (const l of lines) {
      process.stdout.write(l.error ? `  ${l.backend.padEnd(8)} error: ${l.error}\n` :
        `  ${l.backend.padEnd(8)} couplings ${(l.secondsPerMapPoint * 1e3).toFixed(3)} ms/point (${l.mapPoints} points, ×${(l.ratioToCpu?.map ?? NaN).toFixed(1)} cpu)  ` +
        `LLG ${l.spinStepsPerSecond.toExponential(3)} spin-steps/s (${l.systems} dimers × ${l.steps} steps, ×${(l.ratioToCpu?.llg ?? NaN).toFixed(1)} cpu)\n` +
        `           full diagram ≈ ${l.diagramSeconds.total.toExponential(2)} s (couplings ${l.diagramSeconds.couplings.toFixed(1)} s, Langevin ${l.diagramSeconds.langevin.toExponential(2)} s, Fokker–Planck on the host ${l.diagramSeconds.fokkerPlanck.toFixed(1)} s)\n      ${l.adapter}\n`);
    }
  }
  return lines.some(l => l.error) ? 1 : 0;
}

export async function benchExchangeCommand(rest: string[]): Promise<number> {
  const { values: v } = parseFlags(rest, EXCHANGE_FLAGS, 'bench exchange');
  if (v.help) { process.stdout.write(helpText('bench exchange', 'keldysh exchange sweep per backend, same run', EXCHANGE_FLAGS)); return 0; }
  const { runExchangeBench } = await import('../../bench/exchange.ts');
  const lines = await runExchangeBench({
    points: v.points as number, window: v.window as number, backends: String(v.backends).split(',') as ('webgpu' | 'cpu')[],
    measured: { cpu: v['cpu-points'] as number, webgpu: v['webgpu-points'] as number },
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0].machine;
    process.stdout.write(`Keldysh exchange, Fig. 2(a) μ sweep of ${v.points} points — ${m.cpus}× ${m.cpuModel}, node ${m.node}\n`);
    for (const l of lines) {
      process.stdout.write(`  ${l.backend.padEnd(8)} ${l.error ? `error: ${l.error}` : `${l.evaluationsPerSecond.toExponential(3)} evaluations/s  (${l.measuredPoints} points × ${l.gridPoints} energies in ${l.seconds.toFixed(2)} s; sweep ${l.sweepSeconds.toFixed(1)} s${l.measuredPoints < l.sweepPoints ? ' extrapolated' : ''})  ×${(l.ratioToCpu ?? NaN).toFixed(2)} cpu, max error vs Eq. 7 ${l.maxRelativeError.toExponential(2)}`}\n      ${l.adapter}\n`);
    }
  }
  return lines.some(l => l.error) ? 1 : 0;
}

export async function benchLlgCommand(rest: string[]): Promise<number> {
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
      process.stdout.write(`  ${l.backend.padEnd(14)} ${l.error ? `error: ${l.error}` : `${l.spinStepsPerSecond.toExponential(3)} spin-steps/s  (${l.steps} steps in ${l.seconds.toFixed(3)} s)  ×${(l.ratioToCpu ?? NaN).toFixed(2)} cpu${l.ratioToPeer !== undefined ? `, ×${l.ratioToPeer.toFixed(2)} gpu.js-webgpu` : ''}`}\n      ${l.adapter}\n`);
    }
  }
  return lines.some(l => l.error) ? 1 : 0;
}
