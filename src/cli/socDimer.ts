// Flags shared by the seed-001 SOC-dimer commands, and `nanospin llg soc-dimer` / `nanospin switching
// soc-dimer`: the free spin's mean orientation (spin 1 pinned) from the Langevin ensemble and from the
// Fokker–Planck approximation, along a bias cut or over a (μ_F, V) map.
import { parseFlags, helpText, UsageError, runDirFlags, splitSweeps, type FlagSchema, type FlagValue } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { SOC_MODEL_FLAGS, socModelFromFlags } from './couplings.ts';
import { READINGS, spinModel, type Reading } from '../models/socDimer/spinModel.ts';
import type { DimerSetup } from '../models/socDimer/dynamics.ts';
import { socLangevinFromArrays, socLangevinPlan, type SocLangevinJob, type SocLangevinResult } from '../runs/socLangevin.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { writeSocLangevin, langevinSummary } from '../runs/socLangevinOutput.ts';
import { parseSweeps, sweepGrid, type SweepAxis } from '../sweeps/params.ts';
import { checkLlgBudget, describeEstimate, type LlgEstimate } from '../runs/budget.ts';
import { progressReporter } from '../runs/progress.ts';
import { KB } from '../numerics/units.ts';
import { unit3, type Vec3 } from '../numerics/vec3.ts';

/** k_BT = 0.02 meV: the floor that stands in for the paper's "T ~ 0" in the Langevin runs. */
export const T_FLOOR_K = 0.02 / KB;

/** The electronic model (shared with `couplings soc-dimer`), with the Langevin runs' temperature floor. */
const MODEL_FLAGS: FlagSchema = {
  ...SOC_MODEL_FLAGS,
  T: { ...SOC_MODEL_FLAGS.T, default: T_FLOOR_K, help: `lead temperature T = T_L (default ${T_FLOOR_K.toFixed(4)} K: k_BT = 0.02 meV, the floor standing in for the paper's T ~ 0)` },
};

/** The localized spins (Sec. IV, Eq. 7) and the normalisation reading. */
export const SOC_SPIN_FLAGS: FlagSchema = {
  S: { type: 'number', help: 'spin length S', min: 0, minOpen: true, max: 1e4, default: 2.5 },
  Delta: { type: 'number', unit: 'meV', help: 's-d exchange Δ (every electron-induced term scales as Δ or Δ²)', min: 0, default: 5 },
  reading: { type: 'enum', values: READINGS, help: "normalisation of Eqs. 3–7: 'physical' (H_sd = −ΔS m·s; T_eff = j/2α) or 'literal' (paper's β = 2S²ħα/j)", default: 'physical' },
  'K-easy': { type: 'number', unit: 'meV', help: 'easy-axis anisotropy K_e: E0 ∋ −K_e S² (m·e)²', default: 0.004 },
  'K-hard': { type: 'number', unit: 'meV', help: 'hard-axis anisotropy K_h: E0 ∋ +K_h S² (m·h)²', default: 0.002 },
  'easy-axis': { type: 'vec3', help: 'easy axis e', default: [0, 0, 1] },
  'hard-axis': { type: 'vec3', help: 'hard axis h', default: [1, 0, 0] },
  B: { type: 'number', unit: 'T', help: 'Zeeman field: E0 ∋ −g μ_B B S (m·b)', default: 0.1 },
  'field-axis': { type: 'vec3', help: 'field direction b', default: [0, 0, 1] },
  g: { type: 'number', help: 'g-factor', min: 0, max: 100, default: 2 },
  'self-torque': { type: 'bool', help: "include the local field Δ²S² χ^dm_aa (m_a × t̂) that the paper's Eq. 4 drops (a damping-like torque along t̂)" },
  m1: { type: 'vec3', help: 'direction of the pinned spin 1', default: [0, 0, 1] },
  init: { type: 'vec3', help: 'initial direction of the free spin 2', default: [0, 0, -1] },
};

export const SOC_RUN_FLAGS: FlagSchema = {
  trajectories: { type: 'int', help: 'Langevin trajectories per (μ_F, V) point', min: 1, max: 2 ** 20, default: 256 },
  dt: { type: 'number', unit: 'ps', help: 'time step', min: 0, minOpen: true, max: 10, default: 0.02 },
  time: { type: 'number', unit: 'ps', help: 'duration of each trajectory', min: 0, minOpen: true, default: 40 },
  'average-from': { type: 'number', unit: 'ps', help: 'start of the time average', min: 0, default: 10 },
  seed: { type: 'int', help: 'noise seed', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend (couplings and Langevin)', default: 'auto' },
};

const vec = (v: FlagValue, name: string): Vec3 => { try { return unit3(v as Vec3, `--${name}`); } catch (e) { throw new UsageError((e as Error).message); } };

export function spinSetupFromFlags(v: Record<string, FlagValue>, tHat: Vec3): DimerSetup {
  const spins = spinModel({
    S: v.S as number, Delta: v.Delta as number, reading: v.reading as Reading, Keasy: v['K-easy'] as number, Khard: v['K-hard'] as number,
    easyAxis: vec(v['easy-axis'], 'easy-axis'), hardAxis: vec(v['hard-axis'], 'hard-axis'), B: v.B as number, fieldAxis: vec(v['field-axis'], 'field-axis'),
    g: v.g as number, selfTorque: !!v['self-torque'],
  });
  return { spins, tHat, pinned: true, m1: vec(v.m1, 'm1'), init2: vec(v.init, 'init') };
}

type Kind = 'llg' | 'switching';
const SWEEPABLE = ['muF', 'V'];

function schemaFor(kind: Kind): FlagSchema {
  const run = { ...SOC_RUN_FLAGS };
  if (kind === 'llg') run.trajectories = { ...run.trajectories, default: 256 };
  return {
    sweep: { type: 'string', help: kind === 'llg' ? 'swept parameter name=from:to:count (V or muF); e.g. --sweep V=-6:6:49' : 'grid axes (default muF=-6:6:128 and V=-10:10:128)' },
    'sweep-file': SWEEP_FILE_FLAG,
    ...MODEL_FLAGS, ...SOC_SPIN_FLAGS, ...run,
    ...runDirFlags(kind === 'llg' ? 'llg-soc-dimer' : 'switching-soc-dimer', kind === 'llg'
      ? 'print {backend, points:[{V, muF, mx, my, mz, stderr, fp, …}]} as one JSON object on stdout'
      : 'print a JSON summary (grid, timings, Langevin vs Fokker–Planck differences) on stdout'),
  };
}

/** Sweep points one run takes (its host memory, ~BYTES_PER_POINT each, is checked separately). */
const MAX_LANGEVIN_POINTS = 1 << 22;
/** Host bytes per (μ_F, V) point: the packed LLG row (143 floats, float64 + float32 copies), couplings, Fokker–Planck and outputs. */
const BYTES_PER_POINT = 6000;

export interface SocLangevinCli {
  job: SocLangevinJob; axes: SweepAxis[]; estimate: LlgEstimate; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments after the command words with a --sweep-file expanded (what the manifest records). */
  argv: string[];
  sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function socLangevinFromFlags(kind: Kind, given0: string[]): SocLangevinCli | 'help' {
  const schema = schemaFor(kind), command = `${kind} soc-dimer`;
  const sweepFile = expandSweepFile(given0, { command, flags: schema, sweepable: SWEEPABLE }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, schema, command);
  if (v.help) return 'help';
  let axes: SweepAxis[];
  const defaultAxes: string[] = [];
  if (kind === 'switching') {
    for (const [name, spec] of [['muF', '-6:6:128'], ['V', '-10:10:128']]) {
      if (!sweeps.some(s => s.startsWith(`${name}=`))) { sweeps.push(`${name}=${spec}`); defaultAxes.push(`${name}=${spec}`); }
    }
  }
  try { axes = parseSweeps(sweeps, SWEEPABLE, MAX_LANGEVIN_POINTS); } catch (e) { throw new UsageError((e as Error).message); }
  if (kind === 'switching') {
    if (axes.length !== 2) throw new UsageError(`${command}: the map has exactly two axes, muF and V`);
    axes.sort((a, b) => (a.name === 'V' ? -1 : b.name === 'V' ? 1 : 0)); // V slowest: arrays are [V][μ_F]
  } else if (!axes.length) throw new UsageError(`${command}: --sweep V=from:to:count is required (e.g. --sweep V=-6:6:49)`);
  if (kind === 'llg' && axes.length > 1) throw new UsageError(`${command}: one --sweep axis (V or muF); for a (μ_F, V) map use nanospin switching soc-dimer`);
  for (const a of axes) if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
  const model = socModelFromFlags(v);
  const setup = spinSetupFromFlags(v, model.tHat);
  const grid = (() => { try { return sweepGrid(axes); } catch (e) { throw new UsageError((e as Error).message); } })();
  const points = grid.map(g => ({ muF: g.muF ?? model.muF, V: g.V ?? model.V }));
  const time = v.time as number, averageFrom = v['average-from'] as number;
  if (averageFrom >= time) throw new UsageError(`--average-from must be < --time (${time} ps), got ${averageFrom}`);
  const job: SocLangevinJob = { model, setup, points, trajectories: v.trajectories as number, dt: v.dt as number, time, averageFrom, seed: v.seed as number, ...(defaultAxes.length ? { defaultAxes } : {}) };
  let estimate: LlgEstimate;
  try {
    estimate = checkLlgBudget({ points: points.length, trajectoriesPerPoint: job.trajectories, spins: 2, steps: Math.round(time / job.dt), bytesPerPoint: BYTES_PER_POINT,
      flags: { points: '--sweep', trajectories: '--trajectories', steps: '--time/--dt' } });
  } catch (e) { throw new UsageError((e as Error).message); }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { job, axes, estimate, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/${kind}-soc-dimer-${stamp}`, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

const SUMMARIES: Record<Kind, string> = {
  llg: 'free-spin orientation of the biased SOC dimer (spin 1 pinned): Langevin ensemble vs Fokker–Planck along a sweep (seed 001, Figs. 4–5)',
  switching: 'free-spin orientation map over (μ_F, V) of the biased SOC dimer: Langevin ensemble, Fokker–Planck and their difference',
};

export async function socLangevinCommand(kind: Kind, argv: string[]): Promise<number> {
  const parsed = socLangevinFromFlags(kind, argv);
  if (parsed === 'help') { process.stdout.write(helpText(`${kind} soc-dimer`, SUMMARIES[kind], schemaFor(kind))); return 0; }
  const command = [kind, 'soc-dimer', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, `${kind}-soc-dimer`, command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const { job } = parsed;
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`${kind} soc-dimer: ${line}\n`); };
    for (const a of job.defaultAxes ?? []) log(`no --sweep ${a.split('=')[0]}=… given, so the default axis ${a} is used (recorded in the manifest)`);
    log(`${job.points.length} points × ${job.trajectories} trajectories, ${Math.round(job.time / job.dt)} steps on ${backend.name} (${backend.adapter}); ${describeEstimate(parsed.estimate)}`);
    let r: SocLangevinResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: socLangevinPlan(backend, job, sweepIdentity(command)), target, backend, onProgress: progressReporter(`${kind} soc-dimer`, parsed.quiet), log,
      write: (t, d, i) => writeSocLangevin(kind, t, job, parsed.axes, r = socLangevinFromArrays(job, d, i)),
    });
    if (shard || !r) { reportShard({ command: `${kind} soc-dimer`, shard: shard!, dir, info, json: parsed.json }); return 0; }
    const summary = langevinSummary(kind, job, parsed.axes, r);
    if (parsed.json) process.stdout.write(JSON.stringify({ ...summary, out: dir }) + '\n');
    else {
      if (kind === 'llg') for (const p of r.points) {
        const f = (x: number) => x.toFixed(3).padStart(7);
        process.stdout.write(`μ_F ${p.muF.toFixed(2)} meV  V ${p.V.toFixed(2).padStart(6)} mV  Langevin (${p.m.map(f).join(',')}) ± ${Math.max(...p.stderr).toFixed(3)}  Fokker–Planck (${p.fp.map(f).join(',')})${p.energyInjection ? '  [energy injection]' : ''}\n`);
      }
      process.stdout.write(`couplings ${r.seconds.couplings.toFixed(2)} s, Langevin ${r.seconds.langevin.toFixed(2)} s (${r.spinStepsPerSecond.toExponential(3)} spin-steps/s), Fokker–Planck ${r.seconds.fokkerPlanck.toFixed(2)} s\nrun directory: ${dir}\n`);
    }
    return 0;
  } finally { backend.close(); }
}

/** `nanospin merge` of `llg soc-dimer` / `switching soc-dimer` shards: the same writer on the joined arrays. */
export async function socLangevinMerge(kind: Kind, argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = socLangevinFromFlags(kind, argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeSocLangevin(kind, target, parsed.job, parsed.axes, socLangevinFromArrays(parsed.job, data, info));
}
