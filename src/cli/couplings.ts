// `nanospin couplings soc-dimer`: couplings, damping and noise of the seed-001 SOC dimer over (μ_F, V, T, t)
// grids; and `nanospin figures soc-dimer` (dispatched from ./figures.ts): the paper's coupling maps.
import { parseFlags, helpText, UsageError, type FlagSchema, type FlagValue, runDirFlags, splitSweeps } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { socDimer, SOC_DIMER_DEFAULTS, type SocDimerParams } from '../models/socDimer/params.ts';
import { parseSweeps, type SweepAxis } from '../sweeps/params.ts';
import { progressReporter } from '../runs/progress.ts';
import {
  MAX_SOC_POINTS, SOC_SWEEP_NAMES, SOC_SWEEP_UNITS, socMapFromArrays, socMapPlan, writeSocCouplingsRun, writeSocMapJson, pointCount,
  type SocMapJob, type SocMapResult, type SocSweepName,
} from '../runs/socCouplings.ts';
import { SOC_FIGURE_DEFAULTS, SOC_FIGURE_RANGES, socFiguresPlan, socFiguresSummary, writeSocFiguresFromArrays, type SocFiguresRun } from '../runs/socFigures.ts';
import { orientationFigureHooks } from '../runs/socOrientationFigures.ts';

const D = SOC_DIMER_DEFAULTS;

/** The electronic model of the SOC dimer (shared by every soc-dimer command). */
export const SOC_MODEL_FLAGS: FlagSchema = {
  muF: { type: 'number', unit: 'meV', help: 'Fermi level μ_F when not swept (μ_L,R = μ_F ± V/2)', default: D.muF },
  V: { type: 'number', unit: 'mV', help: 'bias voltage V when not swept', default: D.V },
  T: { type: 'number', unit: 'K', help: 'lead temperature T = T_L (0: Fermi steps, the paper\'s T → 0)', min: 0, default: D.TL },
  dT: { type: 'number', unit: 'K', help: 'thermal bias ΔT = T_R − T_L (T_R must stay ≥ 0)', default: D.dT },
  te: { type: 'number', unit: 'meV', help: 'lead hopping t_e (band [−2t_e, 2t_e])', min: 0, minOpen: true, default: D.te },
  tL: { type: 'number', unit: 'meV', help: 'contact hopping t_L (left lead on site 1)', min: 0, minOpen: true, default: D.tL },
  tR: { type: 'number', unit: 'meV', help: 'contact hopping t_R (right lead on site 2)', min: 0, minOpen: true, default: D.tR },
  t0: { type: 'number', unit: 'meV', help: 'spin-independent dimer hopping t0', default: D.t0 },
  t: { type: 'number', unit: 'meV', help: 'SOC hopping t (weak: 0.1 = 5 % t0; strong: 1 = t0/2)', default: D.t },
  tHat: { type: 'vec3', help: 'SOC direction t̂ (normalised; non-zero)', default: D.tHat },
  eps0: { type: 'number', unit: 'meV', help: 'on-site energy ε0 of both sites', default: D.eps0 },
  'fixed-bands': { type: 'bool', help: 'keep both lead bands centred at 0 (default: each band follows its chemical potential, centre μ_χ − μ_F)' },
};

export const COUPLINGS_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: `swept parameter name=from:to:count, repeatable (1D or 2D grid, first axis slowest); names: ${SOC_SWEEP_NAMES.map(n => `${n} (${SOC_SWEEP_UNITS[n]})`).join(', ')}` },
  'sweep-file': SWEEP_FILE_FLAG,
  ...SOC_MODEL_FLAGS,
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL kernel) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' },
  ...runDirFlags('couplings-soc-dimer', 'print {backend, adapter, seconds, pointsPerSecond, normalisation, points:[{muF, V, J1, …, jAn, energyInjection}]} as one JSON object on stdout'),
};

const COUPLINGS_SUMMARY = 'exchange J, DMI D, Ising A, local anisotropy K, Gilbert damping α and noise j of the seed-001 SOC dimer (Eq. A24, paper normalisation) over μ_F × V (or T, t) grids';


/** The electronic model from SOC_MODEL_FLAGS values (range errors become usage errors naming the flag). */
export function socModelFromFlags(v: Record<string, FlagValue>): SocDimerParams {
  try {
    return socDimer({
      te: v.te as number, tL: v.tL as number, tR: v.tR as number, t0: v.t0 as number, t: v.t as number,
      tHat: v.tHat as [number, number, number], eps0: v.eps0 as number, muF: v.muF as number, V: v.V as number,
      TL: v.T as number, dT: v.dT as number, bandShift: !v['fixed-bands'],
    });
  } catch (e) {
    const m = (e as Error).message;
    throw new UsageError(m.startsWith('tHat') ? `--${m}` : m);
  }
}

export interface CouplingsCli {
  job: SocMapJob; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function couplingsJobFromFlags(given0: string[]): CouplingsCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'couplings soc-dimer', flags: COUPLINGS_FLAGS, sweepable: SOC_SWEEP_NAMES }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, COUPLINGS_FLAGS, 'couplings soc-dimer');
  if (v.help) return 'help';
  if (sweeps.length > 2) throw new UsageError(`--sweep: at most 2 axes (a 1D or 2D grid), got ${sweeps.length}`);
  let axes: SweepAxis[];
  try { axes = parseSweeps(sweeps, SOC_SWEEP_NAMES, MAX_SOC_POINTS); } catch (e) { throw new UsageError((e as Error).message); }
  for (const a of axes) if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
  const dT = v.dT as number;
  const T = axes.find(a => a.name === 'T');
  const Ts = T ? Array.from(T.values) : [v.T as number];
  const Tmin = Math.min(...Ts);
  if (T && Tmin < 0) throw new UsageError(`--sweep T: temperatures must be ≥ 0 K, got ${Tmin}`);
  if (Tmin + dT < 0) throw new UsageError(`--dT: T_R = T + ΔT must be ≥ 0 K, got T = ${Tmin} K and ΔT = ${dT} K`);
  const base = socModelFromFlags(v);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    job: { base, axes }, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/couplings-soc-dimer-${stamp}`,
    overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile,
  };
}

export async function couplingsSocDimerCommand(argv: string[]): Promise<number> {
  const help = () => process.stdout.write(helpText('couplings soc-dimer', COUPLINGS_SUMMARY, COUPLINGS_FLAGS));
  const parsed = couplingsJobFromFlags(argv);
  if (parsed === 'help') { help(); return 0; }
  const command = ['couplings', 'soc-dimer', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'couplings-soc-dimer', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const n = pointCount(parsed.job);
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`couplings soc-dimer: ${line}\n`); };
    log(`${n} points on ${backend.name} (${backend.adapter})`);
    let result: SocMapResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: socMapPlan(backend, parsed.job, sweepIdentity(command)), target, backend, onProgress: progressReporter('couplings soc-dimer', parsed.quiet), log,
      write: (t, d, i) => writeSocCouplingsRun(t, result = socMapFromArrays(parsed.job, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'couplings soc-dimer', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) writeSocMapJson(s => process.stdout.write(s), result, { out: dir });
    else {
      process.stdout.write(`couplings soc-dimer on ${result.backend} (${result.adapter}): ${n} points, ${result.seconds.toFixed(2)} s (${result.pointsPerSecond.toFixed(0)} points/s)\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `couplings soc-dimer` shards: the same writer on the joined arrays. */
export async function couplingsSocDimerMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = couplingsJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeSocCouplingsRun(target, socMapFromArrays(parsed.job, data, info));
}

// ---- figures soc-dimer -----------------------------------------------------------------------------

export const SOC_FIGURES_FLAGS: FlagSchema = {
  'bias-points': { type: 'int', help: 'bias points of Figs. 4 and 5 (V ∈ [−6, 6] mV)', min: 2, max: 10001, default: 49 },
  trajectories: { type: 'int', help: 'Langevin trajectories per bias point in Figs. 4 and 5', min: 1, max: 2 ** 20, default: 64 },
  seed: { type: 'int', help: 'noise seed of Figs. 4 and 5', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  resolution: { type: 'int', help: `points per axis of every map (μ_F ∈ [${SOC_FIGURE_RANGES.muF.join(', ')}] meV horizontal × V ∈ [${SOC_FIGURE_RANGES.V.join(', ')}] mV vertical)`, min: 2, max: 1001, default: SOC_FIGURE_DEFAULTS.resolution },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend of the coupling maps', default: 'auto' },
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('figures-soc-dimer', 'print one summary JSON object on stdout'),
};

const SOC_FIGURES_SUMMARY = 'seed-001 Figs. 2 and 6 (weak SOC, t = 0.1 meV) and 7 (strong SOC, t = 1 meV): J_2, D_2, α^(i)_22, j^(i)_22, A_2, K_2, α^(an)_22, j^(an)_22 over μ_F × V at T = 0; Figs. 4 and 5: the free spin vs bias, Langevin vs Fokker–Planck';

function figuresSocDimerFromFlags(given0: string[]) {
  const sweepFile = expandSweepFile(given0, { command: 'figures soc-dimer', flags: SOC_FIGURES_FLAGS }), argv = sweepFile.argv;
  const { values: v } = parseFlags(argv, SOC_FIGURES_FLAGS, 'figures soc-dimer');
  const hooks = { extraFigures: orientationFigureHooks({ points: v['bias-points'] as number, trajectories: v.trajectories as number, seed: v.seed as number }) };
  return { v, argv, sweepFile, options: { resolution: v.resolution as number }, hooks };
}

export async function figuresSocDimerCommand(given0: string[]): Promise<number> {
  const { v, argv, sweepFile, options, hooks } = figuresSocDimerFromFlags(given0);
  if (v.help) { process.stdout.write(helpText('figures soc-dimer', SOC_FIGURES_SUMMARY, SOC_FIGURES_FLAGS)); return 0; }
  const quiet = !!v.quiet;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = (v.out as string | undefined) ?? `runs/figures-soc-dimer-${stamp}`;
  const command = ['figures', 'soc-dimer', ...argv];
  const target = withSweepFile(outputTarget(out, !!v.overwrite, 'figures-soc-dimer', command), sweepFile);
  const backend = await openBackend(v.backend as BackendRequest);
  const log = (s: string) => { if (!quiet) process.stderr.write(`figures soc-dimer: ${s}\n`); };
  try {
    log(`coupling maps on ${backend.name} (${backend.adapter}), ${v.resolution} × ${v.resolution} points each`);
    let run: SocFiguresRun | undefined;
    const all = { ...hooks, stage: log };
    const { dir, shard, info } = await runSweepCommand({
      plan: socFiguresPlan(backend, options, sweepIdentity(command), all), target, backend, onProgress: progressReporter('figures soc-dimer', quiet), log,
      write: async (t, d, i) => (run = await writeSocFiguresFromArrays(t, options, d, i, all)).dir,
    });
    if (shard || !run) { reportShard({ command: 'figures soc-dimer', shard: shard!, dir, info, json: !!v.json }); return 0; }
    if (v.json) process.stdout.write(JSON.stringify({ ...socFiguresSummary(run), out: run.dir }) + '\n');
    else {
      process.stdout.write(`figures soc-dimer on ${run.backend} (${run.adapter}): ${run.figures.length} panels, ${run.seconds.total.toFixed(1)} s\n`);
      for (const f of run.figures) process.stdout.write(`  ${f.id}: ${f.svgFile}\n`);
      process.stdout.write(`run directory: ${run.dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `figures soc-dimer` shards: the same figures from the joined maps and bias sweeps. */
export async function figuresSocDimerMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const { options, hooks } = figuresSocDimerFromFlags(argv);
  return (await writeSocFiguresFromArrays(target, options, data, info, hooks)).dir;
}
