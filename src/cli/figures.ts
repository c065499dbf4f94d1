// `nanospin figures junction`: the seed-000 Figs. 2(a–c), 3(a–c), 4(a–c) (closed Eqs. 7–9 as printed with
// the Keldysh couplings overlaid) and 2D maps the paper did not show, written as a run directory.
import { parseFlags, helpText, UsageError, type FlagSchema, runDirFlags } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { MAX_GRID_POINTS } from '../kernels/exchange/grid.ts';
import { progressReporter } from '../runs/progress.ts';
import {
  FIGURE_DEFAULTS, MAP_METHODS, junctionFiguresFromArrays, junctionFiguresPlan, writeJunctionFigures, figuresSummary,
  type FiguresOptions, type FiguresResult, type MapMethod,
} from '../runs/junctionFigures.ts';

/** What --quick sets (each overridable by its own flag). */
export const QUICK = { points: 9, window: 10, stepDivisor: 2, mapNx: 21, mapNy: 15 };
const MAX_POINTS = 4001, MAX_MAP_SIDE = 1001;

export const FIGURES_FLAGS: FlagSchema = {
  points: { type: 'int', help: 'points per 1D sweep (μ ∈ [−3, 3] meV, V ∈ [−4, 4] mV, ΔT ∈ [0, 30] K)', min: 2, max: MAX_POINTS, default: FIGURE_DEFAULTS.points },
  window: { type: 'number', unit: 'meV', help: 'keldysh: energy window beyond the levels and chemical potentials; smaller is faster and less accurate (the convergence entry of each keldysh run in manifest.json says by how much)', min: 1, max: 5000, default: FIGURE_DEFAULTS.window },
  'step-divisor': { type: 'int', help: 'keldysh: energy step = min(k_B T, narrowest resonance half-width) / this', min: 1, max: 64, default: FIGURE_DEFAULTS.stepDivisor },
  convergence: { type: 'bool', help: 'keldysh: per run, re-run the 3 largest points with 2× step and ½ window and record the change (default on; --convergence=false to skip)', default: true },
  maps: { type: 'bool', help: '2D maps: Czz over μ × V and V × ΔT for (0.5, 0.5), κ over μ × V for (0.5, 0) (default on; --maps=false to skip)', default: true },
  'map-method': { type: 'enum', values: MAP_METHODS, help: 'maps: closed (Eq. 7 / exact κ, float64, fast) or keldysh (on --backend; slow on llvmpipe: ~0.4 s per point at the default grid)', default: 'closed' },
  'map-points': { type: 'string', help: `maps: resolution NXxNY, 2 ≤ NX, NY ≤ ${MAX_MAP_SIDE} (x: μ or V, y: V or ΔT)`, default: `${FIGURE_DEFAULTS.mapNx}x${FIGURE_DEFAULTS.mapNy}` },
  quick: { type: 'bool', help: `a first look / test run: --points ${QUICK.points} --window ${QUICK.window} --step-divisor ${QUICK.stepDivisor} --map-points ${QUICK.mapNx}x${QUICK.mapNy} unless given` },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'backend of the keldysh runs (closed forms run float64 on the CPU)', default: 'auto' },
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('figures-junction', 'print one summary JSON object on stdout'),
};

const SUMMARY = "seed 000 Figs. 2–4: Eqs. 7–9 as printed (solid) with the Keldysh couplings (dashed) over μ, V and ΔT for (p_L, p_R) = (0,0), (0.5,0.5), (0.5,−0.5), (0.5,0), (0,0.5) (not listed in the paper), plus 2D maps";

export interface FiguresCli {
  options: FiguresOptions; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

function parseMapPoints(raw: string): [number, number] {
  const m = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(raw);
  const nx = m ? Number(m[1]) : NaN, ny = m ? Number(m[2]) : NaN;
  if (!m || nx < 2 || ny < 2 || nx > MAX_MAP_SIDE || ny > MAX_MAP_SIDE) {
    throw new UsageError(`--map-points must be NXxNY with integers 2 ≤ NX, NY ≤ ${MAX_MAP_SIDE} (e.g. 121x81), got '${raw}'`);
  }
  return [nx, ny];
}

export function figuresJobFromFlags(given0: string[]): FiguresCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'figures junction', flags: FIGURES_FLAGS }), argv = sweepFile.argv;
  const { values: v, given } = parseFlags(argv, FIGURES_FLAGS, 'figures junction');
  if (v.help) return 'help';
  const quick = !!v.quick;
  const pick = <T>(flag: string, quickValue: T): T => (quick && !given.has(flag) ? quickValue : (v[flag] as T));
  const points = pick('points', QUICK.points);
  const window = pick('window', QUICK.window);
  const stepDivisor = pick('step-divisor', QUICK.stepDivisor);
  const [nx, ny] = quick && !given.has('map-points') ? [QUICK.mapNx, QUICK.mapNy] : parseMapPoints(v['map-points'] as string);
  const method = v['map-method'] as MapMethod;
  if (!v.maps && (given.has('map-method') || given.has('map-points'))) throw new UsageError('--map-method and --map-points need the maps; drop --maps=false');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    options: { points, grid: { window, stepDivisor }, convergence: v.convergence as boolean, maps: v.maps ? { method, nx, ny } : false },
    backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/figures-junction-${stamp}`,
    overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile,
  };
}

export async function figuresJunctionCommand(argv: string[]): Promise<number> {
  const help = () => process.stdout.write(helpText('figures junction', SUMMARY, FIGURES_FLAGS));
  const parsed = figuresJobFromFlags(argv);
  if (parsed === 'help') { help(); return 0; }
  const command = ['figures', 'junction', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'figures-junction', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`figures junction: ${s}\n`); };
  try {
    log(`keldysh on ${backend.name} (${backend.adapter}); ${parsed.options.points} points per sweep, window ${parsed.options.grid.window} meV, step divisor ${parsed.options.grid.stepDivisor}; closed forms float64 on the CPU`);
    let plan;
    try {
      plan = junctionFiguresPlan(backend, parsed.options, sweepIdentity(command), { stage: log });
    } catch (e) {
      // grid limits (too many energies for the window / step) are input errors: name the flags
      if (e instanceof RangeError && /energy grid needs/.test(e.message)) throw new UsageError(`${e.message} (--window, --step-divisor; the cap is ${MAX_GRID_POINTS} energies)`);
      throw e;
    }
    let result: FiguresResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan, target, backend, onProgress: progressReporter('figures junction', parsed.quiet), log,
      write: (t, d, i) => writeJunctionFigures(t, result = junctionFiguresFromArrays(parsed.options, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'figures junction', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) process.stdout.write(JSON.stringify({ ...figuresSummary(result), out: dir }) + '\n');
    else {
      process.stdout.write(`figures junction: keldysh on ${result.backend} (${result.adapter}), ${result.seconds.total.toFixed(1)} s (keldysh ${result.seconds.keldysh.toFixed(1)} s, closed ${result.seconds.closed.toFixed(1)} s, maps ${result.seconds.maps.toFixed(1)} s)\n`);
      for (const p of result.panels) {
        const a = p.agreement;
        process.stdout.write(`  ${p.spec.id}: max |keldysh − closed| (p_L = p_R) ${a.maxAbsDiff.toExponential(2)} meV` +
          `${a.relative !== null ? ` = ${a.relative.toExponential(2)} of max |closed|` : ''}; p_L ≠ p_R (closed approximate) ${a.approximateSets.maxAbsDiff.toExponential(2)} meV\n`);
      }
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `figures junction` shards: the same figures from the joined parts (probes from the shards). */
export async function figuresJunctionMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = figuresJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeJunctionFigures(target, junctionFiguresFromArrays(parsed.options, data, info));
}
