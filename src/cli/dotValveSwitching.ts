// `nanospin switching dot-valve`: the switching diagram of the quantum-dot spin valve (seed 004, Fig. 2) and its current
// readout (Fig. 3): per (ε̃, V) point M stochastic LLG trajectories of the drain macrospin driven by the tabulated transport
// torques, from the parallel state; per point the mean opening angle θ̄, its standard error and the switched fraction.
// Every energy flag in units of Γ = ½(Γ_S + Γ_D) (the paper's unit), every time in 1/Γ. Defaults: the paper's Fig. 2.
import { parseFlags, helpText, UsageError, runDirFlags, splitSweeps, type FlagSchema } from './args.ts';
import { DV_MODEL_FLAGS, dotValveModelFromFlags } from './dotValve.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { parseSweepSpec } from '../sweeps/params.ts';
import { linspace } from '../sweeps/grid.ts';
import { checkLlgBudget, describeEstimate, type LlgEstimate } from '../runs/budget.ts';
import { progressReporter } from '../runs/progress.ts';
import { PAPER_MAGNET } from '../models/dotValve/llg.ts';
import { calibrateSwitching, switchingChunkPoints, TABLE_SLICE, switchingSteps, SWITCHING_DEFAULTS, checkSwitchingJob, type SwitchingJob, type SwitchingResult } from '../runs/dotValveSwitching.ts';
import { switchingSweep, writeSwitchingFromArrays, writeSwitchingJson } from '../runs/dotValveSwitchingOutput.ts';
import { dotValveFiguresFromArrays, dotValveFiguresPlan, FIGURES_DEFAULTS, FIGURES_PAPER, FMR_CASES, fmrAgreement, writeDotValveFigures, type DotValveFigures, type DotValveFiguresJob } from '../runs/dotValveFigures.ts';

const D = SWITCHING_DEFAULTS;

/** The drain magnet and the integration protocol (paper Fig. 2 defaults). */
export const MAGNET_FLAGS: FlagSchema = {
  KV: { type: 'number', unit: 'Γ', help: 'anisotropy energy KV of the drain (easy axis e_z, E = −(KV/2) n_z²)', min: 0, default: PAPER_MAGNET.KV },
  alpha: { type: 'number', help: 'Gilbert damping α (Eq. 1 read with αS n × ṅ, as Eq. 5 needs; the same for S = 1)', min: 0, minOpen: true, max: 10, default: PAPER_MAGNET.alpha },
  sigma2: { type: 'number', unit: 'Γ', help: 'thermal-field intensity σ² (⟨H_i(t)H_j(t′)⟩ = σ²δ_ijδ(t − t′)); k_BT_eff = σ²/(2αS)', min: 0, default: PAPER_MAGNET.sigma2 },
  S: { type: 'number', unit: 'ħ', help: 'macrospin S of the drain (not given by the paper; 1 makes Eq. 1 and Eq. 5 agree)', min: 0, minOpen: true, max: 1e6, default: PAPER_MAGNET.S },
};

export const PROTOCOL_FLAGS: FlagSchema = {
  trajectories: { type: 'int', help: 'trajectories per (ε̃, V) point', min: 1, max: 2 ** 20, default: D.trajectories },
  dt: { type: 'number', unit: '1/Γ', help: 'time step (the paper\'s Δt = 10⁻²Γ means 10⁻²/Γ)', min: 0, minOpen: true, max: 1, default: D.dt },
  time: { type: 'number', unit: '1/Γ', help: 'duration of each trajectory (paper: 2·10⁴/Γ); for a quick look e.g. --time 4000 --average-from 2000', min: 0, minOpen: true, default: D.time },
  'average-from': { type: 'number', unit: '1/Γ', help: 'start of the averaging window of θ and of the current (paper: 10⁴/Γ); must be < --time', min: 0, default: D.averageFrom },
  table: { type: 'int', help: 'nodes of the torque and current tables per point (the θ grid of the LLG tables)', min: 2, max: 4096, default: D.tableNodes },
  'table-grid': { type: 'enum', values: ['zeta', 'u'], help: 'table nodes: zeta = uniform in ζ = √(1+u) − √(1−u) (nearly uniform in θ; resolves the steep torques next to θ = π), u = uniform in u = cos θ', default: D.tableGrid },
  seed: { type: 'int', help: 'noise seed', min: 0, max: 2 ** 32 - 1, default: D.seed },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend (torque tables and LLG): webgpu (float32 WGSL) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' },
};

export const SWITCHING_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: `grid axis name=from:to:count (Γ), repeatable; names eps (ε̃ = ε + U/2, horizontal) and V (vertical). An axis neither swept nor fixed (--eps/--V) gets the default −U/2:U/2:<resolution> (−500:500 for U = 1000: every point the paper names; the paper states no range)` },
  'sweep-file': SWEEP_FILE_FLAG,
  eps: { type: 'number', unit: 'Γ', help: 'fixed ε̃ instead of an ε̃ axis (a cut along V)' },
  V: { type: 'number', unit: 'Γ', help: 'fixed V instead of a V axis (a cut along ε̃)' },
  resolution: { type: 'int', help: 'points of each default axis (the paper does not state its resolution; e.g. --resolution 64 for a quick look)', min: 1, max: 4096, default: D.resolution },
  ...PROTOCOL_FLAGS,
  ...MAGNET_FLAGS,
  ...DV_MODEL_FLAGS,
  'dry-run': { type: 'bool', help: 'print the size and the estimated wall time (measured on a 2000-step sample of this grid on this backend), then exit without a run directory' },
  ...runDirFlags('switching-dot-valve', 'print {backend, params, conventions, resonance, points:[{eps, V, thetaMean, thetaStderr, switched, …}]} as one JSON object on stdout'),
};

const SUMMARY = 'switching diagram of the seed-004 quantum-dot spin valve (Fig. 2: mean opening angle θ̄, its standard error, the switched fraction per (ε̃, V)) and the current readout (Fig. 3) from stochastic LLG ensembles driven by the tabulated transport torques; energies in Γ, times in 1/Γ';

/** Host bytes of one chunk (switchingChunkPoints points): the packed LLG rows (27 + 3·nodes float64 and a float32 copy), the drain points' three tables, and one table dispatch's rows (10 float64 per angle, ≤ TABLE_SLICE points). */
function chunkBytes(job: SwitchingJob): number {
  const c = switchingChunkPoints(job), nodes = job.tableNodes;
  return c * ((27 + 3 * nodes) * 12 + 3 * nodes * 8 + 400) + Math.min(c, TABLE_SLICE) * (nodes + 2) * 80;
}
/** Host bytes per point of the whole grid (results, JSON rows). */
const GRID_BYTES_PER_POINT = 600;

export interface SwitchingCli {
  job: SwitchingJob; estimate: LlgEstimate; defaultAxes: string[]; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean; dryRun: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function switchingJobFromFlags(given0: string[]): SwitchingCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'switching dot-valve', flags: SWITCHING_FLAGS, sweepable: ['eps', 'V'] }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, SWITCHING_FLAGS, 'switching dot-valve');
  if (v.help) return 'help';
  const axes: Record<string, Float64Array> = {};
  for (const s of sweeps) {
    const eq = s.indexOf('=');
    if (eq > 0 && s.slice(eq + 1).trim() === '') throw new UsageError(`--sweep ${s.slice(0, eq)}: empty range; give from:to:count with count ≥ 1 (Γ)`);
    let a;
    try { a = parseSweepSpec(s, ['eps', 'V']); } catch (e) { throw new UsageError((e as Error).message); }
    if (axes[a.name]) throw new UsageError(`--sweep ${a.name} given twice`);
    if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
    if (a.count > 4096) throw new UsageError(`--sweep ${a.name}: at most 4096 points per axis, got ${a.count}`);
    axes[a.name] = linspace(a.from, a.to, a.count, `--sweep ${a.name}`);
  }
  const res = v.resolution as number, defaultAxes: string[] = [];
  const base = dotValveModelFromFlags(v);
  for (const name of ['eps', 'V'] as const) {
    if (axes[name]) continue;
    if (given.has(name)) { axes[name] = Float64Array.of(v[name] as number); continue; }
    axes[name] = linspace(-base.U / 2, base.U / 2, res);
    defaultAxes.push(`${name}=${-base.U / 2}:${base.U / 2}:${res}`);
  }
  if (given.has('resolution') && defaultAxes.length === 0) throw new UsageError('--resolution sets the count of the default axes, but both axes are given (--sweep or --eps/--V); drop --resolution');
  const time = v.time as number, averageFrom = v['average-from'] as number, dt = v.dt as number;
  if (averageFrom >= time) throw new UsageError(`--average-from must be < --time (${time}/Γ), got ${averageFrom}`);
  const job: SwitchingJob = {
    base, epsAxis: axes.eps, VAxis: axes.V,
    magnet: { KV: v.KV as number, alpha: v.alpha as number, sigma2: v.sigma2 as number, S: v.S as number },
    trajectories: v.trajectories as number, dt, time, averageFrom, tableNodes: v.table as number, tableGrid: v['table-grid'] as 'zeta' | 'u', seed: v.seed as number,
    fixedThetas: D.fixedThetas,
  };
  let estimate: LlgEstimate;
  try {
    checkSwitchingJob(job);
    const N = job.epsAxis.length * job.VAxis.length;
    const bytes = chunkBytes(job) + N * GRID_BYTES_PER_POINT;
    estimate = checkLlgBudget({
      points: N, trajectoriesPerPoint: job.trajectories, spins: 1, steps: switchingSteps(job), bytesPerPoint: bytes / N,
      flags: { points: '--sweep/--resolution', trajectories: '--trajectories', steps: '--time/--dt' },
    });
  } catch (e) { throw new UsageError((e as Error).message); }
  return { job, estimate, defaultAxes, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, dryRun: !!v['dry-run'], argv, sweepFile };
}

/** "3.2 h", "41 min", "12 s". */
export function humanSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s >= 86400 * 2) return `${(s / 86400).toFixed(1)} d`;
  if (s >= 5400) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 90) return `${(s / 60).toFixed(0)} min`;
  return `${s.toFixed(s < 10 ? 1 : 0)} s`;
}

export async function switchingDotValveCommand(argv: string[]): Promise<number> {
  const parsed = switchingJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('switching dot-valve', SUMMARY, SWITCHING_FLAGS)); return 0; }
  const command = ['switching', 'dot-valve', ...parsed.argv];
  const target = parsed.dryRun ? undefined : withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'switching-dot-valve', command), parsed.sweepFile);
  const { job } = parsed;
  const backend = await openBackend(parsed.backend);
  try {
    const say = (s: string) => { if (!parsed.quiet) process.stderr.write(s); };
    for (const a of parsed.defaultAxes) say(`switching dot-valve: no --sweep ${a.split('=')[0]}=… or --${a.split('=')[0]} given, so the default axis ${a} (Γ) is used\n`);
    say(`switching dot-valve: ${job.epsAxis.length} × ${job.VAxis.length} points × ${job.trajectories} trajectories, ${switchingSteps(job)} steps of ${job.dt}/Γ on ${backend.name} (${backend.adapter}); ${describeEstimate(parsed.estimate)}\n`);
    const cal = await calibrateSwitching(backend, job);
    const seconds = parsed.estimate.spinSteps / cal.spinStepsPerSecond;
    const estimate = { spinSteps: parsed.estimate.spinSteps, measuredSpinStepsPerSecond: cal.spinStepsPerSecond, estimatedSeconds: seconds, backend: backend.name, adapter: backend.adapter };
    say(`switching dot-valve: measured ${cal.spinStepsPerSecond.toExponential(2)} spin-steps/s on a 2000-step sample: estimated wall time ≈ ${humanSeconds(seconds)}\n`);
    if (parsed.dryRun) {
      if (parsed.json) process.stdout.write(JSON.stringify({ dryRun: true, points: job.epsAxis.length * job.VAxis.length, trajectoriesPerPoint: job.trajectories, steps: switchingSteps(job), ...estimate, hostBytes: parsed.estimate.hostBytes }) + '\n');
      else process.stdout.write(`dry run: ${parsed.estimate.spinSteps.toExponential(3)} spin-steps at ${cal.spinStepsPerSecond.toExponential(3)} spin-steps/s ≈ ${humanSeconds(seconds)} on ${backend.adapter}\n`);
      return 0;
    }
    const extra = { estimate, defaultAxes: parsed.defaultAxes };
    let r: SwitchingResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: switchingSweep(backend, job, sweepIdentity(command)), target: target!, backend, onProgress: progressReporter('switching dot-valve', parsed.quiet),
      log: line => say(`switching dot-valve: ${line}\n`),
      write: async (t, d, i) => { const w = await writeSwitchingFromArrays(t, job, d, i, extra); r = w.result; return w.dir; },
    });
    if (shard || !r) { reportShard({ command: 'switching dot-valve', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (r.stiff.points > 0) say(`switching dot-valve: note: at ${r.stiff.points} point${r.stiff.points > 1 ? 's' : ''} next to the Eq. 4 line the torque amplitude near θ = π gives ω·dt > ${r.stiff.threshold} (largest ${r.stiff.maxOmegaDt.toFixed(2)} at ε̃ = ${r.stiff.at[0]}, V = ${r.stiff.at[1]}): the fast precession about the source axis is integrated with a phase error there (θ is kept); --dt ${(job.dt / 2).toPrecision(2)} halves it\n`);
    if (parsed.json) writeSwitchingJson(s => process.stdout.write(s), r, { ...extra, out: dir });
    else {
      let ap = 0;
      for (let i = 0; i < r.nPoints; i++) if (r.thetaMean[i] > Math.PI / 2) ap++;
      process.stdout.write(`switching dot-valve on ${r.backend} (${r.adapter}): ${r.nPoints} points × ${job.trajectories} trajectories × ${r.steps} steps in ${humanSeconds(r.seconds.total)} (${r.spinStepsPerSecond.toExponential(3)} spin-steps/s); θ̄ > π/2 at ${ap} of ${r.nPoints} points\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `switching dot-valve` shards: the same writer on the joined arrays (no estimate: nothing is measured). */
export async function switchingDotValveMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = switchingJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return (await writeSwitchingFromArrays(target, parsed.job, data, info, { defaultAxes: parsed.defaultAxes })).dir;
}

// ---- figures dot-valve ---------------------------------------------------------------------------------------

const F = FIGURES_DEFAULTS;

export const FIGURES_DV_FLAGS: FlagSchema = {
  resolution: { type: 'int', help: `Fig. 2/3 grid: points per axis over ε̃, V ∈ [−U/2, U/2] (reduced default; --paper: ${FIGURES_PAPER.resolution})`, min: 2, max: 4096, default: F.resolution },
  ...PROTOCOL_FLAGS,
  trajectories: { ...PROTOCOL_FLAGS.trajectories, help: `Fig. 2/3 trajectories per point (reduced default; --paper: ${FIGURES_PAPER.trajectories})`, default: F.trajectories },
  time: { ...PROTOCOL_FLAGS.time, help: `Fig. 2/3 duration (reduced default; --paper: ${FIGURES_PAPER.time})`, default: F.time },
  'average-from': { ...PROTOCOL_FLAGS['average-from'], help: `start of the averaging window (reduced default; --paper: ${FIGURES_PAPER.averageFrom})`, default: F.averageFrom },
  paper: { type: 'bool', help: `the paper's Fig. 2 setting: --resolution ${FIGURES_PAPER.resolution} --trajectories ${FIGURES_PAPER.trajectories} --time ${FIGURES_PAPER.time} --average-from ${FIGURES_PAPER.averageFrom} unless given (≈ 2·10¹² spin-steps: hours on a GPU, about a day on llvmpipe)` },
  'torque-resolution': { type: 'int', help: 'Fig. 4 maps: points per axis', min: 2, max: 1024, default: F.torqueResolution },
  'fmr-trajectories': { type: 'int', help: 'FMR figure: trajectories per stochastic spectrum', min: 2, max: 65536, default: F.fmrTrajectories },
  'fmr-sigma2': { type: 'number', unit: 'Γ', help: 'FMR figure: thermal-field intensity of the stochastic spectra (small: the linear regime of Eq. 5)', min: 0, minOpen: true, max: 1e-3, default: 1e-9 },
  'sweep-file': SWEEP_FILE_FLAG,
  ...MAGNET_FLAGS,
  ...DV_MODEL_FLAGS,
  ...runDirFlags('figures-dot-valve', 'print one summary JSON object on stdout'),
};

const FIGURES_SUMMARY = 'seed 004 Figs. 2 (switching diagram + inset), 3 (current readout + torque cuts), 4 (torque maps + inset) and the FMR figure (Eq. 5 and the stochastic spectra), each in a subdirectory with CSV, .npy, SVG and report.html; reduced Fig. 2 default, --paper for the paper\'s';

export interface FiguresDotValveCli {
  job: DotValveFiguresJob; estimate: LlgEstimate; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function figuresDotValveFromFlags(given0: string[]): FiguresDotValveCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'figures dot-valve', flags: FIGURES_DV_FLAGS }), argv = sweepFile.argv;
  const { values: v, given } = parseFlags(argv, FIGURES_DV_FLAGS, 'figures dot-valve');
  if (v.help) return 'help';
  const pick = (flag: string, paper: number) => (v.paper && !given.has(flag) ? paper : (v[flag] as number));
  const res = pick('resolution', FIGURES_PAPER.resolution), time = pick('time', FIGURES_PAPER.time), averageFrom = pick('average-from', FIGURES_PAPER.averageFrom);
  if (averageFrom >= time) throw new UsageError(`--average-from must be < --time (${time}/Γ), got ${averageFrom}`);
  const base = dotValveModelFromFlags(v), U = base.U;
  const switching: SwitchingJob = {
    base, epsAxis: linspace(-U / 2, U / 2, res), VAxis: linspace(-U / 2, U / 2, res),
    magnet: { KV: v.KV as number, alpha: v.alpha as number, sigma2: v.sigma2 as number, S: v.S as number },
    trajectories: pick('trajectories', FIGURES_PAPER.trajectories), dt: v.dt as number, time, averageFrom,
    tableNodes: v.table as number, tableGrid: v['table-grid'] as 'zeta' | 'u', seed: v.seed as number, fixedThetas: D.fixedThetas,
  };
  let estimate: LlgEstimate;
  try {
    checkSwitchingJob(switching);
    const N = res * res;
    estimate = checkLlgBudget({
      points: N, trajectoriesPerPoint: switching.trajectories, spins: 1, steps: switchingSteps(switching),
      bytesPerPoint: (chunkBytes(switching) + N * GRID_BYTES_PER_POINT) / N,
      flags: { points: '--resolution', trajectories: '--trajectories', steps: '--time/--dt' },
    });
  } catch (e) { throw new UsageError((e as Error).message); }
  return {
    job: { switching, torqueResolution: v['torque-resolution'] as number, fmrTrajectories: v['fmr-trajectories'] as number, fmrSigma2: v['fmr-sigma2'] as number },
    estimate, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile,
  };
}

export async function figuresDotValveCommand(argv: string[]): Promise<number> {
  const parsed = figuresDotValveFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('figures dot-valve', FIGURES_SUMMARY, FIGURES_DV_FLAGS)); return 0; }
  const command = ['figures', 'dot-valve', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'figures-dot-valve', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`figures dot-valve: ${s}\n`); };
  try {
    const sw = parsed.job.switching;
    log(`on ${backend.name} (${backend.adapter}); Fig. 2/3: ${describeEstimate(parsed.estimate)}`);
    const cal = await calibrateSwitching(backend, sw);
    log(`measured ${cal.spinStepsPerSecond.toExponential(2)} spin-steps/s: Fig. 2/3 ≈ ${humanSeconds(parsed.estimate.spinSteps / cal.spinStepsPerSecond)}`);
    let f: DotValveFigures | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: dotValveFiguresPlan(backend, parsed.job, sweepIdentity(command), log), target, backend, onProgress: progressReporter('figures dot-valve', parsed.quiet), log,
      write: (t, d, i) => writeDotValveFigures(t, f = dotValveFiguresFromArrays(parsed.job, d, i)),
    });
    if (shard || !f) { reportShard({ command: 'figures dot-valve', shard: shard!, dir, info, json: parsed.json }); return 0; }
    const agreement = f.fmr.map((r, k) => ({ case: FMR_CASES[k].label, ...fmrAgreement(r) }));
    if (parsed.json) process.stdout.write(JSON.stringify({ out: dir, backend: info.backend, adapter: info.adapter, seconds: f.seconds, spinStepsPerSecond: f.switching.spinStepsPerSecond, stiff: f.switching.stiff, fmr: agreement }) + '\n');
    else {
      process.stdout.write(`figures dot-valve on ${info.backend}: ${Object.entries(f.seconds).map(([k, s]) => `${k} ${humanSeconds(s)}`).join(', ')}\n`);
      for (const a of agreement) process.stdout.write(`  FMR ${a.case}: χ²/bin vs linearised ${a.chi2OU.toFixed(2)}, vs FDT ${a.chi2FDT.toFixed(1)}\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally { backend.close(); }
}

/** `nanospin merge` of `figures dot-valve` shards: the same figures directory from the joined parts. */
export async function figuresDotValveMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = figuresDotValveFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeDotValveFigures(target, dotValveFiguresFromArrays(parsed.job, data, info));
}
