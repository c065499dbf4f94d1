// `nanospin torques dot-valve`: field-like and damping-like torques (Eq. 2), charge current and occupation of the
// quantum-dot spin valve (seed 004) over (ε̃, V) maps and θ-cuts, with the Eq. 4 resonance overlaid, plus the LLG
// torque tables per point; and `nanospin bench dot-valve` (driver in bench/dotValve.ts). Every energy flag is in
// units of Γ (the model is dimensionless; the paper's Γ = ½(Γ_S + Γ_D)).
import { parseFlags, helpText, UsageError, type FlagSchema, type FlagValue, runDirFlags, splitSweeps } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { dotValve, DOT_VALVE_DEFAULTS, type DotValveParams, type DotValveOrder } from '../models/dotValve/params.ts';
import { parseSweep, type SweepAxis } from '../sweeps/params.ts';
import { parseAxis } from '../sweeps/grid.ts';
import { progressReporter } from '../runs/progress.ts';
import { DV_SWEEP_NAMES, MAX_DV_ROWS, dotValveMapFromArrays, dotValveMapPlan, pointCount, writeDotValveJson, writeDotValveRun, type DotValveMapJob, type DotValveMapResult, type UnitOption } from '../runs/dotValve.ts';

const D = DOT_VALVE_DEFAULTS;

/** The transport model (shared by the dot-valve commands). Energies in units of Γ. */
export const DV_MODEL_FLAGS: FlagSchema = {
  U: { type: 'number', unit: 'Γ', help: 'charging energy U', min: 0, minOpen: true, default: D.U },
  T: { type: 'number', unit: 'Γ', help: 'lead temperature k_BT (the digamma forms need T > 0)', min: 0, minOpen: true, default: D.T },
  gammaS: { type: 'number', unit: 'Γ', help: 'source tunnel rate Γ_S (the paper\'s unit is Γ = ½(Γ_S + Γ_D); for energies in units of Γ_S pass --gammaS 1 --gammaD 2)', min: 0, minOpen: true, default: D.gammaS },
  gammaD: { type: 'number', unit: 'Γ', help: 'drain tunnel rate Γ_D (paper Fig. 2: Γ_D = 2Γ_S)', min: 0, minOpen: true, default: D.gammaD },
  p: { type: 'number', help: 'lead polarisation p of both leads', min: 0, max: 1, default: D.pS },
  pS: { type: 'number', help: 'source polarisation (overrides --p)', min: 0, max: 1 },
  pD: { type: 'number', help: 'drain polarisation (overrides --p)', min: 0, max: 1 },
  order: { type: 'enum', values: ['cotunnelling', 'sequential'], help: 'cotunnelling: first order + the O(Γ²) cotunnelling dissipator (needed inside Coulomb blockade); sequential: first order (tunnelling + exchange field) only', default: D.order },
};

export const TORQUES_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: 'swept parameter name=from:to:count (Γ), repeatable (1D or 2D grid, first axis slowest); names: eps (ε̃ = ε + U/2), V. Fig. 2/4 plane: --sweep eps=-500:500:N --sweep V=-500:500:N' },
  'sweep-file': SWEEP_FILE_FLAG,
  eps: { type: 'number', unit: 'Γ', help: 'ε̃ = ε + U/2 when not swept (default: the Fig. 4 inset point U/4 for U = 1000)', default: 250 },
  V: { type: 'number', unit: 'Γ', help: 'bias V when not swept (μ_S = +V/2, μ_D = −V/2; default: the Fig. 4 inset point −0.15U)', default: -150 },
  theta: { type: 'string', help: 'drain angles θ: a comma list (a,b,…) or a grid from:to:count (count ≥ 2), in units of π (see --theta-unit), within [0, π]; default 0.01,0.99 (Fig. 4) with --sweep, 0:1:101 (a θ-cut) without' },
  'theta-unit': { type: 'enum', values: ['pi', 'rad'], help: 'unit of --theta', default: 'pi' },
  ...DV_MODEL_FLAGS,
  table: { type: 'int', help: 'nodes of the LLG torque table per point (0: no table)', min: 0, max: 4096, default: 65 },
  'table-grid': { type: 'enum', values: ['u', 'zeta'], help: 'LLG table nodes: u = the core\'s grid u_k = −1 + 2k/(n−1) in u = cos θ; zeta = uniform in ζ = √(1+u) − √(1−u) (nearly uniform in θ: resolves the steep torque next to θ = π, see docs/models/dotValve.md)', default: 'u' },
  unit: { type: 'enum', values: ['gamma', 'meV'], help: 'gamma: everything in units of Γ (default); meV: also physical values for Γ = --gamma-mev meV', default: 'gamma' },
  'gamma-mev': { type: 'number', unit: 'meV', help: 'Γ in meV for --unit meV (the paper\'s ref. 23 estimate: ≈ 8 meV)', min: 0, minOpen: true, default: 8 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL torque-table kernel) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' },
  ...runDirFlags('torques-dot-valve', 'print {backend, adapter, params, conventions, resonance, points:[{eps, V, theta, tauFL, tauDL, current, occupation, …}]} as one JSON object on stdout'),
};

const TORQUES_SUMMARY = 'field-like and damping-like drain torques I_FL, I_DL (Eq. 2), charge current and occupation of the seed-004 quantum-dot spin valve over (ε̃, V) maps and θ-cuts (Fig. 4, Fig. 3 readout), Eq. 4 resonance overlaid, LLG torque tables per point; energies in units of Γ';

/** Parse --theta: list or from:to:count, in units of π or rad; returns radians in [0, π]. */
export function parseTheta(spec: string, unit: 'pi' | 'rad'): Float64Array {
  const scale = unit === 'pi' ? Math.PI : 1, hi = unit === 'pi' ? 1 : Math.PI;
  let vals: Float64Array;
  if (spec.includes(':')) {
    const parts = spec.split(':');
    if (parts.length !== 3) throw new UsageError(`--theta must be a list a,b,… or a grid from:to:count, got '${spec}'`);
    const count = Number(parts[2]);
    if (!Number.isInteger(count) || count < 2) throw new UsageError(`--theta grid from:to:count needs count ≥ 2 points (an integer), got '${parts[2]}'; for a single angle give one value`);
    try { vals = parseAxis(spec, '--theta'); } catch (e) { throw new UsageError((e as Error).message); }
  } else {
    const items = spec.split(',');
    if (items.length === 0 || items.some(s => s.trim() === '')) throw new UsageError(`--theta must be a non-empty comma list of angles or from:to:count, got '${spec}'`);
    vals = Float64Array.from(items, Number);
  }
  for (const v of vals) {
    if (!Number.isFinite(v) || v < 0 || v > hi * (1 + 1e-12)) throw new UsageError(`--theta: angles must be in [0, ${unit === 'pi' ? '1] (units of π)' : 'π] (rad)'}, got ${v}`);
  }
  return Float64Array.from(vals, v => Math.min(Math.PI, v * scale));
}

/** The model from DV_MODEL_FLAGS values (range errors become usage errors naming the flag). */
export function dotValveModelFromFlags(v: Record<string, FlagValue>, eps = 0, V = 0): DotValveParams {
  const p = v.p as number;
  try {
    return dotValve({
      eps, V, U: v.U as number, T: v.T as number, gammaS: v.gammaS as number, gammaD: v.gammaD as number,
      pS: (v.pS as number | undefined) ?? p, pD: (v.pD as number | undefined) ?? p, order: v.order as DotValveOrder,
    });
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`);
  }
}

export interface TorquesCli {
  job: DotValveMapJob; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean; unit?: UnitOption;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function torquesJobFromFlags(given0: string[]): TorquesCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'torques dot-valve', flags: TORQUES_FLAGS, sweepable: DV_SWEEP_NAMES }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, TORQUES_FLAGS, 'torques dot-valve');
  if (v.help) return 'help';
  if (sweeps.length > 2) throw new UsageError(`--sweep: at most 2 axes (eps, V), got ${sweeps.length}`);
  const axes: SweepAxis[] = [];
  for (const s of sweeps) {
    const eq = s.indexOf('=');
    if (eq > 0 && s.slice(eq + 1).trim() === '') throw new UsageError(`--sweep ${s.slice(0, eq)}: empty range; give from:to:count with count ≥ 1`);
    let a: SweepAxis;
    try { a = parseSweep(s, DV_SWEEP_NAMES); } catch (e) { throw new UsageError((e as Error).message); }
    if (axes.some(b => b.name === a.name)) throw new UsageError(`--sweep ${a.name} given twice`);
    if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
    axes.push(a);
  }
  const thetaSpec = (v.theta as string | undefined) ?? (axes.length ? '0.01,0.99' : '0:1:101');
  const thetas = parseTheta(thetaSpec, v['theta-unit'] as 'pi' | 'rad');
  const tableNodes = v.table as number;
  if (tableNodes === 1) throw new UsageError('--table must be 0 (no LLG table) or ≥ 2 nodes, got 1');
  const base = dotValveModelFromFlags(v, v.eps as number, v.V as number);
  const job: DotValveMapJob = { base, axes, thetas, tableNodes, tableGrid: v['table-grid'] as 'u' | 'zeta' };
  const n = pointCount(job);
  if (n * Math.max(thetas.length, tableNodes) > MAX_DV_ROWS) throw new UsageError(`--sweep/--theta/--table: ${n} points × ${Math.max(thetas.length, tableNodes)} angles is more than the ${MAX_DV_ROWS} rows one run takes; split the grid`);
  return {
    job, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet,
    unit: v.unit === 'meV' ? { gammaMeV: v['gamma-mev'] as number } : undefined, argv, sweepFile,
  };
}

export async function torquesDotValveCommand(argv: string[]): Promise<number> {
  const parsed = torquesJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('torques dot-valve', TORQUES_SUMMARY, TORQUES_FLAGS)); return 0; }
  const command = ['torques', 'dot-valve', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'torques-dot-valve', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const n = pointCount(parsed.job);
    const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`torques dot-valve: ${s}\n`); };
    log(`${n} points × ${parsed.job.thetas.length} angles (+ ${parsed.job.tableNodes}-node LLG tables) on ${backend.name} (${backend.adapter})`);
    let result: DotValveMapResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: dotValveMapPlan(backend, parsed.job, sweepIdentity(command)), target, backend, onProgress: progressReporter('torques dot-valve', parsed.quiet), log,
      write: (t, d, i) => writeDotValveRun(t, result = dotValveMapFromArrays(parsed.job, d, i), parsed.unit),
    });
    if (shard || !result) { reportShard({ command: 'torques dot-valve', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) writeDotValveJson(s => process.stdout.write(s), result, { out: dir }, parsed.unit);
    else {
      process.stdout.write(`torques dot-valve on ${result.backend} (${result.adapter}): ${n} points × ${result.nTheta} angles, ${result.seconds.total.toFixed(2)} s (${result.pointsPerSecond.toFixed(0)} points/s)\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `torques dot-valve` shards: the same writer on the joined arrays. */
export async function torquesDotValveMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = torquesJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeDotValveRun(target, dotValveMapFromArrays(parsed.job, data, info), parsed.unit);
}

// ---- bench dot-valve ---------------------------------------------------------------------------------------

const BENCH_FLAGS: FlagSchema = {
  points: { type: 'int', help: '(ε̃, V) points timed on the webgpu backend (of the 256 × 256 grid over the Fig. 2 plane, scattered order)', min: 1, max: 65536, default: 16384 },
  'cpu-points': { type: 'int', help: 'points timed on the cpu backend (the first ones of the same sequence)', min: 1, max: 65536, default: 1024 },
  angles: { type: 'int', help: 'angles per point (u-grid nodes of the LLG table)', min: 2, max: 4096, default: 65 },
  diagram: { type: 'string', help: 'table to estimate: EPSxV points', default: '256x256' },
  'llg-trajectories': { type: 'int', help: 'drain LLG (switching diagram): trajectories timed on webgpu (0: skip the LLG benchmark)', min: 0, max: 2 ** 20, default: 16384 },
  'llg-cpu-trajectories': { type: 'int', help: 'drain LLG: trajectories timed on cpu (0: skip)', min: 0, max: 2 ** 20, default: 512 },
  'llg-steps': { type: 'int', help: 'drain LLG: steps of the longer of the two timed runs (the rate is their slope)', min: 8, max: 1e6, default: 2000 },
  'llg-diagram': { type: 'string', help: 'drain LLG diagram to estimate: SIDExSIDExTRAJECTORIES at the paper\'s 2·10⁶ steps', default: '256x256x16' },
  backends: { type: 'list', values: ['webgpu', 'cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu' },
  json: { type: 'bool', help: 'one JSON object per line per measurement' },
  help: { type: 'bool', help: 'show this help' },
};

export async function benchDotValveCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, BENCH_FLAGS, 'bench dot-valve');
  if (v.help) { process.stdout.write(helpText('bench dot-valve', 'dot-valve torque tables (points/s, 6×6 steady-state solves/s) and the switching diagram\'s drain LLG (spin-steps/s) per backend in the same run, with the time of a full (ε̃, V) table and of the default 256 × 256 × 16 diagram', BENCH_FLAGS)); return 0; }
  const d = String(v.diagram).split('x').map(Number);
  if (d.length !== 2 || !d.every(x => Number.isInteger(x) && x >= 1)) throw new UsageError(`--diagram must be EPSxV with positive integers, got '${v.diagram}'`);
  const ld = String(v['llg-diagram']).split('x').map(Number);
  if (ld.length !== 3 || !ld.every(x => Number.isInteger(x) && x >= 1) || ld[0] !== ld[1]) throw new UsageError(`--llg-diagram must be SIDExSIDExTRAJECTORIES with positive integers (a square grid), got '${v['llg-diagram']}'`);
  const { runDotValveBench } = await import('../../bench/dotValve.ts');
  const llgOn = (v['llg-trajectories'] as number) > 0 || (v['llg-cpu-trajectories'] as number) > 0;
  const lines = await runDotValveBench({
    backends: String(v.backends).split(',') as ('webgpu' | 'cpu')[],
    points: { webgpu: v.points as number, cpu: v['cpu-points'] as number }, angles: v.angles as number, diagram: d[0] * d[1],
    llg: llgOn ? { trajectories: { webgpu: v['llg-trajectories'] as number, cpu: v['llg-cpu-trajectories'] as number }, steps: v['llg-steps'] as number, side: ld[0], perPoint: ld[2] } : undefined,
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0].machine;
    const hours = (s: number) => (s >= 5400 ? `${(s / 3600).toFixed(1)} h` : s >= 90 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(1)} s`);
    process.stdout.write(`dot-valve torque tables (seed 004), ${v.angles} angles per point — ${m.cpus}× ${m.cpuModel}, node ${m.node}\n`);
    for (const l of lines) {
      if (l.benchmark !== 'dot-valve-torque-table') continue;
      process.stdout.write(l.error ? `  ${l.backend.padEnd(8)} error: ${l.error}\n` :
        `  ${l.backend.padEnd(8)} ${l.pointsPerSecond.toExponential(3)} points/s, ${l.solvesPerSecond.toExponential(3)} solves/s (${l.points} points in ${l.seconds.toFixed(3)} s) ×${(l.ratioToCpu ?? NaN).toFixed(1)} cpu; ${d[0]}×${d[1]} table ≈ ${l.diagramSeconds.toFixed(2)} s; max |Δ| vs cpu ${l.maxDeviationFromCpu?.toExponential(2) ?? '—'}\n      ${l.adapter}\n`);
    }
    const llg = lines.filter(l => l.benchmark === 'dot-valve-llg');
    if (llg.length) process.stdout.write(`drain LLG of the switching diagram (${llg[0].tableNodes}-node ${llg[0].tableGrid} tables, angle + current observables, dt = 10⁻²/Γ)\n`);
    for (const l of llg) {
      if (l.benchmark !== 'dot-valve-llg') continue;
      process.stdout.write(l.error ? `  ${l.backend.padEnd(8)} error: ${l.error}\n` :
        `  ${l.backend.padEnd(8)} ${l.spinStepsPerSecond.toExponential(3)} spin-steps/s (${l.trajectories} trajectories × ${l.steps} steps) ×${(l.ratioToCpu ?? NaN).toFixed(1)} cpu; ${l.diagram}: ${l.diagramSpinSteps.toExponential(2)} spin-steps ≈ ${hours(l.diagramSeconds)}\n`);
    }
  }
  return lines.some(l => l.error) ? 1 : 0;
}

export { DOT_VALVE_DEFAULTS };
