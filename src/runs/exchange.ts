// Junction exchange sweeps (seed 000): a parameter grid → exchange tensors by one of four methods.
//   keldysh      Eq. 5 as Keldysh double integrals, principal value by FFT (device or CPU twin)
//   closed       Eqs. 7–9 (symmetric collinear dimer): adaptive float64 on the CPU backend, batched
//                float32 trapezoid sums on the webgpu backend
//   equilibrium  the Kramers–Kronig form quoted after Eq. 5 (V = ΔT = 0)
//   energy       grand potential by the Lloyd formula, non-perturbative in J_n (V = ΔT = 0)
import { CPU_ADAPTER, type Backend } from '../backends/index.ts';
import { exchangeFromBilinears, pairCoupling, BILINEAR_FLOATS, type BlockExchange } from '../models/junction/exchange.ts';
import { withParameter, type JunctionParams } from '../models/junction/index.ts';
import { closedFormsKernel, keldyshBilinearsKernel } from '../kernels/exchange/index.ts';
import { chooseGrid, DEFAULT_WINDOW, type EnergyGrid, type GridOptions } from '../kernels/exchange/grid.ts';
import { sweepGrid, type SweepAxis } from '../sweeps/params.ts';
import { pairCouplingClosed } from '../models/junction/closedForms.ts';
import { equilibriumExchange } from '../models/junction/equilibrium.ts';
import { energyPairCoupling } from '../models/junction/grandPotential.ts';

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

/** Indices of up to `n` points with the largest |Czz| + |Cxx| + |Dz| (where discretisation errors show). */
function probeIndices(points: ExchangePoint[], n: number): number[] {
  return points.map((p, i) => [Math.abs(p.Czz) + Math.abs(p.Cxx) + Math.abs(p.Dz), i]).sort((a, b) => b[0] - a[0]).slice(0, n).map(x => x[1]);
}

async function runKeldysh(backend: Backend, job: ExchangeJob, progress?: Progress): Promise<Omit<ExchangeResult, 'seconds' | 'method' | 'backend' | 'adapter'>> {
  const pts = sweepPoints(job.base, job.axes);
  const grid = chooseGrid(pts.map(p => p.params), job.grid);
  const bil = await keldyshBilinears(backend, pts.map(p => p.params), grid, f => progress?.(0.9 * f));
  const { out, imag } = keldyshPoints(pts, bil);
  let convergence: ExchangeConvergence | undefined;
  if (job.convergence !== false) {
    const probes = probeIndices(out, 3), W = job.grid?.window ?? DEFAULT_WINDOW;
    const probePts = probes.map(i => pts[i]);
    const scale = Math.max(1e-300, ...out.map(p => Math.max(Math.abs(p.Czz), Math.abs(p.Cxx), Math.abs(p.Dz))));
    const differ = async (g: EnergyGrid) => {
      const alt = keldyshPoints(probePts, await keldyshBilinears(backend, probePts.map(p => p.params), g)).out;
      return Math.max(...alt.map((a, k) => { const o = out[probes[k]]; return Math.max(Math.abs(a.Czz - o.Czz), Math.abs(a.Cxx - o.Cxx), Math.abs(a.Dz - o.Dz)); })) / scale;
    };
    const coarse = chooseGrid(probePts.map(p => p.params), { ...job.grid, step: 2 * grid.h, window: W });
    const narrow = chooseGrid(probePts.map(p => p.params), { ...job.grid, step: grid.h, window: W / 2 });
    convergence = { probes: probes.length, step: grid.h, window: W, stepDoubled: await differ(coarse), windowHalved: await differ(narrow) };
  }
  progress?.(1);
  return { points: out, grid, evaluations: pts.length * grid.N, convergence, imaginaryResidual: imag };
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

/** Eqs. 7–9 for the whole sweep as one kernel (device: one dispatch, float32 trapezoid on the keldysh grid; T > 0). */
async function runClosedBatched(backend: Backend, job: ExchangeJob): Promise<Omit<ExchangeResult, 'seconds' | 'method' | 'backend' | 'adapter'>> {
  const pts = sweepPoints(job.base, job.axes);
  const grid = chooseGrid(pts.map(p => p.params), job.grid);
  const v = await backend.run(closedFormsKernel, pts.map(p => p.params), grid);
  const points = pts.map(({ at, params }, i): ExchangePoint => ({
    at, params, J12: v[i].eq7, I12: v[i].eq8, D12: v[i].eq9, Czz: v[i].eq7, Cxx: v[i].eq7 - v[i].eq8 / 2, Dz: v[i].Dz, DzNonreciprocal: v[i].kappa,
  }));
  return { points, grid, evaluations: pts.length * grid.N };
}

export async function runExchange(backend: Backend, job: ExchangeJob, progress?: Progress): Promise<ExchangeResult> {
  const t0 = performance.now();
  let body: Omit<ExchangeResult, 'seconds' | 'method' | 'backend' | 'adapter'>;
  switch (job.method) {
    case 'keldysh': body = await runKeldysh(backend, job, progress); break;
    case 'closed':
      // a Fermi step (T = 0) needs the adaptive split at μ: those sweeps stay on the CPU
      if (closedBatched(job)) { body = await runClosedBatched(backend, job); break; }
    // falls through: float64 adaptive on the CPU
    default: {
      const method = job.method as Exclude<ExchangeMethod, 'keldysh'>, pts = sweepPoints(job.base, job.axes);
      body = { points: pts.map(({ at, params }, i) => { const r = cpuMethodPoint(method, at, params); progress?.((i + 1) / pts.length); return r; }) };
    }
  }
  const usesDevice = job.method === 'keldysh' || (job.method === 'closed' && closedBatched(job));
  return {
    method: job.method, backend: usesDevice ? backend.name : 'cpu', adapter: usesDevice ? backend.adapter : CPU_ADAPTER,
    ...body, seconds: (performance.now() - t0) / 1000,
  };
}
