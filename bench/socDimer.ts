// SOC-dimer benchmark (seed 001), every backend in the same run:
//  - coupling map: time per (μ_F, V) point of the Eq. A24 kernel (all 30 couplings, dampings, noise);
//  - generalized LLG: spin-steps/s of the dimer with spin 1 pinned, 6×6 damping tensor solved per Heun
//    stage and 6×6 correlated noise (the switching-diagram workload);
//  - an estimate of the full-resolution switching diagram (default 128 × 128 points × 256 trajectories,
//    40 ps at dt = 0.02 ps) on each backend from those rates, plus the Fokker–Planck map on the host.
import { openBackend } from '../src/backends/index.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { LlgProblem } from '../src/llg/index.ts';
import { socCouplingsKernel } from '../src/kernels/socCouplings/index.ts';
import { defaultRule, socCouplings, COUPLING_STRIDE, unpackCouplings } from '../src/models/socDimer/couplings.ts';
import { socDimer } from '../src/models/socDimer/params.ts';
import { dimerModel } from '../src/models/socDimer/dynamics.ts';
import { kTeff, pinnedEnergy, spinModel } from '../src/models/socDimer/spinModel.ts';
import { adaptiveBoltzmannMean } from '../src/numerics/sphere.ts';
import { KB } from '../src/numerics/units.ts';
import { machine, type BenchLine } from './llg.ts';

export const SOC_BENCH_BACKENDS = ['webgpu', 'cpu'] as const;
export type SocBenchBackend = typeof SOC_BENCH_BACKENDS[number];

export interface SocBenchOptions {
  backends: SocBenchBackend[];
  /** Map points timed per backend. */
  mapPoints: Record<SocBenchBackend, number>;
  /** Dimer systems and Heun steps timed per backend. */
  systems: Record<SocBenchBackend, number>;
  steps: Record<SocBenchBackend, number>;
  /** The switching diagram whose time is estimated. */
  diagram: { muF: number; V: number; trajectories: number; steps: number };
  onLine?: (l: SocBenchLine) => void;
}

export interface SocBenchLine {
  benchmark: 'soc-dimer';
  backend: SocBenchBackend;
  adapter: string;
  mapPoints: number;
  secondsPerMapPoint: number;
  systems: number;
  steps: number;
  spinStepsPerSecond: number;
  /** Estimated wall time (s) of the full diagram: couplings + Langevin on this backend + Fokker–Planck on the host. */
  diagramSeconds: { couplings: number; langevin: number; fokkerPlanck: number; total: number };
  ratioToCpu?: { map: number; llg: number };
  machine: BenchLine['machine'];
  error?: string;
}

const floorT = 0.02 / KB;

function mapPointsOf(n: number) {
  const side = Math.max(1, Math.round(Math.sqrt(n))), pts = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < Math.ceil(n / side) && pts.length < n; j++) {
    pts.push(socDimer({ t: 0.1, TL: floorT, muF: -6 + (12 * i) / Math.max(1, side - 1), V: -10 + (20 * j) / Math.max(1, side - 1) }));
  }
  return pts;
}

export async function runSocBench(o: SocBenchOptions): Promise<SocBenchLine[]> {
  const lines: SocBenchLine[] = [];
  const diagramPoints = o.diagram.muF * o.diagram.V;
  // Fokker–Planck on the host (same for every backend): time a few points
  const sm = spinModel(), fpN = 64;
  const fpCouplings = Array.from({ length: fpN }, (_, i) => socCouplings(socDimer({ t: 0.1, TL: floorT, V: -5 + (i * 10) / fpN })));
  const fp = () => { for (const c of fpCouplings) adaptiveBoltzmannMean(pinnedEnergy(c, sm, [0, 0, 1], [1, 0, 0]), kTeff(c, sm)); };
  fp(); // warm-up: grids
  let t0 = performance.now();
  fp();
  const fpPerPoint = (performance.now() - t0) / 1000 / fpN;
  for (const name of o.backends) {
    let line: SocBenchLine;
    try {
      const be = await openBackend(name);
      if (be.name !== name) throw new Error(`no ${name} adapter`);
      try {
        const pts = mapPointsOf(o.mapPoints[name]), rule = defaultRule(pts[0]);
        const map = (p: typeof pts) => be.run(socCouplingsKernel, p, rule);
        await map(pts.slice(0, 1)); // warm-up: shader compilation
        t0 = performance.now();
        const raw = await map(pts);
        const secondsPerPoint = (performance.now() - t0) / 1000 / pts.length;
        const n = o.systems[name];
        const setup = { spins: sm, tHat: [1, 0, 0] as [number, number, number], pinned: true, m1: [0, 0, 1] as [number, number, number], init2: [0, 0, -1] as [number, number, number] };
        // the map's points, each with n / points trajectories (as a switching diagram runs them)
        const perPoint = Math.max(1, Math.floor(n / pts.length)), used = Math.min(pts.length, Math.ceil(n / perPoint));
        const cs = Array.from({ length: used }, (_, i) => unpackCouplings(raw, i * COUPLING_STRIDE));
        const ens = LlgProblem.fromModel(dimerModel(setup), cs, { trajectoriesPerPoint: perPoint });
        await be.run(llgKernel, ens, { dt: 0.01, steps: 2, averageFrom: 0, seed: 1 }); // warm-up
        const r = await be.run(llgKernel, ens, { dt: 0.01, steps: o.steps[name], averageFrom: 0, seed: 2 });
        const spinSteps = diagramPoints * o.diagram.trajectories * 2 * o.diagram.steps;
        const ds = { couplings: diagramPoints * secondsPerPoint, langevin: spinSteps / r.spinStepsPerSecond, fokkerPlanck: diagramPoints * fpPerPoint, total: 0 };
        ds.total = ds.couplings + ds.langevin + ds.fokkerPlanck;
        line = { benchmark: 'soc-dimer', backend: name, adapter: be.adapter, mapPoints: pts.length, secondsPerMapPoint: secondsPerPoint, systems: r.trajectories, steps: r.steps, spinStepsPerSecond: r.spinStepsPerSecond, diagramSeconds: ds, machine: machine() };
      } finally { be.close(); }
    } catch (e) {
      const nan = { couplings: NaN, langevin: NaN, fokkerPlanck: NaN, total: NaN };
      line = { benchmark: 'soc-dimer', backend: name, adapter: '', mapPoints: 0, secondsPerMapPoint: NaN, systems: 0, steps: 0, spinStepsPerSecond: NaN, diagramSeconds: nan, machine: machine(), error: (e as Error).message };
    }
    lines.push(line);
  }
  const cpu = lines.find(l => l.backend === 'cpu' && !l.error);
  for (const l of lines) {
    if (cpu && !l.error) l.ratioToCpu = { map: cpu.secondsPerMapPoint / l.secondsPerMapPoint, llg: l.spinStepsPerSecond / cpu.spinStepsPerSecond };
    o.onLine?.(l);
  }
  return lines;
}
