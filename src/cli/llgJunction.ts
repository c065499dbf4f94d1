// `nanospin llg junction`: bias-driven dimer dynamics from the junction's exchange fields.
import { parseFlags, helpText, UsageError, type FlagSchema, runDirFlags } from './args.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { EXCHANGE_FLAGS, junctionFromFlags } from './exchange.ts';
import { JUNCTION_PARAMETER_NAMES, JUNCTION_PARAMETERS } from '../models/junction/index.ts';
import { junctionDynamicsFromArrays, junctionDynamicsPlan, type JunctionDynamicsJob, type JunctionDynamicsResult } from '../runs/junctionDynamics.ts';
import { reportShard, runSweepCommand, sweepExtra, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { parseSweep } from '../sweeps/params.ts';
import { progressReporter } from '../runs/progress.ts';
import { outputTarget, withRunDir, type OutputTarget } from '../runs/output.ts';
import { lineChart } from '../plots/svg.ts';
import { unit3 } from '../numerics/vec3.ts';

type V3 = [number, number, number];
const { method: _m, convergence: _c, json: _j, out: _o, quiet: _q, help: _h, overwrite: _w, backend: _b, 'sweep-file': _f, ...JUNCTION_FLAGS } = EXCHANGE_FLAGS;

export const LLG_JUNCTION_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: `the swept parameter name=from:to:count (one axis; e.g. V=-4:4:33); names: ${JUNCTION_PARAMETER_NAMES.join(', ')}` },
  'sweep-file': SWEEP_FILE_FLAG,
  method: { type: 'enum', values: ['keldysh', 'closed'], help: 'how the exchange fields are computed (closed: Eqs. 7–9 derived fields, symmetric collinear dimer only)', default: 'keldysh' },
  ...JUNCTION_FLAGS,
  systems: { type: 'int', help: 'trajectories per sweep point (each point runs them twice: full fields and reciprocal part only)', min: 1, max: 2 ** 20, default: 256 },
  S: { type: 'number', help: 'spin length S of both molecular spins', min: 0, minOpen: true, default: 2 },
  alpha: { type: 'number', help: 'Gilbert damping α', min: 0, max: 100, default: 0.5 },
  temperature: { type: 'number', unit: 'K', help: 'bath temperature of the LLG noise', min: 0, max: 1e5, default: 0.05 },
  anisotropy: { type: 'number', unit: 'meV', help: 'local uniaxial anisotropy K of each spin (energy −K(m·n)²)', default: 0 },
  'easy-axis': { type: 'vec3', help: 'anisotropy axis n', default: [0, 0, 1] },
  dt: { type: 'number', unit: 'ps', help: 'time step', min: 0, minOpen: true, max: 10, default: 0.05 },
  time: { type: 'number', unit: 'ps', help: 'duration', min: 0, minOpen: true, default: 2000 },
  'average-from': { type: 'number', unit: 'ps', help: 'start of the time-average window (default half of --time)', min: 0 },
  seed: { type: 'int', help: 'noise seed', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend (exchange integrals and LLG)', default: 'auto' },
  ...runDirFlags('llg-junction', 'print {backend, points:[…]} as one JSON object on stdout'),
};

const SUMMARY = 'bias-driven spin-dimer dynamics from the junction exchange fields (seed 000 → LLG)';

export interface LlgJunctionCli {
  job: JunctionDynamicsJob; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function llgJunctionJobFromFlags(given0: string[]): LlgJunctionCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'llg junction', flags: LLG_JUNCTION_FLAGS, sweepable: JUNCTION_PARAMETER_NAMES }), argv = sweepFile.argv;
  const { values: v, given } = parseFlags(argv, LLG_JUNCTION_FLAGS, 'llg junction');
  if (v.help) return 'help';
  if (v.sweep === undefined) throw new UsageError('llg junction: --sweep name=from:to:count is required (e.g. --sweep V=-4:4:33)');
  let axis;
  try { axis = parseSweep(String(v.sweep), JUNCTION_PARAMETER_NAMES); } catch (e) { throw new UsageError((e as Error).message); }
  if (given.has(axis.name)) throw new UsageError(`--${axis.name} and --sweep ${axis.name}=… both given; keep one`);
  const base = junctionFromFlags(v, given);
  const time = v.time as number, averageFrom = (v['average-from'] as number | undefined) ?? time / 2;
  if (averageFrom >= time) throw new UsageError(`--average-from must be < --time (${time} ps), got ${averageFrom}`);
  let easyAxis: V3;
  try { easyAxis = unit3(v['easy-axis'] as V3, '--easy-axis'); } catch (e) { throw new UsageError((e as Error).message); }
  const job: JunctionDynamicsJob = {
    base, axis, method: v.method as 'keldysh' | 'closed', grid: { window: v.window as number, ...(v.step !== undefined ? { step: v.step as number } : {}) },
    S: v.S as number, alpha: v.alpha as number, temperature: v.temperature as number, anisotropy: v.anisotropy as number, easyAxis,
    trajectories: v.systems as number, dt: v.dt as number, time, averageFrom, seed: v.seed as number,
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { job, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/llg-junction-${stamp}`, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

function summaryOf(job: JunctionDynamicsJob, r: JunctionDynamicsResult) {
  return {
    backend: r.llg.backend, adapter: r.llg.adapter, method: job.method, sweep: job.axis.name, trajectories: job.trajectories,
    steps: r.llg.steps, dt: r.llg.dt, seconds: r.exchange.seconds + r.llg.seconds, exchangeSeconds: r.exchange.seconds, llgSeconds: r.llg.seconds,
    spinStepsPerSecond: r.llg.spinStepsPerSecond,
    units: { couplings: 'meV (per unit spin vectors)', angle: 'degrees', temperature: 'K' },
    points: r.points.map(p => ({
      [job.axis.name]: p.coupling.at[job.axis.name], Czz: p.coupling.Czz, Cxx: p.coupling.Cxx, Dz: p.coupling.Dz, DzNonreciprocal: p.coupling.DzNonreciprocal ?? 0,
      m1m2: p.full.m1m2, m1m2Err: p.full.m1m2Err, angleDeg: p.full.angleDeg, angleErr: p.full.angleErr,
      reciprocal: { m1m2: p.reciprocal.m1m2, m1m2Err: p.reciprocal.m1m2Err, angleDeg: p.reciprocal.angleDeg, angleErr: p.reciprocal.angleErr },
    })),
  };
}

function writeRun(target: OutputTarget, job: JunctionDynamicsJob, r: JunctionDynamicsResult): Promise<string> {
  return withRunDir(target, async dir => {
    const x = job.axis.values, name = job.axis.name, unit = (JUNCTION_PARAMETERS as Record<string, string>)[name];
    const col = (f: (p: JunctionDynamicsResult['points'][number]) => number) => Float64Array.from(r.points, f);
    const cols = {
      [name]: x, Czz: col(p => p.coupling.Czz), Cxx: col(p => p.coupling.Cxx), Dz: col(p => p.coupling.Dz), DzNonreciprocal: col(p => p.coupling.DzNonreciprocal ?? 0),
      m1m2: col(p => p.full.m1m2), m1m2_err: col(p => p.full.m1m2Err), angle_deg: col(p => p.full.angleDeg), angle_err: col(p => p.full.angleErr),
      m1m2_reciprocal: col(p => p.reciprocal.m1m2), m1m2_reciprocal_err: col(p => p.reciprocal.m1m2Err), angle_reciprocal_deg: col(p => p.reciprocal.angleDeg),
    };
    dir.writeCsv('points.csv', cols);
    for (const [k, v] of Object.entries(cols)) dir.writeNpy(`${k}.npy`, v, [x.length]);
    const fwd = new Float64Array(r.points.length * 9), rev = new Float64Array(r.points.length * 9);
    r.points.forEach((p, i) => { fwd.set(p.forward, 9 * i); rev.set(p.reverse, 9 * i); });
    dir.writeNpy('llg_forward_tensor.npy', fwd, [x.length, 3, 3]);
    dir.writeNpy('llg_reverse_tensor.npy', rev, [x.length, 3, 3]);
    const xl = `${name}${unit ? ` (${unit})` : ''}`;
    dir.writeText('dimer_alignment.svg', lineChart({
      title: `LLG ensemble ⟨m1·m2⟩: S = ${job.S}, α = ${job.alpha}, T = ${job.temperature} K, ${job.trajectories}/point`,
      xLabel: xl, yLabel: '⟨m1·m2⟩ (+1 ferro, −1 antiferro)', yDomain: [-1, 1],
      series: [{ name: 'full exchange fields', x, y: cols.m1m2 }, { name: 'reciprocal part only', x, y: cols.m1m2_reciprocal }],
    }));
    dir.writeText('dimer_angle.svg', lineChart({
      title: 'Mean angle between the spins', xLabel: xl, yLabel: 'angle (degrees)', yDomain: [0, 180],
      series: [{ name: 'full exchange fields', x, y: cols.angle_deg }, { name: 'reciprocal part only', x, y: cols.angle_reciprocal_deg }],
    }));
    dir.writeText('couplings.svg', lineChart({
      title: `Exchange fields handed to the LLG core (${job.method}); > 0 favours parallel`, xLabel: xl, yLabel: 'coupling (meV)',
      series: [{ name: 'Czz', x, y: cols.Czz }, { name: 'Cxx', x, y: cols.Cxx }, { name: 'Dz (reciprocal)', x, y: cols.Dz }, { name: 'κ (non-reciprocal)', x, y: cols.DzNonreciprocal }],
    }));
    const summary = summaryOf(job, r);
    const manifest = {
      params: job, backend: r.llg.backend, adapter: r.llg.adapter, seed: job.seed,
      timings: { exchangeSeconds: r.exchange.seconds, llgSeconds: r.llg.seconds },
      tolerances: { llg: 'final-state ensemble means with standard errors over trajectories', exchange: job.method },
      extra: { conversion: 'LLG forward tensor = S²·C_12 (field on m1), reverse = S²·C_21 (field on m2); reciprocal variant uses (C_12 + C_21ᵀ)/2 for both', ...sweepExtra(target, r.sweep) },
    };
    const report = {
      title: `nanospin llg junction: ${r.points.length} points × ${job.trajectories} trajectories`,
      summary: { backend: r.llg.backend, adapter: r.llg.adapter, 'exchange method': job.method, steps: r.llg.steps, 'dt (ps)': r.llg.dt, 'exchange (s)': r.exchange.seconds, 'LLG (s)': r.llg.seconds },
      figures: [{ title: '⟨m1·m2⟩ along the sweep', svgFile: 'dimer_alignment.svg' }, { title: 'Mean angle', svgFile: 'dimer_angle.svg' }, { title: 'Couplings', svgFile: 'couplings.svg' }],
    };
    return { manifest, summary, report };
  });
}

export async function llgJunctionCommand(argv: string[]): Promise<number> {
  const parsed = llgJunctionJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('llg junction', SUMMARY, LLG_JUNCTION_FLAGS)); return 0; }
  const command = ['llg', 'junction', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'llg-junction', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  try {
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`llg junction: ${line}\n`); };
    log(`${parsed.job.axis.values.length} points × ${parsed.job.trajectories} trajectories × 2 variants on ${backend.name} (${backend.adapter})`);
    let r: JunctionDynamicsResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: junctionDynamicsPlan(backend, parsed.job, sweepIdentity(command)), target, backend, onProgress: progressReporter('llg junction', parsed.quiet), log,
      write: (t, d, i) => writeRun(t, parsed.job, r = junctionDynamicsFromArrays(parsed.job, d, i)),
    });
    if (shard || !r) { reportShard({ command: 'llg junction', shard: shard!, dir, info, json: parsed.json }); return 0; }
    const summary = summaryOf(parsed.job, r);
    if (parsed.json) process.stdout.write(JSON.stringify({ ...summary, out: dir }) + '\n');
    else {
      for (const p of summary.points) process.stdout.write(`${parsed.job.axis.name} = ${String(p[parsed.job.axis.name]).padEnd(8)} Czz ${(p.Czz as number).toExponential(3)} meV  ⟨m1·m2⟩ ${(p.m1m2 as number).toFixed(3)} ± ${(p.m1m2Err as number).toFixed(3)} (reciprocal only ${p.reciprocal.m1m2.toFixed(3)})\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally { backend.close(); }
}

/** `nanospin merge` of `llg junction` shards: the same writer on the joined arrays. */
export async function llgJunctionMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = llgJunctionJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeRun(target, parsed.job, junctionDynamicsFromArrays(parsed.job, data, info));
}
