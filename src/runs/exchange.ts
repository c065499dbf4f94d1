// Junction exchange sweeps (seed 000): a parameter grid → exchange tensors by one of four methods.
//   keldysh      Eq. 5 as Keldysh double integrals, principal value by FFT (device or CPU twin)
//   closed       Eqs. 7–9 (symmetric collinear dimer): adaptive float64 on the CPU backend, batched
//                float32 trapezoid sums on the webgpu backend
//   equilibrium  the Kramers–Kronig form quoted after Eq. 5 (V = ΔT = 0)
//   energy       grand potential by the Lloyd formula, non-perturbative in J_n (V = ΔT = 0)
//
// As a sweep (exchangePlan: resumable, shardable; src/sweeps/chunked.ts) every point is computed alone on
// grids chosen once for the whole sweep (the keldysh energy grid, the batched closed forms' grid), so a point's
// numbers do not depend on how the sweep is cut. The keldysh convergence probe re-runs the 3 points with the
// largest |Czz| + |Cxx| + |Dz| of the whole sweep on the sweep's grid with the step doubled and with the window
// halved: each computed range (the whole sweep, or a shard) probes its own 3 largest points (plan.check), and
// the result keeps the 3 largest of all the candidates, which are the sweep's 3 largest, so a merged run records
// exactly the probe of the unsharded one.
import { CPU_ADAPTER, type Backend } from '../backends/index.ts';
import { exchangeFromBilinears, pairCoupling, BILINEAR_FLOATS, type BlockExchange } from '../models/junction/exchange.ts';
import { withParameter, type JunctionParams } from '../models/junction/index.ts';
import { closedFormsKernel, keldyshBilinearsKernel } from '../kernels/exchange/index.ts';
import { chooseGrid, DEFAULT_WINDOW, type EnergyGrid, type GridOptions } from '../kernels/exchange/grid.ts';
import { sweepGrid, type SweepAxis } from '../sweeps/params.ts';
import { pairCouplingClosed } from '../models/junction/closedForms.ts';
import { equilibriumExchange } from '../models/junction/equilibrium.ts';
import { energyPairCoupling } from '../models/junction/grandPotential.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepChecks, sweepRecord, type SweepInfo } from './sweepInfo.ts';

export const EXCHANGE_METHODS = ['keldysh', 'closed', 'equilibrium', 'energy'] as const;
export type ExchangeMethod = typeof EXCHANGE_METHODS[number];

export interface ExchangeJob {
  base: JunctionParams;
  axes: SweepAxis[];
  method: ExchangeMethod;
  grid?: GridOptions;
  /** keldysh: re-run a few points with twice the step and half the window (default true). */
  convergence?: boolean;
}

export interface ExchangePoint {
  /** Values of the swept parameters at this point. */
  at: Record<string, number>;
  params: JunctionParams;
  /** The paper's quantities for the method (meV): keldysh Eq. 5a, (5b)_zz, (5c)_z; closed Eqs. 7, 8, 9. */
  J12: number;
  I12: number;
  D12: number;
  /** Physical pair coupling counted once, E = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz(S1×S2)_z (meV). */
  Czz: number;
  Cxx: number;
  Dz: number;
  /** keldysh only: the non-reciprocal DM-like torque part and max |C₁₂ − C₂₁ᵀ| (meV). */
  DzNonreciprocal?: number;
  nonreciprocal?: number;
  /** keldysh only: coupling tensors C_mn (blocks 11, 12, 21, 22; 3×3 each, meV) and the pair tensor 𝕁 (3×3). */
  C?: Float64Array;
  pairTensor?: Float64Array;
  /** keldysh only: the paper's printed J_mn, I_mn (3×3), D_mn (3) for all four blocks (real parts, meV). */
  paperJ?: Float64Array;
  paperI?: Float64Array;
  paperD?: Float64Array;
}

export interface ExchangeConvergence {
  probes: number;
  step: number;
  window: number;
  /** max |ΔC| over the probes and Czz, Cxx, Dz, relative to max |C| of the sweep. */
  stepDoubled: number;
  windowHalved: number;
}

export interface ExchangeResult {
  method: ExchangeMethod;
  backend: string;
  adapter: string;
  points: ExchangePoint[];
  seconds: number;
  /** keldysh: the energy grid, integrand evaluations (points × grid energies), convergence check. */
  grid?: EnergyGrid;
  evaluations?: number;
  convergence?: ExchangeConvergence;
  /** keldysh: largest |Im| of any χ component relative to max |χ| (χ is real up to discretisation). */
  imaginaryResidual?: number;
  /** Chunks resumed and shards merged (a CLI run; absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

export function sweepPoints(base: JunctionParams, axes: SweepAxis[]): { at: Record<string, number>; params: JunctionParams }[] {
  return sweepGrid(axes).map(at => {
    let p = base;
    for (const [k, v] of Object.entries(at)) p = withParameter(p, k, v);
    return { at, params: p };
  });
}

type Progress = (fraction: number) => void;

function keldyshBilinears(backend: Backend, params: JunctionParams[], grid: EnergyGrid, progress?: Progress): Promise<Float64Array> {
  return backend.run(keldyshBilinearsKernel, params, grid, (d, t) => progress?.(d / t));
}

function keldyshPoint(at: Record<string, number>, p: JunctionParams, blocks: BlockExchange[]): ExchangePoint {
  const pc = pairCoupling(blocks);
  const C = new Float64Array(36), paperJ = new Float64Array(4), paperI = new Float64Array(36), paperD = new Float64Array(12);
  blocks.forEach((b, k) => { C.set(b.C, 9 * k); paperJ[k] = b.paperJ[0]; paperI.set(b.paperI.re, 9 * k); paperD.set(b.paperD.re, 3 * k); });
  return {
    at, params: p, J12: blocks[1].paperJ[0], I12: blocks[1].paperI.re[8], D12: blocks[1].paperD.re[2],
    Czz: pc.Czz, Cxx: pc.Cxx, Dz: pc.Dz, DzNonreciprocal: pc.DzNonreciprocal, nonreciprocal: pc.nonreciprocal,
    C, pairTensor: pc.tensor, paperJ, paperI, paperD,
  };
}

function keldyshPoints(points: { at: Record<string, number>; params: JunctionParams }[], bil: Float64Array): { out: ExchangePoint[]; imag: number } {
  let imag = 0, scale = 0;
  const out = points.map(({ at, params }, i) => {
    const blocks = exchangeFromBilinears(bil, i * BILINEAR_FLOATS, [params.J1, params.J2]);
    for (const b of blocks) for (let k = 0; k < 9; k++) {
      imag = Math.max(imag, Math.abs(b.chiPV.im[k] + b.chiDelta.im[k]));
      scale = Math.max(scale, Math.abs(b.chiPV.re[k] + b.chiDelta.re[k]));
    }
    return keldyshPoint(at, params, blocks);
  });
  return { out, imag: scale > 0 ? imag / scale : imag };
}

/** Indices of up to `n` points with the largest |Czz| + |Cxx| + |Dz| (where discretisation errors show); ties: the first. */
function probeIndices(points: ExchangePoint[], n: number): number[] {
  return points.map((p, i) => [probeKey(p), i]).sort((a, b) => b[0] - a[0]).slice(0, n).map(x => x[1]);
}
const probeKey = (p: ExchangePoint) => Math.abs(p.Czz) + Math.abs(p.Cxx) + Math.abs(p.Dz);

export const PROBE_NOTE = 'the 3 points of the sweep with the largest |Czz| + |Cxx| + |Dz| re-run on the sweep\'s energy grid with the step doubled (stepDoubled) and with the window halved (windowHalved); ' +
  'max |ΔCzz|, |ΔCxx|, |ΔDz| over them relative to max |C| of the sweep. Sharded: every shard probes its own 3 largest points and the merge keeps the 3 largest of all of them, i.e. the same 3 points and numbers as the unsharded run';

/** One range's probe candidates: its 3 largest points and their absolute changes (meV). */
interface ProbeCandidate { index: number; key: number; stepDoubled: number; windowHalved: number; seconds: number }

/** What a method needs of the whole sweep before any point is computed. */
interface ExchangeSetup {
  pts: { at: Record<string, number>; params: JunctionParams }[];
  /** keldysh, and the batched closed forms: the sweep's energy grid. */
  grid?: EnergyGrid;
  /** keldysh probe grids (step doubled, window halved) over the whole sweep. */
  coarse?: EnergyGrid; narrow?: EnergyGrid;
  batched: boolean;
}

function exchangeSetup(job: ExchangeJob): ExchangeSetup {
  const pts = sweepPoints(job.base, job.axes);
  if (job.method === 'keldysh') {
    const all = pts.map(p => p.params), grid = chooseGrid(all, job.grid), W = job.grid?.window ?? DEFAULT_WINDOW;
    return {
      pts, grid, batched: false,
      ...(job.convergence !== false ? { coarse: chooseGrid(all, { ...job.grid, step: 2 * grid.h, window: W }), narrow: chooseGrid(all, { ...job.grid, step: grid.h, window: W / 2 }) } : {}),
    };
  }
  // a Fermi step (T = 0) needs the adaptive split at μ: those sweeps stay point by point on the CPU
  const batched = job.method === 'closed' && pts.every(({ params: p }) => p.TL > 0 && p.TL + p.dT > 0);
  return { pts, batched, ...(batched ? { grid: chooseGrid(pts.map(p => p.params), job.grid) } : {}) };
}

/** Per-point arrays: keldysh the Pauli bilinears, the other methods J12, I12, D12, Czz, Cxx, Dz, DzNonreciprocal; and seconds. */
export function exchangeWidths(method: ExchangeMethod): Record<string, number> {
  return method === 'keldysh' ? { bilinears: BILINEAR_FLOATS, seconds: 1 } : { scalars: 7, seconds: 1 };
}

/** Whether the method runs on the backend (keldysh, batched closed forms) or float64 on the CPU. */
export function exchangeUsesDevice(job: ExchangeJob): boolean {
  return job.method === 'keldysh' || (job.method === 'closed' && closedBatched(job));
}

/** The sweep: every point alone on the sweep-wide grids; keldysh ranges probe their 3 largest points. */
export function exchangePlan(backend: Backend, job: ExchangeJob, identity: SweepPlan['identity']): SweepPlan {
  const setup = exchangeSetup(job), n = setup.pts.length;
  const plan: SweepPlan = {
    identity, points: n, widths: exchangeWidths(job.method),
    async compute(first, count, progress) {
      const t0 = performance.now(), here = setup.pts.slice(first, first + count);
      let d: ChunkData;
      if (job.method === 'keldysh') d = { bilinears: await keldyshBilinears(backend, here.map(p => p.params), setup.grid!, progress) };
      else {
        const scalars = new Float64Array(7 * count);
        const put = (i: number, p: ExchangePoint) => scalars.set([p.J12, p.I12, p.D12, p.Czz, p.Cxx, p.Dz, p.DzNonreciprocal ?? NaN], 7 * i);
        if (setup.batched) {
          const v = await backend.run(closedFormsKernel, here.map(p => p.params), setup.grid!);
          here.forEach(({ at, params }, i) => put(i, { at, params, J12: v[i].eq7, I12: v[i].eq8, D12: v[i].eq9, Czz: v[i].eq7, Cxx: v[i].eq7 - v[i].eq8 / 2, Dz: v[i].Dz, DzNonreciprocal: v[i].kappa }));
        } else {
          const method = job.method as Exclude<ExchangeMethod, 'keldysh'>;
          here.forEach(({ at, params }, i) => { put(i, cpuMethodPoint(method, at, params)); progress?.((i + 1) / count); });
        }
        d = { scalars };
      }
      d.seconds = spreadSeconds(count, [(performance.now() - t0) / 1000]);
      return d;
    },
  };
  if (job.method === 'keldysh' && setup.coarse && setup.narrow) {
    plan.check = async (first, count, d): Promise<ProbeCandidate[]> => {
      const range = setup.pts.slice(first, first + count), t0 = performance.now();
      const out = keldyshPoints(range, d.bilinears).out;
      const probes = probeIndices(out, 3), probePts = probes.map(i => range[i]);
      const change = async (g: EnergyGrid) => {
        const alt = keldyshPoints(probePts, await keldyshBilinears(backend, probePts.map(p => p.params), g)).out;
        return alt.map((a, k) => { const o = out[probes[k]]; return Math.max(Math.abs(a.Czz - o.Czz), Math.abs(a.Cxx - o.Cxx), Math.abs(a.Dz - o.Dz)); });
      };
      const coarse = await change(setup.coarse!), narrow = await change(setup.narrow!);
      const seconds = (performance.now() - t0) / 1000 / Math.max(1, probes.length);
      return probes.map((i, k) => ({ index: first + i, key: probeKey(out[i]), stepDoubled: coarse[k], windowHalved: narrow[k], seconds }));
    };
  }
  return plan;
}

/** The sweep's result from its per-point arrays and the ranges' probe candidates. */
export function exchangeFromArrays(job: ExchangeJob, d: ChunkData, info: SweepInfo): ExchangeResult {
  const setup = exchangeSetup(job), n = setup.pts.length;
  let [seconds] = sumSeconds(d.seconds, 1);
  let body: Omit<ExchangeResult, 'seconds' | 'method' | 'backend' | 'adapter'>;
  if (job.method === 'keldysh') {
    const { out, imag } = rangePoints(job, setup.pts, d);
    let convergence: ExchangeConvergence | undefined;
    if (setup.coarse) {
      // the 3 largest of every range's candidates: the sweep's 3 largest (ties: the first)
      const all = sweepChecks<ProbeCandidate[]>(info).flat().sort((a, b) => b.key - a.key || a.index - b.index).slice(0, 3);
      const scale = Math.max(1e-300, ...out.map(p => Math.max(Math.abs(p.Czz), Math.abs(p.Cxx), Math.abs(p.Dz))));
      seconds += sweepChecks<ProbeCandidate[]>(info).flat().reduce((a, c) => a + c.seconds, 0);
      convergence = {
        probes: all.length, step: setup.grid!.h, window: job.grid?.window ?? DEFAULT_WINDOW,
        stepDoubled: Math.max(...all.map(c => c.stepDoubled)) / scale, windowHalved: Math.max(...all.map(c => c.windowHalved)) / scale,
      };
    }
    body = { points: out, grid: setup.grid, evaluations: n * setup.grid!.N, convergence, imaginaryResidual: imag };
  } else body = { points: rangePoints(job, setup.pts, d).out, ...(setup.batched ? { grid: setup.grid, evaluations: n * setup.grid!.N } : {}) };
  return { method: job.method, backend: info.backend, adapter: info.adapter, ...body, seconds, sweep: sweepRecord(info) };
}

/** The exchange points of a range (`pts` its sweep points) from its per-point arrays; keldysh also the imaginary residual. */
function rangePoints(job: ExchangeJob, pts: { at: Record<string, number>; params: JunctionParams }[], d: ChunkData): { out: ExchangePoint[]; imag: number } {
  if (job.method === 'keldysh') return keldyshPoints(pts, d.bilinears);
  const s = d.scalars, kappa = job.method === 'closed';
  return {
    imag: 0,
    out: pts.map(({ at, params }, i) => ({
      at, params, J12: s[7 * i], I12: s[7 * i + 1], D12: s[7 * i + 2], Czz: s[7 * i + 3], Cxx: s[7 * i + 4], Dz: s[7 * i + 5], ...(kappa ? { DzNonreciprocal: s[7 * i + 6] } : {}),
    })),
  };
}

/** Points [first, first + count) of the sweep from their arrays (a plan's chunk). */
export function exchangeRangePoints(job: ExchangeJob, first: number, count: number, d: ChunkData): ExchangePoint[] {
  return rangePoints(job, sweepPoints(job.base, job.axes).slice(first, first + count), d).out;
}

/** The float64 single-integral methods, point by point on the CPU. */
function cpuMethodPoint(method: Exclude<ExchangeMethod, 'keldysh'>, at: Record<string, number>, p: JunctionParams): ExchangePoint {
  switch (method) {
    case 'closed': {
      // J12, I12, D12 = Eqs. 7, 8, 9 as printed; Eq. 9 ≈ 8 × the non-reciprocal κ (README)
      const c = pairCouplingClosed(p);
      return { at, params: p, J12: c.eq7, I12: c.eq8, D12: c.eq9, Czz: c.Czz, Cxx: c.Cxx, Dz: c.Dz, DzNonreciprocal: c.kappa };
    }
    case 'equilibrium': {
      // the printed Kramers–Kronig form is complex; its imaginary part is the coupling (= Eq. 7)
      const e = equilibriumExchange(p);
      return { at, params: p, J12: e.printed.im, I12: e.Czz - e.Cxx, D12: 0, Czz: e.Czz, Cxx: e.Cxx, Dz: 0 };
    }
    case 'energy': {
      const e = energyPairCoupling(p);
      return { at, params: p, J12: e.Cxx.value, I12: e.Czz.value - e.Cxx.value, D12: e.Dz.value, Czz: e.Czz.value, Cxx: e.Cxx.value, Dz: e.Dz.value };
    }
  }
}

/** The batched closed forms need T > 0 at every point (a Fermi step needs the adaptive split at μ). */
function closedBatched(job: ExchangeJob): boolean {
  return sweepPoints(job.base, job.axes).every(({ params: p }) => p.TL > 0 && p.TL + p.dT > 0);
}

/** The backend a run of the job reports: the device's for keldysh and the batched closed forms, else the CPU. */
export function exchangeBackend(job: ExchangeJob, backend: Backend): { name: string; adapter: string } {
  return exchangeUsesDevice(job) ? { name: backend.name, adapter: backend.adapter } : { name: 'cpu', adapter: CPU_ADAPTER };
}

/** The whole sweep in one go (library use; the CLI runs it as a resumable sweep). */
export async function runExchange(backend: Backend, job: ExchangeJob, progress?: Progress): Promise<ExchangeResult> {
  const plan = exchangePlan(backend, job, { command: [], version: '' });
  const t0 = performance.now();
  const d = await plan.compute(0, plan.points, f => progress?.(0.9 * f));
  const check = plan.check ? [await plan.check(0, plan.points, d)] : undefined;
  progress?.(1);
  const be = exchangeBackend(job, backend);
  const { sweep: _, ...r } = exchangeFromArrays(job, d, { backend: be.name, adapter: be.adapter, seconds: 0, resumedChunks: 0, shards: [], ...(check ? { checks: { '': check } } : {}) });
  return { ...r, seconds: (performance.now() - t0) / 1000 };
}
