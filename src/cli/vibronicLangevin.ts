// `nanospin llg vibronic` (issue 13, item 6): the classical spin–lattice Langevin model of seed 003 — two
// classical spins on the LLG core coupled to one anharmonic mode (Φ Q³), Langevin baths on spins and mode —
// over a temperature sweep, beside Eq. 7 (quantum and classical limit) and the exact classical Boltzmann values.
// A resumable, shardable sweep over its temperatures (src/runs/sweepRun.ts).
import { parseFlags, helpText, UsageError, runDirFlags, splitSweeps, type FlagSchema } from './args.ts';
import { outputTarget, RunFailure, type OutputTarget } from '../runs/output.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { parseSweeps } from '../sweeps/params.ts';
import { checkLlgBudget, describeEstimate, type LlgEstimate } from '../runs/budget.ts';
import { progressReporter } from '../runs/progress.ts';
import type { FieldOn } from '../models/vibronic/spinLattice.ts';
import {
  deviations, validateVibronicLangevinJob, vibronicLangevinFromArrays, vibronicLangevinPlan, vibronicLangevinSummary, writeVibronicLangevinRun,
  type VibronicLangevinJob, type VibronicLangevinResult,
} from '../runs/vibronicLangevin.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';

export const VIBRONIC_LANGEVIN_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: 'temperature sweep T=from:to:count (K, all > 0); e.g. --sweep T=2:40:8' },
  temperature: { type: 'number', unit: 'K', help: 'temperature when T is not swept', min: 0, minOpen: true, default: 10 },
  J: { type: 'number', unit: 'meV', help: 'exchange J of H_k = J S1·S2 (J > 0 antiferromagnetic, as the paper\'s J_k); core pair tensor −J S²', default: 1 },
  A: { type: 'number', unit: 'meV', help: 'spin–lattice coupling A per unit Q: energy A Q S^z (core: A·S on the unit vector)', default: 0.5 },
  omega0: { type: 'number', unit: 'meV', help: 'mode energy ω0 (classical mode energy (ω0/4)(Q² + P²))', min: 0, minOpen: true, default: 1 },
  Phi: { type: 'number', unit: 'meV', help: 'cubic anharmonicity Φ (energy Φ Q³); the well\'s barrier ω0³/(432Φ²) must be ≥ 10 k_BT', default: 0.002 },
  gamma: { type: 'number', unit: '1/ps', help: 'Langevin friction γ on the mode\'s P', min: 0, max: 1e4, default: 1 },
  S: { type: 'number', help: 'spin length S of both classical spins', min: 0, minOpen: true, max: 1e4, default: 1 },
  alpha: { type: 'number', help: 'Gilbert damping α of both spins (≈ 1 relaxes fastest)', min: 0, max: 100, default: 0.5 },
  'field-on': { type: 'enum', values: ['first', 'both'], help: 'the coupling A Q S^z acts on S1 only (H_k as printed) or on both spins', default: 'first' },
  trajectories: { type: 'int', help: 'Langevin trajectories per temperature', min: 2, max: 2 ** 22, default: 256 },
  dt: { type: 'number', unit: 'ps', help: 'time step (the spins\' Heun step is weak order 1: at 0.02 ps and α = 0.5–1 their averages are biased by ≲ 1 % of ⟨(m^z)²⟩ and several % of a small moment; halve dt to check)', min: 0, minOpen: true, max: 10, default: 0.01 },
  time: { type: 'number', unit: 'ps', help: 'duration of each trajectory', min: 0, minOpen: true, default: 300 },
  'average-from': { type: 'number', unit: 'ps', help: 'start of the time average: equilibration before it must be ≫ 1/γ and the spins\' relaxation time (slow for an AFM pair at k_BT ≪ J S², whose Néel axis hops in the induced easy axis); a result > 4σ from the exact classical value is flagged', min: 0, default: 100 },
  seed: { type: 'int', help: 'noise seed', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' },
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('llg-vibronic', 'print {backend, model, …, points:[{T, Q, QStderr, moment, momentStderr, QEq7Classical, QEq7, QOscillator, QExact, momentExact, momentEq7Classical, …}]} as one JSON object on stdout'),
};

export const VIBRONIC_LANGEVIN_SUMMARY = 'seed-003 classical spin–lattice Langevin model: two classical spins on the LLG core coupled to an anharmonic mode (Φ Q³, Langevin bath), ⟨Q⟩(T) and the moment vs Eq. 7 (quantum and classical limit) and the exact classical Boltzmann values';

/** Temperatures one run takes. */
const MAX_TEMPERATURES = 4096;
/** Host bytes per temperature point: its packed row and the per-point reductions. */
const BYTES_PER_POINT = 4096;

export interface VibronicLangevinCli {
  job: VibronicLangevinJob; estimate: LlgEstimate; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments after `llg vibronic` with a --sweep-file expanded (what the manifest records). */
  argv: string[];
  sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function vibronicLangevinFromFlags(given0: string[]): VibronicLangevinCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'llg vibronic', flags: VIBRONIC_LANGEVIN_FLAGS, sweepable: ['T'] }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, VIBRONIC_LANGEVIN_FLAGS, 'llg vibronic');
  if (v.help) return 'help';
  let temperatures: number[];
  try {
    const axes = parseSweeps(sweeps, ['T'], MAX_TEMPERATURES);
    if (axes.length && given.has('temperature')) throw new UsageError('--temperature and --sweep T=… both given; keep one');
    temperatures = axes.length ? Array.from(axes[0].values) : [v.temperature as number];
  } catch (e) { throw e instanceof UsageError ? e : new UsageError((e as Error).message); }
  if (temperatures.some(T => !(T > 0))) throw new UsageError(`--sweep T: temperatures must be > 0 K (the classical Boltzmann state needs T > 0), got ${Math.min(...temperatures)}`);
  const job: VibronicLangevinJob = {
    model: {
      J: v.J as number, A: v.A as number, omega0: v.omega0 as number, Phi: v.Phi as number, gamma: v.gamma as number, S: v.S as number,
      alpha: v.alpha as number, fieldOn: v['field-on'] as FieldOn,
    },
    temperatures, trajectories: v.trajectories as number, dt: v.dt as number, time: v.time as number, averageFrom: v['average-from'] as number, seed: v.seed as number,
  };
  if (job.averageFrom >= job.time) throw new UsageError(`--average-from must be < --time (${job.time} ps), got ${job.averageFrom}`);
  let steps: number, estimate: LlgEstimate;
  try {
    steps = validateVibronicLangevinJob(job);
    estimate = checkLlgBudget({ points: temperatures.length, trajectoriesPerPoint: job.trajectories, spins: 2, steps, bytesPerPoint: BYTES_PER_POINT,
      flags: { points: '--sweep', trajectories: '--trajectories', steps: '--time/--dt' } });
  } catch (e) { throw new UsageError((e as Error).message); }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { job, estimate, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/llg-vibronic-${stamp}`, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

/** The writer: refuses a sweep with nothing to average, else the run directory. */
function writeChecked(target: OutputTarget, r: VibronicLangevinResult): Promise<string> {
  if (r.points.every(p => p.used < 2)) throw new RunFailure('llg vibronic: every trajectory left the metastable well or became non-finite; nothing to average (lower |Phi|, T or --dt)');
  return writeVibronicLangevinRun(target, r);
}

export async function llgVibronicCommand(argv: string[]): Promise<number> {
  const parsed = vibronicLangevinFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('llg vibronic', VIBRONIC_LANGEVIN_SUMMARY, VIBRONIC_LANGEVIN_FLAGS)); return 0; }
  const command = ['llg', 'vibronic', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'llg-vibronic', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const { job } = parsed;
    const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`llg vibronic: ${s}\n`); };
    log(`${job.temperatures.length} temperature${job.temperatures.length === 1 ? '' : 's'} × ${job.trajectories} trajectories, ${Math.round(job.time / job.dt)} steps on ${backend.name} (${backend.adapter}); ${describeEstimate(parsed.estimate)}`);
    let r: VibronicLangevinResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: vibronicLangevinPlan(backend, job, sweepIdentity(command)), target, backend, onProgress: progressReporter('llg vibronic', parsed.quiet), log,
      write: (t, d, i) => writeChecked(t, r = vibronicLangevinFromArrays(job, d, i)),
    });
    if (shard || !r) { reportShard({ command: 'llg vibronic', shard: shard!, dir, info, json: parsed.json }); return 0; }
    const escaped = r.points.reduce((s, p) => s + p.escaped, 0);
    if (!parsed.quiet) {
      if (escaped > 0) process.stderr.write(`llg vibronic: warning: ${escaped} trajectories left the metastable well (or became non-finite) and are not in the averages\n`);
      for (const d of deviations(r)) process.stderr.write(`llg vibronic: warning: T = ${d.T} K: Langevin ${d.what} is ${d.sigmas.toFixed(1)} standard errors from the exact classical value\n`);
    }
    if (parsed.json) process.stdout.write(JSON.stringify({ ...vibronicLangevinSummary(r), out: dir }) + '\n');
    else {
      const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : 'NaN');
      for (const p of r.points) {
        process.stdout.write(`T ${p.T.toFixed(2).padStart(7)} K  ⟨Q⟩ ${f(p.Q)} ± ${f(p.QStderr)} (exact ${f(p.QExact)}, Eq. 7 classical ${f(p.QEq7Classical)}, quantum ${f(p.QEq7)})  ` +
          `moment ${f(p.moment)} ± ${f(p.momentStderr)} (exact ${f(p.momentExact)}, static Eq. 7 field ${f(p.momentEq7Classical)})\n`);
      }
      process.stdout.write(`Langevin ${r.seconds.langevin.toFixed(2)} s (${r.spinStepsPerSecond.toExponential(3)} spin-steps/s), references ${r.seconds.references.toFixed(2)} s\nrun directory: ${dir}\n`);
    }
    return 0;
  } finally { backend.close(); }
}

/** `nanospin merge` of `llg vibronic` shards: the same writer (and references) on the joined arrays. */
export async function llgVibronicMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = vibronicLangevinFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeChecked(target, vibronicLangevinFromArrays(parsed.job, data, info));
}
