// `nanospin demo`: the default job — a thermal switching-probability map of a macrospin over
// reversing field × temperature, on the best backend, written with its report.
import { parseFlags, helpText, type FlagSchema, runDirFlags } from './args.ts';
import { outputTarget } from '../runs/output.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { parseAxis } from '../sweeps/grid.ts';
import { runSwitchingMap, writeSwitchingMap, type SwitchingMapJob } from '../runs/switchingMap.ts';
import { progressReporter } from '../runs/progress.ts';
import { checkLlgBudget, describeEstimate } from '../runs/budget.ts';
import { stepsFor } from '../llg/run.ts';

const FLAGS: FlagSchema = {
  fields: { type: 'string', unit: 'meV', help: 'reversing-field axis from:to:count (field along −z)', default: '0:3:31' },
  temperatures: { type: 'string', unit: 'K', help: 'temperature axis from:to:count', default: '0:6:13' },
  trajectories: { type: 'int', help: 'trajectories per grid point', min: 1, max: 1 << 20, default: 128 },
  anisotropy: { type: 'number', unit: 'meV', help: 'uniaxial anisotropy K (easy axis z)', min: 0, minOpen: true, default: 1 },
  S: { type: 'number', help: 'spin length S', min: 0, minOpen: true, default: 1 },
  alpha: { type: 'number', help: 'Gilbert damping α', min: 0, minOpen: true, max: 100, default: 0.5 },
  tilt: { type: 'number', unit: 'rad', help: 'initial tilt from +z', min: 0, max: Math.PI / 2, default: 0.02 },
  dt: { type: 'number', unit: 'ps', help: 'time step', min: 0, minOpen: true, max: 10, default: 0.01 },
  time: { type: 'number', unit: 'ps', help: 'duration', min: 0, minOpen: true, default: 100 },
  seed: { type: 'int', help: 'noise seed', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend', default: 'auto' },
  ...runDirFlags('demo', 'print a JSON summary on stdout'),
};

export async function demoCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, FLAGS, 'demo');
  if (v.help) { process.stdout.write(helpText('demo', 'thermal switching-probability map of a macrospin (field × temperature)', FLAGS)); return 0; }
  const job: SwitchingMapJob = {
    fields: parseAxis(v.fields as string, '--fields'), temperatures: parseAxis(v.temperatures as string, '--temperatures'),
    trajectories: v.trajectories as number, anisotropy: v.anisotropy as number, S: v.S as number, alpha: v.alpha as number,
    tilt: v.tilt as number, dt: v.dt as number, time: v.time as number, seed: v.seed as number,
  };
  for (const B of job.fields) if (B < 0) throw new RangeError(`--fields: reversing field magnitudes must be ≥ 0 meV, got ${B}`);
  for (const T of job.temperatures) if (T < 0) throw new RangeError(`--temperatures must be ≥ 0 K, got ${T}`);
  const estimate = checkLlgBudget({
    points: job.fields.length * job.temperatures.length, trajectoriesPerPoint: job.trajectories, spins: 1,
    steps: Math.round(job.time / job.dt), bytesPerPoint: 1024,
    flags: { points: '--fields × --temperatures', trajectories: '--trajectories', steps: '--time/--dt' },
  });
  stepsFor(job.time, job.dt);
  const target = outputTarget(v.out as string | undefined, !!v.overwrite, 'demo', ['demo', ...argv]);
  const backend = await openBackend(v.backend as BackendRequest);
  try {
    const systems = job.fields.length * job.temperatures.length * job.trajectories;
    if (!v.quiet) process.stderr.write(`demo: ${job.fields.length} fields × ${job.temperatures.length} temperatures × ${job.trajectories} trajectories = ${systems} macrospins, ${Math.round(job.time / job.dt)} steps on ${backend.name} (${backend.adapter}); ${describeEstimate(estimate)}\n`);
    const map = await runSwitchingMap(backend, job, progressReporter('demo', !!v.quiet));
    const dir = await writeSwitchingMap(target, job, map);
    const r = map.result;
    const summary = { backend: r.backend, adapter: r.adapter, systems: r.trajectories, steps: r.steps, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond, out: dir, report: `${dir}/report.html` };
    if (v.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(`switching map of ${r.trajectories} macrospins on ${r.backend} (${r.adapter}) in ${r.seconds.toFixed(2)} s (${r.spinStepsPerSecond.toExponential(3)} spin-steps/s)\nreport: ${dir}/report.html\n`);
    return 0;
  } finally {
    backend.close();
  }
}
