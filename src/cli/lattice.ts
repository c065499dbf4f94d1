// `nanospin lattice`, `nanospin ordering granular` and `nanospin bench lattice`: Langevin sampling of a lattice of
// grain macrospins (src/kernels/lattice/), the ordering temperature of granular films from Part A's H_ex, and the
// lattice kernel's throughput. `lattice` and `ordering granular` are resumable, shardable sweeps (src/runs/sweepRun.ts).
import { parseFlags, helpText, UsageError, runDirFlags, splitSweeps, type FlagSchema, type FlagValue } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { progressReporter } from '../runs/progress.ts';
import { parseSweeps } from '../sweeps/params.ts';
import { MAX_GLOBAL_SITES, MAX_REPLICA_SITES } from '../models/lattice/problem.ts';
import { HEISENBERG_SC_TC } from '../models/granular/exchange.ts';
import { KB } from '../numerics/units.ts';
import { totalmem } from 'node:os';
import {
  DEFAULT_WINDOWS, latticeFromArrays, latticeHostBytes, latticePlan, latticeProblem, latticeSummary, latticeTimeScale, writeLatticeRun, biasSummary,
  type LatticeJob, type LatticeSweepResult,
} from '../runs/lattice.ts';
import { GRANULAR_MODEL_FLAGS, granularFromFlags } from './granular.ts';
import type { NormalizationName } from '../models/granular/params.ts';
import { orderingCost, orderingExchange, orderingFromArrays, orderingLatticeJob, orderingPlan, orderingSummary, writeOrderingRun, type OrderingJob, type OrderingResult } from '../runs/latticeOrdering.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';

const BACKEND_FLAG = { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: webgpu (float32 WGSL kernel) or cpu (float64 twin); auto = webgpu when an adapter exists', default: 'auto' } as const;
/** Temperatures per run at most (one sweep axis). */
export const MAX_LATTICE_TEMPERATURES = 4096;

export const LATTICE_FLAGS: FlagSchema = {
  L: { type: 'int', help: 'lattice side (grains per side)', min: 2, max: 65536, default: 16 },
  lattice: { type: 'enum', values: ['cubic', 'square'], help: 'simple cubic L³ or square L² (one layer)', default: 'cubic' },
  boundary: { type: 'enum', values: ['periodic', 'open'], help: 'boundary conditions on every side', default: 'periodic' },
  J: { type: 'number', unit: 'meV', help: 'exchange per nearest-neighbour bond: E = −J Σ_⟨ij⟩ m_i·m_j, unit vectors, each bond once (J < 0: antiferromagnet)', default: 1 },
  S: { type: 'number', help: 'classical spin length: E = −J Σ S_i·S_j with |S_i| = S, i.e. the lattice bond is J S²; S also sets the precession time scale ħS and the noise 2αħS k_BT (K and the field stay energies per grain)', min: 0, minOpen: true, max: 1e6, default: 1 },
  K: { type: 'number', unit: 'meV', help: 'uniaxial anisotropy energy per grain: −K (m·n_i)²', default: 0 },
  axes: { type: 'enum', values: ['random', 'aligned'], help: 'easy axes n_i: random per grain (Philox, --disorder-seed) or all along --axis', default: 'random' },
  axis: { type: 'vec3', help: 'easy axis of --axes aligned', default: [0, 0, 1] },
  'disorder-seed': { type: 'int', help: 'seed of the random easy axes (Philox counter (grain, 0, 0, "AXES"))', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  field: { type: 'vec3', unit: 'meV', help: 'Zeeman energy per grain B: −B·m_i', default: [0, 0, 0] },
  alpha: { type: 'number', help: 'Gilbert damping α (the equilibrium does not depend on it; α ≈ 1 samples fastest)', min: 0, minOpen: true, max: 100, default: 1 },
  temperature: { type: 'number', unit: 'K', help: 'one bath temperature (instead of --sweep temperature=…)', min: 0 },
  replicas: { type: 'int', help: 'independent replicas per temperature (≥ 8: standard errors from replicas, else from blocking)', min: 1, max: 65536, default: 8 },
  dt: { type: 'number', unit: 'ps', help: `time step (default ${DEFAULT_WINDOWS.dt} τ, τ = 6ħS/h, h = Σ|J|S² + 2|K| + |B| the largest field on a grain: 0.0165 ps for J = 1 meV)`, min: 0, minOpen: true },
  equilibrate: { type: 'number', unit: 'ps', help: `equilibration time before sampling (default ${DEFAULT_WINDOWS.equilibrate} τ)`, min: 0 },
  sample: { type: 'number', unit: 'ps', help: `sampling time (default ${DEFAULT_WINDOWS.sample} τ)`, min: 0, minOpen: true },
  'sample-every': { type: 'number', unit: 'ps', help: `time between samples of M and E (default ${DEFAULT_WINDOWS.sampleEvery} τ)`, min: 0, minOpen: true },
  init: { type: 'enum', values: ['ordered', 'random'], help: 'initial state: all grains along +z, or random directions', default: 'ordered' },
  seed: { type: 'int', help: 'Philox key of the thermal noise', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: BACKEND_FLAG,
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('lattice', 'print {units, lattice, dynamics, errors, timeStepBias, points:[{temperature, magnetization, magnetizationStderr, susceptibility, binder, energy, heatCapacity, sampledTemperature, …}], …} as one JSON object on stdout'),
};

const LATTICE_SUMMARY = 'Langevin (stochastic LLG) sampling of a classical Heisenberg lattice of grain macrospins over a temperature sweep: m = ⟨|M|⟩/N, χ, Binder U, energy, heat capacity';

export interface LatticeCli {
  job: LatticeJob; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments after `lattice` with a --sweep-file expanded (what the manifest records). */
  argv: string[];
  sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

const vec = (v: FlagValue) => v as [number, number, number];

/** Steps of a time window (flag name for the error), ≥ 1 where `positive`. */
function stepsOf(t: number, dt: number, flag: string, positive: boolean): number {
  const n = Math.round(t / dt);
  if (positive && n < 1) throw new UsageError(`--${flag} (${t} ps) is shorter than one time step (${dt} ps)`);
  if (n > 0xfffffffe) throw new UsageError(`--${flag}: ${n} steps of ${dt} ps is more than the 2^32 − 1 one run can count; raise --dt or shorten --${flag}`);
  return n;
}

export function latticeFromFlags(given0: string[]): LatticeCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'lattice', flags: LATTICE_FLAGS, sweepable: ['temperature'] }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, LATTICE_FLAGS, 'lattice');
  if (v.help) return 'help';
  let temperatures: number[];
  try {
    const axes = parseSweeps(sweeps, ['temperature'], MAX_LATTICE_TEMPERATURES);
    if (axes.length > 0 && given.has('temperature')) throw new UsageError('--temperature and --sweep temperature=… both given; keep one');
    temperatures = axes.length > 0 ? Array.from(axes[0].values) : [];
  } catch (e) { if (e instanceof UsageError) throw e; throw new UsageError((e as Error).message); }
  if (temperatures.some(t => !(t >= 0))) throw new UsageError(`--sweep temperature: temperatures must be ≥ 0 K, got ${temperatures.find(t => !(t >= 0))}`);
  const J = v.J as number, S = v.S as number, K = v.K as number, field = vec(v.field);
  if (J === 0 && K === 0 && field.every(x => x === 0)) throw new UsageError('--J, --K and --field are all 0: nothing acts on the grains; give a non-zero --J (meV)');
  if (v.axes === 'aligned' && vec(v.axis).every(x => x === 0)) throw new UsageError('--axis must be a non-zero vector x,y,z');
  const kind = v.lattice as 'cubic' | 'square';
  const L = v.L as number;
  if (temperatures.length === 0) {
    if (given.has('temperature')) temperatures = [v.temperature as number];
    else {
      // default: 11 temperatures over 0.5–1.5 × the mean-field T_c = z |J| S²/(3 k_B)
      const z = kind === 'cubic' ? 6 : 4, tmf = (z * Math.abs(J) * S * S) / (3 * KB) || 1;
      temperatures = Array.from({ length: 11 }, (_, k) => Number((tmf * (0.5 + k / 10)).toPrecision(6)));
    }
  }
  const replicas = v.replicas as number;
  const sites = kind === 'cubic' ? L ** 3 : L ** 2;
  const grains = sites * replicas * temperatures.length;
  if (sites > MAX_REPLICA_SITES) throw new UsageError(`--L ${L}: ${sites.toExponential(3)} grains per replica, more than the 2^32 − 1 a u32 site index can number; lower --L`);
  if (grains > MAX_GLOBAL_SITES) throw new UsageError(`--L ${L}, --replicas ${replicas} and ${temperatures.length} temperatures: ${grains.toExponential(3)} grains in all, more than the 2^53 the noise counters can number; lower --L, --replicas or the temperatures`);
  const job0: LatticeJob = {
    lattice: kind, L, boundary: v.boundary as 'periodic' | 'open', J, S, K, axes: v.axes === 'aligned' ? vec(v.axis) : 'random', axisSeed: v['disorder-seed'] as number,
    field, alpha: v.alpha as number, temperatures, replicas, dt: 1, equilibrateSteps: 0, sampleSteps: 1, sampleEvery: 1, seed: v.seed as number, init: v.init as 'ordered' | 'random',
  };
  // the time scale of one small replica of the same lattice (same bonds and fields)
  const tau = latticeTimeScale(latticeProblem({ ...job0, L: Math.min(L, 4), temperatures: [temperatures[0]], replicas: 1 }));
  const dt = given.has('dt') ? v.dt as number : DEFAULT_WINDOWS.dt * tau;
  const eq = given.has('equilibrate') ? v.equilibrate as number : DEFAULT_WINDOWS.equilibrate * tau;
  const sample = given.has('sample') ? v.sample as number : DEFAULT_WINDOWS.sample * tau;
  const every = given.has('sample-every') ? v['sample-every'] as number : DEFAULT_WINDOWS.sampleEvery * tau;
  const job: LatticeJob = {
    ...job0, dt,
    equilibrateSteps: stepsOf(eq, dt, 'equilibrate', false), sampleSteps: stepsOf(sample, dt, 'sample', true), sampleEvery: stepsOf(every, dt, 'sample-every', true),
  };
  if (job.equilibrateSteps + job.sampleSteps > 0xfffffffe) throw new UsageError('--equilibrate + --sample: more than 2^32 − 1 steps; raise --dt');
  const samples = Math.floor(job.sampleSteps / job.sampleEvery);
  if (samples < 2) throw new UsageError(`--sample ${sample} ps with --sample-every ${every} ps gives ${samples} sample(s) per replica; at least 2 are needed`);
  const bytes = latticeHostBytes(job, v.backend === 'cpu');
  if (bytes > 0.5 * totalmem()) throw new UsageError(`--L, --replicas, --sample: the run needs about ${(bytes / 2 ** 30).toFixed(1)} GiB of host memory, more than half of this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB; lower them`);
  return { job, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

export async function latticeCommand(argv: string[]): Promise<number> {
  const parsed = latticeFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('lattice', LATTICE_SUMMARY, LATTICE_FLAGS)); return 0; }
  const command = ['lattice', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'lattice', command), parsed.sweepFile);
  const { job } = parsed;
  const backend = await openBackend(parsed.backend);
  const log = (s: string) => { if (!parsed.quiet) process.stderr.write(`lattice: ${s}\n`); };
  try {
    const sites = job.lattice === 'cubic' ? job.L ** 3 : job.L ** 2, grains = sites * job.replicas * job.temperatures.length, steps = job.equilibrateSteps + job.sampleSteps;
    log(`${job.temperatures.length} temperatures × ${job.replicas} replicas × ${sites} grains = ${grains} grains, ${steps} steps of ${job.dt.toPrecision(3)} ps (${(grains * steps).toExponential(2)} spin-steps) on ${backend.name} (${backend.adapter})`);
    let result: LatticeSweepResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: latticePlan(backend, job, sweepIdentity(command)), target, backend, onProgress: progressReporter('lattice', parsed.quiet), log,
      write: (t, d, i) => writeLatticeRun(t, result = latticeFromArrays(job, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'lattice', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) process.stdout.write(JSON.stringify(latticeSummary(result, dir)) + '\n');
    else {
      const b = biasSummary(result.points);
      process.stdout.write(`lattice ${result.problem.dims.join('×')} on ${result.backend}: ${result.points.length} temperatures, ${result.seconds.toFixed(2)} s (${result.run.spinStepsPerSecond.toExponential(3)} spin-steps/s)\n`);
      process.stdout.write('  T (K)      m = ⟨|M|⟩/N        χ (1/meV)     U          sampled T (K)\n');
      for (const p of result.points) {
        process.stdout.write(`  ${p.temperature.toPrecision(5).padEnd(10)} ${p.magnetization.toFixed(4)} ± ${p.magnetizationStderr.toFixed(4)}  ${(p.susceptibility ?? NaN).toPrecision(4).padEnd(12)}  ${p.binder.toFixed(4)}     ${(p.configurationalTemperature ?? NaN).toPrecision(5)}\n`);
      }
      if (b.meanRatio !== null) process.stdout.write(`  time-step bias: sampled/bath temperature ${b.meanRatio} (mean), ${b.minRatio} (min); lower --dt to reduce it\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `lattice` shards: the same writer on the joined per-temperature arrays. */
export async function latticeMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = latticeFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeLatticeRun(target, latticeFromArrays(parsed.job, data, info));
}

// ---- ordering granular ------------------------------------------------------------------------------

export const ORDERING_GRANULAR_FLAGS: FlagSchema = {
  ...GRANULAR_MODEL_FLAGS,
  sizes: { type: 'string', help: 'two cube sides L_a,L_b of the simple-cubic lattices whose Binder cumulants cross', default: '8,12' },
  from: { type: 'number', help: 'lowest bath temperature as a fraction of 1.443 |J|/k_B (J = H_ex/2)', min: 0.05, max: 10, default: 0.92 },
  to: { type: 'number', help: 'highest bath temperature as a fraction of 1.443 |J|/k_B', min: 0.05, max: 10, default: 1.16 },
  points: { type: 'int', help: 'bath temperatures per size', min: 2, max: 256, default: 7 },
  replicas: { type: 'int', help: 'independent replicas per temperature and size', min: 1, max: 65536, default: 16 },
  K: { type: 'number', unit: 'meV', help: 'uniaxial anisotropy energy K V per grain, random easy axes (0: the isotropic Heisenberg lattice)', default: 0 },
  alpha: LATTICE_FLAGS.alpha,
  dt: { type: 'number', unit: 'τ = ħ/|J|', help: 'time step in units of τ (6ħ/h with anisotropy)', min: 0, minOpen: true, max: 1, default: DEFAULT_WINDOWS.dt },
  equilibrate: { type: 'number', unit: 'τ', help: 'equilibration time in units of τ', min: 0, default: DEFAULT_WINDOWS.equilibrate },
  sample: { type: 'number', unit: 'τ', help: 'sampling time in units of τ', min: 0, minOpen: true, default: DEFAULT_WINDOWS.sample },
  'sample-every': { type: 'number', unit: 'τ', help: 'time between samples in units of τ', min: 0, minOpen: true, default: DEFAULT_WINDOWS.sampleEvery },
  seed: LATTICE_FLAGS.seed,
  'disorder-seed': LATTICE_FLAGS['disorder-seed'],
  backend: BACKEND_FLAG,
  'sweep-file': SWEEP_FILE_FLAG,
  ...runDirFlags('ordering-granular', 'print {Hex, J, estimates:{paperK, meanFieldK, heisenbergMonteCarloK}, ordering:{temperature, stderr, …}, ratios, explanation, sizes:[{L, points}], …} as one JSON object on stdout'),
};

const ORDERING_SUMMARY = "ordering temperature of a simple-cubic granular film from Part A's H_ex: Langevin m(T) at two sizes, the Binder-cumulant crossing, beside the paper's z_n H_ex and mean field";

export interface OrderingCli {
  job: OrderingJob; backend: BackendRequest; out?: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments after `ordering granular` with a --sweep-file expanded (what the manifest records). */
  argv: string[];
  sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function orderingFromFlags(given0: string[]): OrderingCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'ordering granular', flags: ORDERING_GRANULAR_FLAGS }), argv = sweepFile.argv;
  const { values: v, given } = parseFlags(argv, ORDERING_GRANULAR_FLAGS, 'ordering granular');
  if (v.help) return 'help';
  const sizes = String(v.sizes).split(',').map(s => Number(s));
  if (sizes.length !== 2 || !sizes.every(L => Number.isInteger(L) && L >= 2 && L <= 1024) || sizes[0] === sizes[1]) {
    throw new UsageError(`--sizes must be two different integers L_a,L_b in [2, 1024], got '${v.sizes}'`);
  }
  if (!((v.to as number) > (v.from as number))) throw new UsageError(`--to (${v.to}) must be above --from (${v.from})`);
  const granular = granularFromFlags(v, given);
  if (granular.hB >= granular.U) throw new UsageError(`--hB: h_B must stay below U (${granular.U} meV), got ${granular.hB} meV`);
  const n = v.points as number;
  const job: OrderingJob = {
    granular, normalization: v.normalization as NormalizationName, sizes: [Math.min(...sizes), Math.max(...sizes)] as [number, number],
    fractions: Array.from({ length: n }, (_, k) => (v.from as number) + ((v.to as number) - (v.from as number)) * (k / (n - 1))),
    replicas: v.replicas as number, K: v.K as number, alpha: v.alpha as number,
    dt: v.dt as number, equilibrate: v.equilibrate as number, sample: v.sample as number, sampleEvery: v['sample-every'] as number,
    seed: v.seed as number, axisSeed: v['disorder-seed'] as number,
  };
  if (Math.floor(job.sample / job.sampleEvery) < 2) throw new UsageError(`--sample ${job.sample} τ with --sample-every ${job.sampleEvery} τ gives fewer than 2 samples per replica`);
  const cost = orderingCost(job);
  if (cost.grains > MAX_GLOBAL_SITES) throw new UsageError(`--sizes, --points, --replicas: ${cost.grains} grains in one run, more than the 2^53 the noise counters can number; lower them`);
  return { job, backend: v.backend as BackendRequest, out: v.out as string | undefined, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

export async function orderingGranularCommand(argv: string[]): Promise<number> {
  const parsed = orderingFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('ordering granular', ORDERING_SUMMARY, ORDERING_GRANULAR_FLAGS)); return 0; }
  const { job, quiet } = parsed;
  const command = ['ordering', 'granular', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'ordering-granular', command), parsed.sweepFile);
  const backend = await openBackend(parsed.backend);
  const log = (s: string) => { if (!quiet) process.stderr.write(`ordering granular: ${s}\n`); };
  try {
    log(`on ${backend.name} (${backend.adapter}); lattice runs: ${orderingCost(job).spinSteps.toExponential(2)} spin-steps; computing H_ex (adaptive quadrature, ~1 s)`);
    const ex = orderingExchange(job);
    log(`H_ex = ${ex.Hex.toPrecision(5)} meV (${ex.Hex > 0 ? 'FM' : 'AFM'}), lattice bond |J| = ${ex.J.toPrecision(5)} meV; paper T_ord = z_n |H_ex|/k_B = ${Math.abs(ex.estimate.paperK).toPrecision(4)} K`);
    for (const L of job.sizes) {
      const lj = orderingLatticeJob(job, ex.J, L);
      log(`L = ${L}: ${lj.temperatures.length} temperatures × ${lj.replicas} replicas, ${lj.equilibrateSteps + lj.sampleSteps} steps of ${lj.dt.toPrecision(3)} ps`);
    }
    let r: OrderingResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: orderingPlan(backend, job, ex.J, sweepIdentity(command)), target, backend, onProgress: progressReporter('ordering granular', quiet), log,
      write: (t, d, i) => writeOrderingRun(t, r = orderingFromArrays(job, ex, d, i)),
    });
    if (shard || !r) { reportShard({ command: 'ordering granular', shard: shard!, dir, info, json: parsed.json }); return 0; }
    if (parsed.json) process.stdout.write(JSON.stringify(orderingSummary(r, dir)) + '\n');
    else {
      const c = r.crossing, TH = (HEISENBERG_SC_TC * r.J) / KB;
      process.stdout.write(`ordering granular: H_ex = ${r.Hex.toPrecision(5)} meV (${r.Hex > 0 ? 'ferromagnetic' : 'antiferromagnetic'}), |J| = ${r.J.toPrecision(5)} meV\n`);
      process.stdout.write(`  paper T_ord = z_n |H_ex|/k_B         ${Math.abs(r.estimate.paperK).toPrecision(5)} K\n`);
      process.stdout.write(`  Heisenberg mean field z|J|/3k_B      ${Math.abs(r.estimate.meanFieldK).toPrecision(5)} K\n`);
      process.stdout.write(`  simple-cubic Monte Carlo 1.443|J|/k_B ${TH.toPrecision(5)} K\n`);
      process.stdout.write(c ? `  Langevin lattice (Binder L = ${job.sizes.join('/')}) ${c.temperature.toPrecision(5)} ± ${c.stderr.toPrecision(2)} K  (paper/lattice = ${(Math.abs(r.estimate.paperK) / c.temperature).toFixed(2)})\n`
        : `  Langevin lattice: the Binder cumulants of L = ${job.sizes.join(', ')} do not cross on the grid; widen --from/--to\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** `nanospin merge` of `ordering granular` shards: H_ex again (float64, no GPU), then the same writer on the joined sizes. */
export async function orderingGranularMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = orderingFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeOrderingRun(target, orderingFromArrays(parsed.job, orderingExchange(parsed.job), data, info));
}

// ---- bench lattice ----------------------------------------------------------------------------------

export const BENCH_LATTICE_FLAGS: FlagSchema = {
  sizes: { type: 'string', help: 'cube sides L (N = L³ grains) timed on every backend, comma-separated', default: '32,128' },
  'min-seconds': { type: 'number', unit: 's', help: 'the webgpu step count doubles until one timed run takes at least this long', min: 0.01, max: 60, default: 1 },
  'cpu-steps': { type: 'int', help: 'steps the cpu twin runs per size at N ≥ 10⁶ (4× that below); its time for the webgpu step count is extrapolated linearly', min: 1, max: 10000, default: 2 },
  backends: { type: 'list', values: ['webgpu', 'cpu'], help: 'comma-separated backends to measure', default: 'webgpu,cpu' },
  json: { type: 'bool', help: 'one JSON object per line per measurement' },
  help: { type: 'bool', help: 'show this help' },
};

/** `nanospin bench lattice`: spin-steps/s and bytes per spin of the lattice kernel, every backend in one run. */
export async function benchLatticeCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, BENCH_LATTICE_FLAGS, 'bench lattice');
  if (v.help) { process.stdout.write(helpText('bench lattice', 'lattice Langevin kernel: spin-steps/s per backend at N = L³ (default 32³ and 128³), bytes per spin, ratios', BENCH_LATTICE_FLAGS)); return 0; }
  const sizes = String(v.sizes).split(',').map(Number);
  if (!sizes.every(L => Number.isInteger(L) && L >= 2 && L <= 1024)) throw new UsageError(`--sizes must be integers in [2, 1024], got '${v.sizes}'`);
  const { runLatticeBench } = await import('../../bench/lattice.ts');
  const lines = await runLatticeBench({
    sizes, minSeconds: v['min-seconds'] as number, cpuSteps: v['cpu-steps'] as number, backends: String(v.backends).split(',') as ('webgpu' | 'cpu')[],
    onLine: v.json ? l => process.stdout.write(JSON.stringify(l) + '\n') : undefined,
  });
  if (!v.json) {
    const m = lines[0]?.machine;
    if (m) process.stdout.write(`lattice Langevin kernel — ${m.cpus}× ${m.cpuModel}, node ${m.node}\n`);
    for (const l of lines) {
      process.stdout.write(l.error ? `  ${l.backend.padEnd(7)} L = ${l.L}: error: ${l.error}\n` :
        `  ${l.backend.padEnd(7)} L = ${String(l.L).padEnd(4)} N = ${String(l.sites).padEnd(8)} ${l.spinStepsPerSecond.toExponential(3)} spin-steps/s  ${l.bytesPerSpin.toFixed(1)} B/spin  ${l.steps} steps${l.extrapolated ? ' (time extrapolated)' : ''}  ×${(l.ratioToCpu ?? NaN).toFixed(1)} cpu\n      ${l.adapter}\n`);
    }
  }
  return 0;
}
