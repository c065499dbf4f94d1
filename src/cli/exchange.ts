// `nanospin exchange junction`: exchange tensors of the seed-000 dimer over 1D / 2D parameter grids.
import { parseFlags, helpText, UsageError, type FlagSchema, type FlagValue, runDirFlags, splitSweeps } from './args.ts';
import { outputTarget, type OutputTarget } from '../runs/output.ts';
import { reportShard, runSweepCommand, sweepIdentity, withSweepFile, type SweepInfo } from '../runs/sweepRun.ts';
import { expandSweepFile, SWEEP_FILE_FLAG, type ResolvedSweepFile } from '../sweeps/sweepFile.ts';
import type { ChunkData } from '../sweeps/chunked.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { junction, JUNCTION_PARAMETER_NAMES, type JunctionParams } from '../models/junction/index.ts';
import { EXCHANGE_METHODS, exchangeBackend, exchangeFromArrays, exchangePlan, type ExchangeJob, type ExchangeMethod, type ExchangeResult } from '../runs/exchange.ts';
import { writeExchangeRun, exchangeSummary } from '../runs/exchangeOutput.ts';
import { parseSweeps, type SweepAxis } from '../sweeps/params.ts';
import { progressReporter } from '../runs/progress.ts';

type V3 = [number, number, number];

export const EXCHANGE_FLAGS: FlagSchema = {
  sweep: { type: 'string', help: `swept parameter name=from:to:count, repeatable (1D or 2D grid); names: ${JUNCTION_PARAMETER_NAMES.join(', ')}` },
  'sweep-file': SWEEP_FILE_FLAG,
  method: { type: 'enum', values: EXCHANGE_METHODS, help: 'keldysh (Eq. 5, double integrals on the device) | closed (Eqs. 7–9) | equilibrium (Kramers–Kronig form) | energy (grand potential, Lloyd formula)', default: 'keldysh' },
  eps0: { type: 'number', unit: 'meV', help: 'level energy ε0 of both molecules (all ε_nσ)', default: 0 },
  Tc: { type: 'number', unit: 'meV', help: 'interlevel hopping T_c', default: 1 },
  Gamma: { type: 'number', unit: 'meV', help: 'total lead coupling Γ, split equally (Γ^L = Γ^R = Γ/2)', min: 0, minOpen: true, default: 1 / 3 },
  GammaL: { type: 'number', unit: 'meV', help: 'left coupling Γ^L (overrides --Gamma)', min: 0 },
  GammaR: { type: 'number', unit: 'meV', help: 'right coupling Γ^R (overrides --Gamma)', min: 0 },
  pL: { type: 'number', help: 'left-lead Stoner polarization p_L', min: -1, max: 1, default: 0 },
  pR: { type: 'number', help: 'right-lead Stoner polarization p_R', min: -1, max: 1, default: 0 },
  dirL: { type: 'vec3', help: 'left-lead polarization axis (non-collinear leads: keldysh and energy only)', default: [0, 0, 1] },
  dirR: { type: 'vec3', help: 'right-lead polarization axis', default: [0, 0, 1] },
  mu: { type: 'number', unit: 'meV', help: 'chemical potential μ (μ_L,R = μ ± V/2)', default: 0 },
  V: { type: 'number', unit: 'mV', help: 'bias voltage V', default: 0 },
  TL: { type: 'number', unit: 'K', help: 'left-lead temperature T_L', min: 0, default: 1 },
  dT: { type: 'number', unit: 'K', help: 'thermal bias ΔT = T_R − T_L', default: 0 },
  J1: { type: 'number', unit: 'meV', help: 'local exchange J_1 (molecule 1)', default: 1 },
  J2: { type: 'number', unit: 'meV', help: 'local exchange J_2 (molecule 2)', default: 1 },
  step: { type: 'number', unit: 'meV', help: 'keldysh: energy step (default min(k_B T, narrowest resonance half-width)/4)', min: 0, minOpen: true },
  window: { type: 'number', unit: 'meV', help: 'keldysh: energy window beyond the levels and chemical potentials', min: 0, minOpen: true, default: 200 },
  convergence: { type: 'bool', help: 'keldysh: re-run the 3 largest points of the sweep with 2× step and ½ window and report the change (default on; --convergence=false to skip; sharded: each shard probes its 3 largest, the merge keeps the sweep\'s 3 largest)', default: true },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend: keldysh runs on the device when there is one; closed runs adaptive float64 on the CPU unless --backend webgpu (batched float32 on the device); equilibrium and energy are float64 on the CPU', default: 'auto' },
  ...runDirFlags('exchange', 'print {backend, method, points:[…]} as one JSON object on stdout'),
};

/** --sweep may repeat; every other flag goes through the strict parser. */

/** The junction's parameters from the shared flags (see EXCHANGE_FLAGS). */
export function junctionFromFlags(v: Record<string, FlagValue>, given: Set<string>): JunctionParams {
  const G = v.Gamma as number, e0 = v.eps0 as number;
  try {
    return junction({
      eps: [[e0, e0], [e0, e0]], Tc: v.Tc as number,
      GammaL: given.has('GammaL') ? v.GammaL as number : G / 2, GammaR: given.has('GammaR') ? v.GammaR as number : G / 2,
      pL: v.pL as number, pR: v.pR as number, dirL: v.dirL as V3, dirR: v.dirR as V3,
      mu: v.mu as number, V: v.V as number, TL: v.TL as number, dT: v.dT as number, J1: v.J1 as number, J2: v.J2 as number,
    });
  } catch (e) { throw new UsageError((e as Error).message); }
}

export interface ExchangeCli {
  job: ExchangeJob; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean;
  /** The arguments with a --sweep-file expanded (what the manifest records), and the file. */
  argv: string[]; sweepFile: { file?: string; resolved?: ResolvedSweepFile };
}

export function exchangeJobFromFlags(given0: string[]): ExchangeCli | 'help' {
  const sweepFile = expandSweepFile(given0, { command: 'exchange junction', flags: EXCHANGE_FLAGS, sweepable: JUNCTION_PARAMETER_NAMES }), argv = sweepFile.argv;
  const { sweeps, rest } = splitSweeps(argv);
  const { values: v, given } = parseFlags(rest, EXCHANGE_FLAGS, 'exchange junction');
  if (v.help) return 'help';
  if (sweeps.length > 2) throw new UsageError(`--sweep: at most 2 axes (a 1D or 2D grid), got ${sweeps.length}`);
  let axes: SweepAxis[];
  try { axes = parseSweeps(sweeps, JUNCTION_PARAMETER_NAMES, 4_000_000); } catch (e) { throw new UsageError((e as Error).message); }
  for (const a of axes) if (given.has(a.name)) throw new UsageError(`--${a.name} and --sweep ${a.name}=… both given; keep one`);
  const params = junctionFromFlags(v, given);
  const method = v.method as ExchangeMethod;
  const job: ExchangeJob = {
    base: params, axes, method, convergence: v.convergence as boolean,
    grid: { window: v.window as number, ...(v.step !== undefined ? { step: v.step as number } : {}) },
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { job, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/exchange-${stamp}`, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet, argv, sweepFile };
}

export async function exchangeJunctionCommand(argv: string[]): Promise<number> {
  const parsed = exchangeJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('exchange junction', 'exchange tensors of the molecular dimer junction (seed 000)', EXCHANGE_FLAGS)); return 0; }
  const m = parsed.job.method;
  const command = ['exchange', 'junction', ...parsed.argv];
  const target = withSweepFile(outputTarget(parsed.out, parsed.overwrite, 'exchange', command), parsed.sweepFile);
  const backend = await openBackend(exchangeBackendRequest(m, parsed.backend));
  try {
    const log = (line: string) => { if (!parsed.quiet) process.stderr.write(`exchange junction: ${line}\n`); };
    log(`method ${parsed.job.method} on ${backend.name} (${backend.adapter})`);
    let result: ExchangeResult | undefined;
    const { dir, shard, info } = await runSweepCommand({
      plan: exchangePlan(backend, parsed.job, sweepIdentity(command)), target, backend: exchangeBackend(parsed.job, backend), onProgress: progressReporter('exchange', parsed.quiet), log,
      write: (t, d, i) => writeExchangeRun(t, parsed.job, result = exchangeFromArrays(parsed.job, d, i)),
    });
    if (shard || !result) { reportShard({ command: 'exchange junction', shard: shard!, dir, info, json: parsed.json }); return 0; }
    const summary = exchangeSummary(parsed.job, result);
    if (parsed.json) process.stdout.write(JSON.stringify({ ...summary, out: dir }) + '\n');
    else {
      process.stdout.write(`method ${result.method} on ${result.backend} (${result.adapter}), ${result.points.length} points, ${result.seconds.toFixed(2)} s\n`);
      const maxAbs = (k: 'Czz' | 'Cxx' | 'Dz') => Math.max(...result!.points.map(p => Math.abs(p[k])));
      process.stdout.write(`max |Czz| ${maxAbs('Czz').toExponential(4)} meV, max |Cxx| ${maxAbs('Cxx').toExponential(4)} meV, max |Dz| ${maxAbs('Dz').toExponential(4)} meV\n`);
      if (result.convergence) process.stdout.write(`convergence (relative to max |C|): step ×2 → ${result.convergence.stepDoubled.toExponential(2)}, window ÷2 → ${result.convergence.windowHalved.toExponential(2)} (step ${result.convergence.step.toPrecision(3)} meV, window ${result.convergence.window} meV)\n`);
      process.stdout.write(`run directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}

/** closed: adaptive float64 unless the device is asked for by name (its batched float32 sums pay off only on a real GPU and for big sweeps). */
function exchangeBackendRequest(m: ExchangeMethod, b: BackendRequest): BackendRequest {
  return m === 'keldysh' ? b : m === 'closed' && b === 'webgpu' ? 'webgpu' : 'cpu';
}

/**
 * `nanospin merge` of `exchange junction` shards: the same writer on the joined arrays; the keldysh probe is
 * taken from the shards' candidates (no computation here).
 */
export async function exchangeJunctionMerge(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string> {
  const parsed = exchangeJobFromFlags(argv);
  if (parsed === 'help') throw new RangeError('merge: the shards recorded a --help command');
  return writeExchangeRun(target, parsed.job, exchangeFromArrays(parsed.job, data, info));
}
