// Dot-valve torque-table benchmark (seed 004): a square (ε̃, V) grid over the Fig. 2 plane (ε̃, V ∈ [−0.5, 0.5]U,
// U = 1000, T = 10, p = 0.99, Γ_D = 2Γ_S, cotunnelling) × the LLG u grid, on every backend in the same run: points/s
// (each point: 20 digamma-family evaluations and `angles` 6×6 steady-state solves), solves/s, the estimated time of a
// full table, and the deviation of each backend from the float64 cpu twin on the points both ran. Then the drain LLG of the
// switching diagram (src/runs/dotValveSwitching.ts: ζ-grid torque and current tables, angle and current observables, the
// paper's dt) on the same backends: spin-steps/s from two runs of different length (the slope, so compilation and
// readback do not count) and the estimated wall time of the default 256 × 256 × 16 diagram (2·10⁶ steps).
import { openBackend } from '../src/backends/index.ts';
import { torqueTableKernel, uGridAngles, ROW } from '../src/kernels/dotValve/index.ts';
import { dotValve } from '../src/models/dotValve/params.ts';
import { machine, type BenchLine } from './llg.ts';
import { calibrateSwitching, SWITCHING_DEFAULTS, switchingSteps, type SwitchingJob } from '../src/runs/dotValveSwitching.ts';
import { PAPER_MAGNET } from '../src/models/dotValve/llg.ts';
import { linspace } from '../src/sweeps/grid.ts';

export const DOT_VALVE_BENCH_BACKENDS = ['webgpu', 'cpu'] as const;
export type DotValveBenchBackend = typeof DOT_VALVE_BENCH_BACKENDS[number];

export interface DotValveBenchOptions {
  backends: DotValveBenchBackend[];
  points: Record<DotValveBenchBackend, number>;
  angles: number;
  /** Points of the table whose time is estimated (e.g. 256 × 256). */
  diagram: number;
  /** The drain LLG: trajectories and steps timed per backend (0 trajectories: skip), the diagram side and trajectories per point. */
  llg?: { trajectories: Record<DotValveBenchBackend, number>; steps: number; side: number; perPoint: number };
  onLine?: (l: DotValveBenchLine | DotValveLlgBenchLine) => void;
}

export interface DotValveLlgBenchLine {
  benchmark: 'dot-valve-llg';
  backend: DotValveBenchBackend;
  adapter: string;
  trajectories: number;
  steps: number;
  tableNodes: number;
  tableGrid: string;
  spinStepsPerSecond: number;
  /** The default diagram: side² points × perPoint trajectories × its steps, and its estimated wall time at the measured rate. */
  diagram: string;
  diagramSpinSteps: number;
  diagramSeconds: number;
  ratioToCpu?: number;
  machine: BenchLine['machine'];
  error?: string;
}

export interface DotValveBenchLine {
  benchmark: 'dot-valve-torque-table';
  backend: DotValveBenchBackend;
  adapter: string;
  points: number;
  angles: number;
  seconds: number;
  pointsPerSecond: number;
  solvesPerSecond: number;
  /** Estimated wall time of the `diagram`-point table at the measured rate. */
  diagramPoints: number;
  diagramSeconds: number;
  ratioToCpu?: number;
  /** max over the points both ran of |x − x_cpu| / max|x_cpu| per quantity (I_FL, I_DL, I_C). */
  maxDeviationFromCpu?: number;
  machine: BenchLine['machine'];
  error?: string;
}

/**
 * The first n points of the 256 × 256 grid over ε̃, V ∈ [−500, 500] in a scattered order (k·7919 mod 65536, a
 * permutation): any prefix covers the plane, and every backend's points are a prefix of the same sequence.
 */
function benchPoints(n: number): Float64Array {
  const side = 256, out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const j = (k * 7919) % (side * side);
    out[2 * k] = -500 + (1000 * (j % side)) / (side - 1);
    out[2 * k + 1] = -500 + (1000 * Math.floor(j / side)) / (side - 1);
  }
  return out;
}

export async function runDotValveBench(o: DotValveBenchOptions): Promise<(DotValveBenchLine | DotValveLlgBenchLine)[]> {
  const base = dotValve({});
  const angles = uGridAngles(o.angles);
  const lines: DotValveBenchLine[] = [];
  const results = new Map<DotValveBenchBackend, Float64Array>();
  for (const name of o.backends) {
    const n = o.points[name];
    let line: DotValveBenchLine;
    try {
      const be = await openBackend(name);
      if (be.name !== name) throw new Error(`no ${name} adapter`);
      try {
        const points = benchPoints(n);
        await be.run(torqueTableKernel, { base, points: points.slice(0, 2), angles }); // warm-up: pipeline compilation
        const t0 = performance.now();
        const rows = await be.run(torqueTableKernel, { base, points, angles });
        const seconds = (performance.now() - t0) / 1000;
        results.set(name, rows);
        line = {
          benchmark: 'dot-valve-torque-table', backend: name, adapter: be.adapter, points: n, angles: o.angles, seconds,
          pointsPerSecond: n / seconds, solvesPerSecond: (n * o.angles) / seconds, diagramPoints: o.diagram, diagramSeconds: (o.diagram * seconds) / n, machine: machine(),
        };
      } finally { be.close(); }
    } catch (e) {
      line = { benchmark: 'dot-valve-torque-table', backend: name, adapter: '', points: 0, angles: o.angles, seconds: NaN, pointsPerSecond: NaN, solvesPerSecond: NaN, diagramPoints: o.diagram, diagramSeconds: NaN, machine: machine(), error: (e as Error).message };
    }
    lines.push(line);
  }
  const cpu = lines.find(l => l.backend === 'cpu' && !l.error), ref = results.get('cpu');
  for (const l of lines) {
    if (cpu && !l.error) l.ratioToCpu = l.pointsPerSecond / cpu.pointsPerSecond;
    const mine = results.get(l.backend);
    if (ref && mine && !l.error) {
      const rowsBoth = Math.min(ref.length, mine.length) / ROW.stride;
      let worst = 0;
      for (const slot of [ROW.offsets.tauFL, ROW.offsets.tauDL, ROW.offsets.current]) {
        let scale = 0, dev = 0;
        for (let k = 0; k < rowsBoth; k++) { scale = Math.max(scale, Math.abs(ref[k * ROW.stride + slot])); dev = Math.max(dev, Math.abs(mine[k * ROW.stride + slot] - ref[k * ROW.stride + slot])); }
        worst = Math.max(worst, scale > 0 ? dev / scale : 0);
      }
      l.maxDeviationFromCpu = worst;
    }
    o.onLine?.(l);
  }
  return o.llg ? [...lines, ...(await runDrainLlgBench(o))] : lines;
}

/** The switching diagram's LLG on each backend (the paper's protocol on the default grid). */
async function runDrainLlgBench(o: DotValveBenchOptions): Promise<DotValveLlgBenchLine[]> {
  const g = o.llg!, side = g.side;
  const job: SwitchingJob = { ...SWITCHING_DEFAULTS, base: dotValve({}), epsAxis: linspace(-500, 500, side), VAxis: linspace(-500, 500, side), magnet: PAPER_MAGNET, trajectories: g.perPoint };
  const diagramSpinSteps = side * side * g.perPoint * switchingSteps(job);
  const lines: DotValveLlgBenchLine[] = [];
  for (const name of o.backends) {
    if (!(g.trajectories[name] > 0)) continue;
    const head = { benchmark: 'dot-valve-llg' as const, backend: name, tableNodes: job.tableNodes, tableGrid: job.tableGrid, diagram: `${side}x${side}x${g.perPoint}, ${switchingSteps(job)} steps`, diagramSpinSteps, machine: machine() };
    let line: DotValveLlgBenchLine;
    try {
      const be = await openBackend(name);
      if (be.name !== name) throw new Error(`no ${name} adapter`);
      try {
        const c = await calibrateSwitching(be, job, g.steps, g.trajectories[name]);
        line = { ...head, adapter: be.adapter, trajectories: c.trajectories, steps: c.steps, spinStepsPerSecond: c.spinStepsPerSecond, diagramSeconds: diagramSpinSteps / c.spinStepsPerSecond };
      } finally { be.close(); }
    } catch (e) {
      line = { ...head, adapter: '', trajectories: 0, steps: 0, spinStepsPerSecond: NaN, diagramSeconds: NaN, error: (e as Error).message };
    }
    lines.push(line);
  }
  const cpu = lines.find(l => l.backend === 'cpu' && !l.error);
  for (const l of lines) {
    if (cpu && !l.error) l.ratioToCpu = l.spinStepsPerSecond / cpu.spinStepsPerSecond;
    o.onLine?.(l);
  }
  return lines;
}
