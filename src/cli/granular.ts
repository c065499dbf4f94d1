// `nanospin exchange granular` and `nanospin figures granular` (seed 002, granular magnets).
import { parseFlags, helpText, UsageError, runDirFlags, splitSweeps, type FlagSchema, type FlagValue } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { progressReporter } from '../runs/progress.ts';
import { parseSweep, type SweepAxis } from '../sweeps/params.ts';
import { granular, NORMALIZATIONS, PAPER_DEFAULTS, PARAM_RANGES, type GranularParams, type NormalizationName } from '../models/granular/params.ts';
import { RULES, type RuleName } from '../kernels/granular/rows.ts';
import {
  checkAxes, GRANULAR_SWEEP_NAMES, GRANULAR_UNITS, MAX_GRANULAR_POINTS, pointCount, granularFromArrays, granularPlan, writeGranularJson, type GranularJob, type GranularSweepResult,
} from '../runs/granular.ts';
import { writeGranularRun } from '../runs/granularOutput.ts';
import { FIGURE_DEFAULTS, granularFiguresPlan, granularFiguresSummary, writeGranularFiguresFromArrays, type FigureOptions, type FiguresRun } from '../runs/granularFigures.ts';

const D = PAPER_DEFAULTS, R = PARAM_RANGES;

/** Model flags shared by both commands (energies meV, lengths nm). */
export const GRANULAR_MODEL_FLAGS: FlagSchema = {
  hB: { type: 'number', unit: 'meV', help: 'barrier height above the Fermi level h_B = −E_F (paper: 100–1500)', min: R.hB.min, max: R.hB.max, default: D.hB },
  Jsd: { type: 'number', unit: 'meV', help: 's-d constant J_sd (subband splitting 2J_sd)', min: R.Jsd.min, max: R.Jsd.max, default: D.Jsd },
  eps: { type: 'number', help: 'dielectric constant ε of the matrix in the gap (sets I_ex ∝ 1/ε)', min: R.eps.min, max: R.eps.max, default: D.eps },
  epsEff: { type: 'number', help: 'effective dielectric constant ε_eff (sets E_c, ε̃_c, L_Ec); default: ε at every point, as in the paper', min: R.epsEff.min, max: R.epsEff.max },
  epsC: { type: 'number', unit: 'meV', help: 'blockade energy ε̃_c = 2E_c − e²/C_m (default e²/(8πε₀ε_eff a))', min: R.epsC.min, max: R.epsC.max },
  U: { type: 'number', unit: 'meV', help: 'depth of the grain potential below the barrier top', min: R.U.min, max: R.U.max, default: D.U },
  d: { type: 'number', unit: 'nm', help: 'gap between the grain surfaces', min: R.d.min, max: R.d.max, default: D.d },
  a: { type: 'number', unit: 'nm', help: 'grain radius', min: R.a.min, max: R.a.max, default: D.a },
  normalization: { type: 'enum', values: ['rederived', 'printed'], help: "Coulomb prefactors: rederived (I_ex ×4, 2⁵ in C_loc; reproduces the paper's figures) or printed (Eqs. 26–27, 39 as printed)", default: 'rederived' },
  'iex-norm': { type: 'number', help: 'override the I_ex multiplier of the printed prefactor', min: R.iexNorm.min, max: R.iexNorm.max },
  'lloc-pow2': { type: 'number', help: 'override the power of two in C_loc', min: R.llocPow2.min, max: R.llocPow2.max },
};

export const EXCHANGE_GRANULAR_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: `swept parameter name=from:to:count, repeatable (1–3 axes, first slowest); names: ${GRANULAR_SWEEP_NAMES.map(n => `${n}${GRANULAR_UNITS[n] ? ` (${GRANULAR_UNITS[n]})` : ''}`).join(', ')}` },
  'sweep-file': SWEEP_FILE_FLAG,
  ...GRANULAR_MODEL_FLAGS,
  rule: { type: 'enum', values: ['coarse', 'standard', 'refined'], help: 'fixed quadrature rule: coarse, standard, refined = 1, 2, 4 panels of 15 Kronrod nodes per k piece (q: 1, 2, 3)', default: 'standard' },
  'check-points': { type: 'int', help: 'points re-run on the refined rule (and, on webgpu, on the float64 twin) to record the quadrature change; 0 = none', min: 0, max: MAX_GRANULAR_POINTS, default: 8 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL kernel) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' },
  ...runDirFlags('exchange-granular', 'print {units, backend, convergence, twin, …, points:[{hB, Jsd, eps, hopping, coulomb, total, hv, hp, h0, heps, lloc, lec, iex, …K, order}]} (energies meV) as one JSON object on stdout'),
};

const EXCHANGE_SUMMARY = 'intergrain exchange of two ferromagnetic grains (seed 002): hopping H_V, H_P, H_hε and Coulomb L_loc, L_Ec, I_ex (meV, positive = FM) over 1D–3D sweeps';

/** The model from the flag values (ranges already checked by the parser). */
export function granularFromFlags(v: Record<string, FlagValue>, given: Set<string>): GranularParams {
  const norm = NORMALIZATIONS[v.normalization as NormalizationName];
  try {
    return granular({
      hB: v.hB as number, Jsd: v.Jsd as number, eps: v.eps as number, epsEff: (given.has('epsEff') ? v.epsEff : v.eps) as number,
      ...(given.has('epsC') ? { epsC: v.epsC as number } : {}),
      U: v.U as number, d: v.d as number, a: v.a as number,
      iexNorm: given.has('iex-norm') ? v['iex-norm'] as number : norm.iexNorm,
      llocPow2: given.has('lloc-pow2') ? v['lloc-pow2'] as number : norm.llocPow2,
    });
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`);
  }
}

/** Count of a `name=from:to:count` spec without allocating its axis (oversized sweeps are refused first). */
function specCount(spec: string): number {
  const p = spec.slice(spec.indexOf('=') + 1).split(':');
  const n = Number(p[2]);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

export interface ExchangeGranularCli {
  job: GranularJob; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function exchangeGranularFromFlags(given0: string[]): ExchangeGranularCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'exchange granular', flags: EXCHANGE_GRANULAR_FLAGS, sweepable: GRANULAR_SWEEP_NAMES }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, EXCHANGE_GRANULAR_FLAGS, 'exchange granular');
  if (v.help) return 'help';
  if (sweeps.length > 3) throw new UsageError(`--sweep: at most 3 axes, got ${sweeps.length}`);
  const n = sweeps.reduce((k, s) => k * specCount(s), 1);
  if (n > MAX_GRANULAR_POINTS) throw new UsageError(`--sweep: ${n} points is more than the ${MAX_GRANULAR_POINTS} one run takes; split the grid`);
  let axes: SweepAxis[];
  try {
    axes = sweeps.map(s => parseSweep(s, GRANULAR_SWEEP_NAMES));
    checkAxes(axes);
  } catch (e) { throw new UsageError((e as Error).message); }
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name)) throw new UsageError(`--sweep ${a.name} given twice`);
    names.add(a.name);
    if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
  }
  const base = granularFromFlags(v, given);
  const hB = axes.find(a => a.name === 'hB')?.values ?? [base.hB], U = axes.find(a => a.name === 'U')?.values ?? [base.U];
  if (Math.max(...hB) >= Math.min(...U)) throw new UsageError(`--hB / --sweep hB: h_B must stay below U (${Math.min(...U)} meV), got up to ${Math.max(...hB)} meV`);
  const job: GranularJob = {
    base, axes, epsEffFollowsEps: !given.has('epsEff') && !names.has('epsEff'),
    rule: RULES[v.rule as RuleName], checkPoints: v['check-points'] as number,
  };
  return { job, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

export async function exchangeGranularCommand(argv: string[]): Promise<number> {
  const parsed = exchangeGranularFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('exchange granular', EXCHANGE_SUMMARY, EXCHANGE_GRANULAR_FLAGS)); return 0; }
  const command = ['exchange', 'granular', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'exchange-granular', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const n = pointCount(parsed.job);
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`exchange granular: ${line}\n`); };
    log(`${n} points on ${backend.name} (${backend.adapter})`);
    let result: GranularSweepResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: granularPlan(backend, parsed.job, sweepIdentity(command)), target, backend, onProgress: progressReporter('exchange granular', parsed.quiet), log,
      write: (t, d, i) => writeGranularRun(t, result = granularFromArrays(parsed.job, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'exchange granular', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) writeGranularJson(s => process.stdout.write(s), result, { out: dir });
    else {
      process.stdout.write(`exchange granular on ${result.backend} (${result.adapter}): ${n} points, ${result.seconds.toFixed(2)} s\n`);
      if (result.convergence) process.stdout.write(`refined-rule change of the total: ≤ ${result.convergence.maxRelGross.total.toExponential(2)} of Σ|pieces| (${result.convergence.points.length} points)\n`);
      if (result.twin) process.stdout.write(`webgpu vs float64 twin: ≤ ${result.twin.maxRelGross.total.toExponential(2)} of Σ|pieces|\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `exchange granular` shards: the same writer; the checks come from the shards (no computation here). */
export async function exchangeGranularMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = exchangeGranularFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeGranularRun(target, granularFromArrays(parsed.job, data, info));
}

// ---- figures granular ------------------------------------------------------------------------------

export const FIGURES_GRANULAR_FLAGS: FlagSchema = {
  points: { type: 'int', help: 'points per curve of Figs. 2–7', min: 3, max: 4001, default: FIGURE_DEFAULTS.points },
  resolution: { type: 'int', help: 'points per axis of the (h_B, J_sd) and (ε, J_sd) maps', min: 2, max: 1025, default: FIGURE_DEFAULTS.resolution },
  normalization: GRANULAR_MODEL_FLAGS.normalization,
  rule: { type: 'enum', values: ['coarse', 'standard', 'refined'], help: 'fixed quadrature rule', default: 'standard' },
  'check-points': { type: 'int', help: 'points per figure re-run on the refined rule (and on the twin when on webgpu)', min: 0, max: 1000, default: 4 },
  backend: EXCHANGE_GRANULAR_FLAGS.backend,
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('figures-granular', 'print one summary JSON object on stdout'),
};

const FIGURES_SUMMARY = 'seed-002 Figs. 2–7 (every contribution vs h_B, J_sd, ε; z_n H/k_B in K) and maps of H_ex over (h_B, J_sd) and (ε, J_sd) with the sign-change lines';

function figuresGranularFromFlags(given0: string[]) {
  const sweepFile = expandSweepFile(given0, { command: 'figures granular', flags: FIGURES_GRANULAR_FLAGS }), argv = sweepFile.argv;
  const { values: v } = parseFlags(argv, FIGURES_GRANULAR_FLAGS, 'figures granular');
  const options: FigureOptions = {
    points: v.points as number, resolution: v.resolution as number, normalization: v.normalization as NormalizationName,
    rule: RULES[v.rule as RuleName], checkPoints: v['check-points'] as number,
  };
  return { v, options, argv, sweepFile };
}

export async function figuresGranularCommand(given0: string[]): Promise<number> {
  const { v, options, argv, sweepFile } = figuresGranularFromFlags(given0);
  if (v.help) { process.stdout.write(helpText('figures granular', FIGURES_SUMMARY, FIGURES_GRANULAR_FLAGS)); return 0; }
  const quiet = !!v.quiet;
  const command = ['figures', 'granular', ...argv];
  const target = withSweepFile(outputTarget(v.out as string | undefined, !!v.overwrite, 'figures-granular', command), sweepFile);
  const backend = await openBackend(v.backend as BackendRequest);
  const log = (s: string) => { if (!quiet) process.stderr.write(`figures granular: ${s}\n`); };
  try {
    log(`on ${backend.name} (${backend.adapter})`);
    let run: FiguresRun | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: granularFiguresPlan(backend, options, sweepIdentity(command), log), target, backend, onProgress: progressReporter('figures granular', quiet), log,
      write: async (t, d, i) => (run = await writeGranularFiguresFromArrays(t, options, d, i)).dir,
    });
    if (shard || !run) { reportShard({ command: 'figures granular', shard: shard!, dir, info, json: !!v.json }); return 0; }
    if (v.json) process.stdout.write(JSON.stringify({ ...granularFiguresSummary(run), out: run.dir }) + '\n');
    else {
      process.stdout.write(`figures granular on ${run.backend} (${run.adapter}): ${run.figures.length} figures, ${run.seconds.toFixed(1)} s\n`);
      for (const f of run.figures) process.stdout.write(`  ${f.id}: ${f.svgFile}\n`);
      process.stdout.write(`run directory: ${run.dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `figures granular` shards: the same figures from the joined parts (checks from the shards). */
export async function figuresGranularMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const { options } = figuresGranularFromFlags(argv);
  return (await writeGranularFiguresFromArrays(target, options, data, info)).dir;
}

// ---- bench granular ----------------------------------------------------------------------------------

export const BENCH_GRANULAR_FLAGS: FlagSchema = {
  'per-axis': { type: 'int', help: 'points per axis of the (h_B, J_sd) map timed on every backend', min: 2, max: 128, default: 12 },
  help: { type: 'bool', help: 'show this help' },
};

/** `nanospin bench granular`: one JSON line per backend (points/s, ω̂-series terms/s, accuracy vs the twin). */
export async function benchGranularCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, BENCH_GRANULAR_FLAGS, 'bench granular');
  if (v.help) { process.stdout.write(helpText('bench granular', 'granular exchange map per backend (points/s, ω̂ evaluations/s, accuracy vs the float64 twin)', BENCH_GRANULAR_FLAGS)); return 0; }
  const { runGranularBench } = await import('../../bench/granular.ts');
  await runGranularBench(v['per-axis'] as number, l => process.stdout.write(JSON.stringify(l) + '\n'));
  return 0;
}
