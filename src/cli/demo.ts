// `nanospin demo`: the default job — a thermal switching-probability map of a macrospin over
// reversing field × temperature, on the best backend, written with its report.
import { parseFlags, helpText, type FlagSchema, type FlagValue, runDirFlags } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { parseAxis } from '../sweeps/grid.ts';
import { switchingMapFromArrays, switchingPlan, writeSwitchingMap, type SwitchingMapJob } from '../runs/switchingMap.ts';
import { progressReporter } from '../runs/progress.ts';
import { checkLlgBudget, describeEstimate, type LlgEstimate } from '../runs/budget.ts';
import { stepsFor } from '../llg/run.ts';

export const FLAGS: FlagSchema = {
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
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('demo', 'print a JSON summary on stdout'),
};

/** The job from the flags, checked (sizes from the flags alone, before anything is allocated). */
export function demoJobFromFlags(given0: string[]): { job: SwitchingMapJob; v: Record<string, FlagValue>; estimate: LlgEstimate; argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile } } | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'demo', flags: FLAGS, axisFlags: ['fields', 'temperatures'] }), argv = sweepFile.argv;
  const { values: v } = parseFlags(argv, FLAGS, 'demo');
  if (v.help) return 'help';
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
  return { job, v, estimate, argv, sweepFile };
}

export async function demoCommand(argv: string[]): Promise<number> {
  const parsed = demoJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('demo', 'thermal switching-probability map of a macrospin (field × temperature)', FLAGS)); return 0; }
  const { job, v, estimate } = parsed;
  const command = ['demo', ...parsed.argv];
  const target = withSweepFile(outputTarget(v.out as string | undefined, !!v.overwrite, 'demo', command), parsed.sweepFile);
  const backend = await openBackend(v.backend as BackendRequest);
  const log = (s: string) => { if (!v.quiet) process.stderr.write(`demo: ${s}\n`); };
  try {
    const systems = job.fields.length * job.temperatures.length * job.trajectories;
    log(`${job.fields.length} fields × ${job.temperatures.length} temperatures × ${job.trajectories} trajectories = ${systems} macrospins, ${Math.round(job.time / job.dt)} steps on ${backend.name} (${backend.adapter}); ${describeEstimate(estimate)}`);
    const { dir, shard, info } = await runSweepCommand({
      plan: switchingPlan(backend, job, sweepIdentity(command)), target, backend, onProgress: progressReporter('demo', !!v.quiet), log,
      write: (t, d, i) => writeSwitchingMap(t, job, switchingMapFromArrays(job, d, i)),
    });
    const steps = Math.round(job.time / job.dt), rate = info.resumedChunks === 0 && info.seconds > 0 ? systems * steps / info.seconds : null;
    const summary = { backend: info.backend, adapter: info.adapter, systems, steps, seconds: info.seconds, spinStepsPerSecond: rate, resumedChunks: info.resumedChunks, ...(shard ? { shard } : {}), out: dir, report: `${dir}/report.html` };
    if (v.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(`${shard ? `shard ${shard.k}/${shard.N} of a ` : ''}switching map of ${systems} macrospins on ${info.backend} (${info.adapter}) in ${info.seconds.toFixed(2)} s${rate ? ` (${rate.toExponential(3)} spin-steps/s)` : ''}\n${shard ? 'shard directory' : 'report'}: ${shard ? dir : `${dir}/report.html`}\n`);
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of demo shards: the same writer, on the joined arrays. */
export async function demoMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = demoJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeSwitchingMap(target, parsed.job, switchingMapFromArrays(parsed.job, data, info));
}
