// Seed 003 (Fransson, vibrationally induced magnetism) on the command line:
//   nanospin moment vibronic   — thermal moment of H_k over (J, α, T) grids (ED on the backend, Eq. 5 beside it)
//   nanospin figures vibronic  — Figs. 2–5 as one run directory
//   nanospin bench vibronic    — diagonalizations per second per S on webgpu and cpu (driver: bench/vibronic.ts)
import { parseFlags, helpText, UsageError, type FlagSchema, runDirFlags, splitSweeps } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { parseSweep, type SweepAxis } from '../sweeps/params.ts';
import { progressReporter } from '../runs/progress.ts';
import { parseSpin, spinLabel, MAX_SPIN } from '../models/vibronic/spin.ts';
import { FIELD_ON, type FieldOn } from '../models/vibronic/hamiltonian.ts';
import { BLOCK_MAX_SPIN, DENSE_MAX_DIM } from '../kernels/vibronic/layout.ts';
import {
  F32_FIELD_RESOLUTION, MAX_MOMENT_POINTS, MOMENT_SWEEP_NAMES, MOMENT_SWEEP_UNITS, momentFromArrays, momentPlan, momentPointCount, writeMomentJson, writeMomentRun,
  type MomentJob, type MomentResult, type MomentSweepName,
} from '../runs/vibronicMoment.ts';
import {
  VIBRONIC_FIGURES, VIBRONIC_FIGURE_DEFAULTS, VIBRONIC_FIGURE_PARAMETERS, vibronicFiguresPlan, vibronicFiguresSummary, writeVibronicFiguresFromArrays, type VibronicFiguresRun,
  type VibronicFigure, type VibronicFiguresOptions,
} from '../runs/vibronicFigures.ts';

const BACKEND_FLAG = { type: 'enum' as const, values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL batched Jacobi) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' };

export const MOMENT_FLAGS: FlagSchema = {
  S: { type: 'string', help: `spin S of both spins: a positive half-integer (1/2, 1, 3/2, …, ${MAX_SPIN}; 0.5 and 1.5 also accepted)`, default: '1/2' },
  sweep: { type: 'string', help: `swept parameter name=from:to:count, repeatable (up to 3 axes, first slowest); names: ${MOMENT_SWEEP_NAMES.map(n => `${n} (${MOMENT_SWEEP_UNITS[n]})`).join(', ')}` },
  'sweep-file': SWEEP_FILE_FLAG,
  J: { type: 'number', unit: 'meV', help: 'pair exchange J_k when not swept (H_k = J_k S_k·S_k̄ + …; J_k > 0 antiferromagnetic)', default: 1 },
  alpha: { type: 'number', unit: 'meV', help: 'vibrational pseudo-field α_k = A_k⟨Q_k̄⟩ when not swept', default: 0.2 },
  temperature: { type: 'number', unit: 'K', help: 'temperature T when not swept (0: the T → 0⁺ limit)', min: 0, default: 3 },
  'field-on': { type: 'enum', values: FIELD_ON, help: 'α_k acts on the first spin (as printed: α_k S_k^z) or on both (α_k (S_k^z + S_k̄^z))', default: 'first' },
  anisotropy: { type: 'number', unit: 'meV', help: 'on-site axial anisotropy D (S^z)² on both spins (D > 0 easy plane, < 0 easy axis)', default: 0 },
  rhombic: { type: 'number', unit: 'meV', help: 'on-site rhombic anisotropy E ((S^x)² − (S^y)²) on both spins; ≠ 0 breaks S^z conservation (dense (2S+1)² path)', default: 0 },
  spectrum: { type: 'bool', help: 'also write every point\'s spectrum (spectrum.npy, ascending)' },
  backend: BACKEND_FLAG,
  ...runDirFlags('moment-vibronic', 'print {backend, adapter, S, fieldOn, path, seconds, diagonalizationsPerSecond, …, points:[{J, alpha, T, moment, moment1, moment2, closedForm}]} as one JSON object on stdout'),
};

const MOMENT_SUMMARY = 'thermal moment ⟨S_k^z + S_k̄^z⟩ of the seed-003 k-pair H_k = S_k·(J_k S_k̄ + α_k ẑ) for spin S by exact diagonalization over (J, α, T) grids; Eq. 5 as printed beside it for S = 1/2';

export interface MomentCli {
  job: MomentJob; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function momentJobFromFlags(given0: string[]): MomentCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'moment vibronic', flags: MOMENT_FLAGS, sweepable: MOMENT_SWEEP_NAMES }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, MOMENT_FLAGS, 'moment vibronic');
  if (v.help) return 'help';
  let S: number;
  try { S = parseSpin(v.S as string, '--S'); } catch (e) { throw new UsageError((e as Error).message); }
  if (sweeps.length > 3) throw new UsageError(`--sweep: at most 3 axes (J, alpha, T), got ${sweeps.length}`);
  let axes: SweepAxis[];
  try { axes = sweeps.map(s => parseSweep(s, MOMENT_SWEEP_NAMES)); } catch (e) { throw new UsageError((e as Error).message); }
  const flagOf: Record<MomentSweepName, string> = { J: 'J', alpha: 'alpha', T: 'temperature' };
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name)) throw new UsageError(`--sweep ${a.name} given twice`);
    names.add(a.name);
    const flag = flagOf[a.name as MomentSweepName];
    if (given.has(flag)) throw new UsageError(`--${flag} and --sweep ${a.name}=… both given; keep one`);
  }
  const T = axes.find(a => a.name === 'T');
  if (T && T.values.some(x => x < 0)) throw new UsageError(`--sweep T: temperatures must be ≥ 0 K, got ${Math.min(...T.values)}`);
  const n = axes.reduce((k, a) => k * a.values.length, 1);
  if (n > MAX_MOMENT_POINTS) throw new UsageError(`--sweep: ${n} points is more than the ${MAX_MOMENT_POINTS} one run takes; split the grid`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    job: {
      S, fieldOn: v['field-on'] as FieldOn, axes, axial: v.anisotropy as number, rhombic: v.rhombic as number, spectrum: !!v.spectrum || axes.length === 0,
      fixed: { J: v.J as number, alpha: v.alpha as number, T: v.temperature as number },
    },
    backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/moment-vibronic-${stamp}`,
    overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile,
  };
}

export async function momentVibronicCommand(argv: string[]): Promise<number> {
  const parsed = momentJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('moment vibronic', MOMENT_SUMMARY, MOMENT_FLAGS)); return 0; }
  const command = ['moment', 'vibronic', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'moment-vibronic', command), parsed.sweepFile);
  const job = parsed.job;
  const backend = await openBackend(momentBackendRequest(parsed));
  try {
    const n = momentPointCount(job);
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`moment vibronic: ${line}\n`); };
    const beyondDevice = parsed.backend === 'auto' && momentBackendRequest(parsed) === 'cpu';
    log(`${n} point${n === 1 ? '' : 's'}, S = ${spinLabel(job.S)}, on ${backend.name} (${backend.adapter})${beyondDevice ? ` — S = ${spinLabel(job.S)} is beyond the device kernels (S ≤ ${spinLabel(BLOCK_MAX_SPIN)} on the block path, (2S+1)² ≤ ${DENSE_MAX_DIM} dense)` : ''}`);
    let result: MomentResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: momentPlan(backend, job, sweepIdentity(command)), target, backend, onProgress: progressReporter('moment vibronic', parsed.quiet), log,
      write: (t, d, i) => writeMomentRun(t, result = momentFromArrays(job, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'moment vibronic', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (result.unresolvedFieldPoints > 0) log(`warning: at ${result.unresolvedFieldPoints} points |α| is below float32 resolution of H (|α| < ${F32_FIELD_RESOLUTION} of its scale); their moments are rounding noise on webgpu — use --backend cpu`);
    if (parsed.json) writeMomentJson(s => process.stdout.write(s), result, { out: dir });
    else {
      process.stdout.write(`moment vibronic on ${result.backend} (${result.adapter}): ${n} point${n === 1 ? '' : 's'} (${result.path} path), ${result.seconds.toFixed(2)} s, ${result.diagonalizationsPerSecond.toExponential(3)} diagonalizations/s\n`);
      if (n === 1) process.stdout.write(`  J = ${result.J[0]} meV, α = ${result.alpha[0]} meV, T = ${result.T[0]} K: moment ${result.moment[0]} (S1 ${result.moment1[0]}, S2 ${result.moment2[0]})${Number.isFinite(result.closedForm[0]) ? `; Eq. 5 as printed ${result.closedForm[0]}` : ''}\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** auto: spins beyond the device kernels' loop budgets run on the float64 twin. */
function momentBackendRequest(parsed: MomentCli): BackendRequest {
  const job = parsed.job, d = (2 * job.S + 1) ** 2;
  const beyondDevice = job.rhombic !== 0 ? d > DENSE_MAX_DIM : job.S > BLOCK_MAX_SPIN;
  return parsed.backend === 'auto' && beyondDevice ? 'cpu' : parsed.backend;
}

/** `nanospin merge` of `moment vibronic` shards: the same writer on the joined arrays. */
export async function momentVibronicMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = momentJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeMomentRun(target, momentFromArrays(parsed.job, data, info));
}

// ---- figures vibronic ------------------------------------------------------------------------------


const FD = VIBRONIC_FIGURE_DEFAULTS;
export const VIBRONIC_QUICK = { resolution: 101, fig4: '41x30', fig5Kgrid: 8, fig5Temperatures: 30 };

export const FIGURES_VIBRONIC_FLAGS: FlagSchema = {
  figures: { type: 'list', values: VIBRONIC_FIGURES.map(String), help: 'which figures (comma-separated)', default: VIBRONIC_FIGURES.join(',') },
  resolution: { type: 'int', help: `Fig. 2 points per axis (J_k ∈ [${VIBRONIC_FIGURE_PARAMETERS.fig2.chosen.J.join(', ')}] × α_k ∈ [${VIBRONIC_FIGURE_PARAMETERS.fig2.chosen.alpha.join(', ')}] meV): resolution² diagonalizations per S`, min: 2, max: 2048, default: FD.resolution },
  'field-on': { type: 'enum', values: FIELD_ON, help: 'α_k on the first spin (as printed) or on both, in Figs. 2, 4, 5', default: FD.fieldOn },
  'fig4-points': { type: 'string', help: 'Fig. 4 resolution NJxNT (J ∈ [−5, 5] meV, T ∈ [1, 300] K)', default: `${FD.fig4.nJ}x${FD.fig4.nT}` },
  'a-phi': { type: 'number', unit: 'meV²', help: 'Fig. 4 A_k Φ (the printed "0.2 μeV" read as 2e-4 meV²)', default: FD.fig4.APhi },
  'fig5-kgrid': { type: 'int', help: 'Fig. 5 Monkhorst–Pack k grid N × N (even)', min: 2, max: 512, default: FD.fig5.kGrid },
  'fig5-temperatures': { type: 'int', help: 'Fig. 5 temperatures (T ∈ [1, 300] K)', min: 2, max: 5000, default: FD.fig5.nT },
  'fig5-A': { type: 'number', unit: 'meV', help: 'Fig. 5 spin–lattice coupling A (per unit Q; not printed)', default: FD.fig5.A },
  'fig5-lattice': { type: 'number', unit: 'Å', help: 'Fig. 5 square-lattice constant a (not printed)', min: 0, minOpen: true, default: FD.fig5.latticeConstant },
  'csv-side': { type: 'int', help: 'map CSVs keep at most this many points per axis (the .npy keep all)', min: 2, max: 4096, default: FD.csvSide },
  quick: { type: 'bool', help: `a first look / test run: --resolution ${VIBRONIC_QUICK.resolution} --fig4-points ${VIBRONIC_QUICK.fig4} --fig5-kgrid ${VIBRONIC_QUICK.fig5Kgrid} --fig5-temperatures ${VIBRONIC_QUICK.fig5Temperatures} unless given` },
  backend: { ...BACKEND_FLAG, help: 'backend of the Fig. 2 diagonalizations (Figs. 4, 5 run on the float64 twin: their fields are below float32 resolution)' },
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('figures-vibronic', 'print one summary JSON object on stdout'),
};

const FIGURES_VIBRONIC_SUMMARY = 'seed-003 Figs. 2 (moment over J_k × α_k at 3 K, S = 1/2 … 2), 3 (coth(βω0/2)/ω0, Eq. 7 vs ED), 4 (S = 1 moment over J × T with ⟨Q⟩ of Eq. 7), 5 (moment per site vs T, Gaussian J(r), A(r))';

function parsePair(raw: string, flag: string): [number, number] {
  const m = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(raw);
  const a = m ? Number(m[1]) : NaN, b = m ? Number(m[2]) : NaN;
  if (!m || a < 2 || b < 2 || a > 4096 || b > 4096) throw new UsageError(`--${flag} must be NxM with integers 2 ≤ N, M ≤ 4096 (e.g. 201x150), got '${raw}'`);
  return [a, b];
}

export function figuresVibronicOptions(given0: string[]): { options: VibronicFiguresOptions; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean; argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile } } | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'figures vibronic', flags: FIGURES_VIBRONIC_FLAGS }), argv = sweepFile.argv;
  const { values: v, given } = parseFlags(argv, FIGURES_VIBRONIC_FLAGS, 'figures vibronic');
  if (v.help) return 'help';
  const quick = !!v.quick;
  const pick = <T>(flag: string, q: T): T => (quick && !given.has(flag) ? q : (v[flag] as T));
  const [nJ, nT] = parsePair(pick('fig4-points', VIBRONIC_QUICK.fig4), 'fig4-points');
  const kGrid = pick('fig5-kgrid', VIBRONIC_QUICK.fig5Kgrid);
  if (kGrid % 2 !== 0) throw new UsageError(`--fig5-kgrid must be even (k = 0 stays off the grid), got ${kGrid}`);
  const figures = [...new Set(String(v.figures).split(',').map(Number))].sort() as VibronicFigure[];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    options: {
      figures, resolution: pick('resolution', VIBRONIC_QUICK.resolution), fieldOn: v['field-on'] as FieldOn,
      fig4: { nJ, nT, APhi: v['a-phi'] as number },
      fig5: { kGrid, nT: pick('fig5-temperatures', VIBRONIC_QUICK.fig5Temperatures), A: v['fig5-A'] as number, latticeConstant: v['fig5-lattice'] as number },
      csvSide: v['csv-side'] as number,
    },
    backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/figures-vibronic-${stamp}`,
    overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile,
  };
}

export async function figuresVibronicCommand(argv: string[]): Promise<number> {
  const parsed = figuresVibronicOptions(argv);
  if (parsed === 'help') { process.stdout.write(helpText('figures vibronic', FIGURES_VIBRONIC_SUMMARY, FIGURES_VIBRONIC_FLAGS)); return 0; }
  const command = ['figures', 'vibronic', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'figures-vibronic', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`figures vibronic: ${s}\n`); };
  try {
    log(`Figs. ${parsed.options.figures.join(', ')}${parsed.options.figures.includes(2) ? `; Fig. 2 on ${backend.name} (${backend.adapter}), ${parsed.options.resolution}² points per S` : ''}; Figs. 3–5 float64 on the CPU`);
    let run: VibronicFiguresRun | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: vibronicFiguresPlan(backend, parsed.options, sweepIdentity(command), { stage: log }), target, backend, onProgress: progressReporter('figures vibronic', parsed.quiet), log,
      write: async (t, d, i) => (run = await writeVibronicFiguresFromArrays(t, parsed.options, d, i)).dir,
    });
    if (shard || !run) { reportShard({ command: 'figures vibronic', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) process.stdout.write(JSON.stringify({ ...vibronicFiguresSummary(run), out: run.dir }) + '\n');
    else {
      process.stdout.write(`figures vibronic: Figs. ${run.options.figures.join(', ')}, ${run.figures.length} panels, ${run.seconds.total.toFixed(1)} s${run.options.figures.includes(2) ? ` (Fig. 2 on ${run.backend}, ${run.adapter})` : ''}\n`);
      for (const [s, r] of Object.entries(run.fig2Rates)) process.stdout.write(`  Fig. 2 S = ${s}: ${r.toExponential(3)} diagonalizations/s\n`);
      for (const f of run.figures) process.stdout.write(`  ${f.id}: ${f.svgFile}\n`);
      process.stdout.write(`run directory: ${run.dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `figures vibronic` shards: the same figures from the joined panels. */
export async function figuresVibronicMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = figuresVibronicOptions(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return (await writeVibronicFiguresFromArrays(target, parsed.options, data, info)).dir;
}

// ---- bench vibronic --------------------------------------------------------------------------------

export const BENCH_VIBRONIC_FLAGS: FlagSchema = {
  spins: { type: 'string', help: 'comma-separated spins S (positive half-integers)', default: '1/2,1,3/2,2,5/2' },
  paths: { type: 'list', values: ['blocks', 'dense'], help: 'M-block path (H_k) and/or the dense (2S+1)² path (with a rhombic term)', default: 'blocks,dense' },
  points: { type: 'int', help: 'points timed on webgpu, block path', min: 1, max: 1 << 22, default: 1 << 18 },
  'cpu-points': { type: 'int', help: 'points timed on cpu, block path', min: 1, max: 1 << 22, default: 1 << 14 },
  'dense-points': { type: 'int', help: 'points timed on webgpu, dense path', min: 1, max: 1 << 20, default: 2048 },
  'cpu-dense-points': { type: 'int', help: 'points timed on cpu, dense path', min: 1, max: 1 << 20, default: 256 },
  rounds: { type: 'int', help: 'timed runs per measurement; the best is kept', min: 1, max: 20, default: 2 },
  backends: { type: 'list', values: ['webgpu', 'cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu' },
  json: { type: 'bool', help: 'one JSON object per line per measurement' },
  help: { type: 'bool', help: 'show this help' },
};

export async function benchVibronicCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, BENCH_VIBRONIC_FLAGS, 'bench vibronic');
  if (v.help) { process.stdout.write(helpText('bench vibronic', 'spin-pair exact diagonalizations per second per S and path, webgpu and cpu in the same run', BENCH_VIBRONIC_FLAGS)); return 0; }
  let spins: number[];
  try { spins = String(v.spins).split(',').map(s => parseSpin(s, '--spins')); } catch (e) { throw new UsageError((e as Error).message); }
  const { runVibronicBench } = await import('../../bench/vibronic.ts');
  const lines = await runVibronicBench({
    spins, paths: String(v.paths).split(',') as ('blocks' | 'dense')[], backends: String(v.backends).split(',') as ('webgpu' | 'cpu')[],
    points: { webgpu: { blocks: v.points as number, dense: v['dense-points'] as number }, cpu: { blocks: v['cpu-points'] as number, dense: v['cpu-dense-points'] as number } },
    rounds: v.rounds as number,
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0]?.machine;
    if (m) process.stdout.write(`spin-pair ED (seed 003), thermal moments at T = 3 K — ${m.cpus}× ${m.cpuModel}, node ${m.node}\n`);
    for (const l of lines) {
      process.stdout.write(`  ${l.backend.padEnd(7)} S = ${l.spin.padEnd(4)} ${l.path.padEnd(6)} ${l.error ? `error: ${l.error}` : `${l.diagonalizationsPerSecond.toExponential(3)} diagonalizations/s (${l.points} in ${l.seconds.toFixed(3)} s)  ×${(l.ratioToCpu ?? NaN).toFixed(2)} cpu${l.maxAbsDiffToCpu !== undefined ? `, max |Δm| to cpu ${l.maxAbsDiffToCpu.toExponential(1)}` : ''}`}\n`);
    }
    if (lines[0]) process.stdout.write(`  webgpu adapter: ${lines.find(l => l.backend === 'webgpu')?.adapter || 'none'}\n`);
  }
  return lines.some(l => l.error) ? 1 : 0;
}
