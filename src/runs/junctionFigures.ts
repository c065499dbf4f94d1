// Seed 000 (Fransson, Ren, Zhu), Figs. 2–4 reproduced and extended.
//
// Each figure has three panels: (a) gate μ ∈ [−3, 3] meV at V = 0 (Fig. 4(a): V = 0.1 mV, per its caption),
// (b) bias V ∈ [−4, 4] mV gated at μ = −2 meV, (c) thermal bias ΔT = T_R − T_L ∈ [0, 30] K at μ = −2 meV;
// the paper's parameters ε0 = 0, T_c = 3Γ = J_1 = J_2 = 1 meV, T_L = 1 K. Every panel overlays
//   Fig. 2  J12 = Eq. 7 as printed (closed, solid)     with the Keldysh Czz           (dashed),
//   Fig. 3  I12 = Eq. 8 as printed                     with the Keldysh 2(Czz − Cxx),
//   Fig. 4  D12 = Eq. 9 as printed                     with the Keldysh 8κ (κ = DzNonreciprocal),
// for five lead-polarization sets (p_L, p_R) — the paper does not list its sets, so these are ours.
// One Keldysh run per sweep and polarization gives J, I and D at once. The closed forms are exact only
// for p_L = p_R (for p_L ≠ p_R they use Γ^χ_σ = Γ_σ/2, which then fails): the agreement recorded per
// panel is over the p_L = p_R sets, the p_L ≠ p_R differences are recorded as what the closed forms miss.
// Signs (energetics, E = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz(S1×S2)_z): Czz > 0 favours parallel
// spins. The paper calls negative J ferromagnetic; with Czz = Eq. 7 its own energetics say the opposite.
//
// Beyond the paper: 2D maps of Czz (= Eq. 7) over μ × V and V × ΔT for (0.5, 0.5), and of κ over μ × V
// for (0.5, 0), closed forms by default (float64, fast) or Keldysh.
import * as d3 from 'd3';
import { CpuBackend, type Backend } from '../backends/index.ts';
import { junction, type JunctionParams } from '../models/junction/index.ts';
import { chooseGrid, DEFAULT_STEP_DIVISOR, DEFAULT_WINDOW, type GridOptions } from '../kernels/exchange/grid.ts';
import type { SweepAxis } from '../sweeps/params.ts';
import { exchangeBackend, exchangeFromArrays, exchangePlan, sweepPoints, type ExchangeJob, type ExchangePoint, type ExchangeResult } from './exchange.ts';
import { announced, partData, type ChunkData, type SweepPart, type SweepParts, type SweepPlan } from '../sweeps/chunked.ts';
import { sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import { EXCHANGE_TOLERANCES } from './exchangeOutput.ts';
import { PROBE_NOTE } from './exchange.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { DIVERGING, lineChart, heatmap } from '../plots/svg.ts';

export type Polarization = readonly [number, number];

/** The (p_L, p_R) sets drawn in every panel. The paper's text does not list its values: these are ours. */
export const FIGURE_POLARIZATIONS: readonly Polarization[] = [[0, 0], [0.5, 0.5], [0.5, -0.5], [0.5, 0], [0, 0.5]];
export const POLARIZATION_NOTE = 'The paper does not list its (p_L, p_R) values; nanospin draws the sets (0, 0), (0.5, 0.5), (0.5, −0.5), (0.5, 0), (0, 0.5).';

/** ε0 = 0, T_c = 3Γ = J_1 = J_2 = 1 meV (Γ^L = Γ^R = Γ/2 = 1/6 meV), T_L = 1 K. */
export const PAPER_PARAMETERS: Partial<JunctionParams> = {
  eps: [[0, 0], [0, 0]], Tc: 1, GammaL: 1 / 6, GammaR: 1 / 6, J1: 1, J2: 1, TL: 1, mu: 0, V: 0, dT: 0,
};

export const FIGURE_SWEEP_IDS = ['mu', 'muBiased', 'V', 'dT'] as const;
export type FigureSweepId = typeof FIGURE_SWEEP_IDS[number];

export interface FigureSweep {
  id: FigureSweepId;
  axis: 'mu' | 'V' | 'dT';
  from: number;
  to: number;
  /** Parameters held fixed along the sweep (on top of PAPER_PARAMETERS). */
  fixed: Partial<JunctionParams>;
  description: string;
  xLabel: string;
}

/**
 * The four sweeps behind the nine panels. ΔT ∈ [0, 30] K: Eq. 7 at μ = −2 meV rises from 8.5e-4 meV to a
 * peak near ΔT ≈ 3–5 K (the lower orbital becomes resonant with the hot right lead), falls to a minimum
 * near 20 K and turns up again slowly, so the range shows the paper's "initial peak" and decrease.
 */
export const FIGURE_SWEEPS: Record<FigureSweepId, FigureSweep> = {
  mu: { id: 'mu', axis: 'mu', from: -3, to: 3, fixed: { V: 0, dT: 0 }, description: 'μ sweep at V = 0, ΔT = 0 (Figs. 2a, 3a)', xLabel: 'chemical potential μ (meV)' },
  muBiased: { id: 'muBiased', axis: 'mu', from: -3, to: 3, fixed: { V: 0.1, dT: 0 }, description: 'μ sweep at V = 0.1 mV, ΔT = 0 (Fig. 4a)', xLabel: 'chemical potential μ (meV)' },
  V: { id: 'V', axis: 'V', from: -4, to: 4, fixed: { mu: -2, dT: 0 }, description: 'V sweep at μ = −2 meV, ΔT = 0 (Figs. 2b, 3b, 4b)', xLabel: 'bias voltage V (mV)' },
  dT: { id: 'dT', axis: 'dT', from: 0, to: 30, fixed: { mu: -2, V: 0 }, description: 'ΔT sweep at μ = −2 meV, V = 0 (Figs. 2c, 3c, 4c)', xLabel: 'thermal bias ΔT = T_R − T_L (K)' },
};

export type FigureQuantity = 'J' | 'I' | 'D';

export interface QuantitySpec {
  figure: 2 | 3 | 4;
  equation: string;
  closedName: string;
  keldyshName: string;
  yLabel: string;
  closed(p: ExchangePoint): number;
  keldysh(p: ExchangePoint): number;
}

export const FIGURE_QUANTITIES: Record<FigureQuantity, QuantitySpec> = {
  J: {
    figure: 2, equation: 'Eq. 7', closedName: 'J12 (Eq. 7)', keldyshName: 'Keldysh Czz',
    yLabel: 'J12 (meV); > 0 favours parallel spins',
    closed: p => p.J12, keldysh: p => p.Czz,
  },
  I: {
    figure: 3, equation: 'Eq. 8', closedName: 'I12 (Eq. 8)', keldyshName: 'Keldysh 2(Czz − Cxx)',
    yLabel: 'I12 (meV) = 2(Czz − Cxx), Ising part',
    closed: p => p.I12, keldysh: p => 2 * (p.Czz - p.Cxx),
  },
  D: {
    figure: 4, equation: 'Eq. 9', closedName: 'D12 (Eq. 9)', keldyshName: 'Keldysh 8κ',
    yLabel: 'D12 (meV); Eq. 9 ≈ 8κ, κ = non-reciprocal DM',
    closed: p => p.D12, keldysh: p => 8 * (p.DzNonreciprocal ?? NaN),
  },
};

export interface PanelSpec { id: string; figure: 2 | 3 | 4; letter: 'a' | 'b' | 'c'; sweep: FigureSweepId; quantity: FigureQuantity }

export const FIGURE_PANELS: readonly PanelSpec[] = [
  { id: 'fig2a', figure: 2, letter: 'a', sweep: 'mu', quantity: 'J' },
  { id: 'fig2b', figure: 2, letter: 'b', sweep: 'V', quantity: 'J' },
  { id: 'fig2c', figure: 2, letter: 'c', sweep: 'dT', quantity: 'J' },
  { id: 'fig3a', figure: 3, letter: 'a', sweep: 'mu', quantity: 'I' },
  { id: 'fig3b', figure: 3, letter: 'b', sweep: 'V', quantity: 'I' },
  { id: 'fig3c', figure: 3, letter: 'c', sweep: 'dT', quantity: 'I' },
  { id: 'fig4a', figure: 4, letter: 'a', sweep: 'muBiased', quantity: 'D' },
  { id: 'fig4b', figure: 4, letter: 'b', sweep: 'V', quantity: 'D' },
  { id: 'fig4c', figure: 4, letter: 'c', sweep: 'dT', quantity: 'D' },
];

/** The paper's junction at one point of a figure sweep, with lead polarizations pol. */
export function sweepBase(sweep: FigureSweep, pol: Polarization): JunctionParams {
  return junction({ ...PAPER_PARAMETERS, ...sweep.fixed, pL: pol[0], pR: pol[1] });
}

export function linspace(from: number, to: number, n: number): Float64Array {
  if (n === 1) return Float64Array.of(from);
  return Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? to : from + ((to - from) * i) / (n - 1)));
}

export const polLabel = (pol: Polarization) => `(${fmtP(pol[0])}, ${fmtP(pol[1])})`;
/** Column tag for CSV headers: pL0.5_pR-0.5. */
export const polTag = (pol: Polarization) => `pL${pol[0]}_pR${pol[1]}`;
const fmtP = (x: number) => (x < 0 ? `−${-x}` : `${x}`);
const isExact = (pol: Polarization) => pol[0] === pol[1];

// ---- maps ----------------------------------------------------------------------------------------

export const MAP_METHODS = ['closed', 'keldysh'] as const;
export type MapMethod = typeof MAP_METHODS[number];

export interface MapSpec {
  id: string;
  quantity: 'Czz' | 'DzNonreciprocal';
  pol: Polarization;
  x: { name: 'mu' | 'V' | 'dT'; from: number; to: number; label: string };
  y: { name: 'mu' | 'V' | 'dT'; from: number; to: number; label: string };
  fixed: Partial<JunctionParams>;
  title: string;
  colorLabel: string;
}

export const FIGURE_MAPS: readonly MapSpec[] = [
  {
    id: 'map_Czz_mu_V', quantity: 'Czz', pol: [0.5, 0.5], fixed: { dT: 0 },
    x: { name: 'mu', from: -3, to: 3, label: 'chemical potential μ (meV)' }, y: { name: 'V', from: -4, to: 4, label: 'bias voltage V (mV)' },
    title: 'Czz = J12 (Eq. 7) over μ × V, ΔT = 0, (p_L, p_R) = (0.5, 0.5)', colorLabel: 'Czz (meV); > 0 favours parallel',
  },
  {
    id: 'map_Czz_V_dT', quantity: 'Czz', pol: [0.5, 0.5], fixed: { mu: -2 },
    x: { name: 'V', from: -4, to: 4, label: 'bias voltage V (mV)' }, y: { name: 'dT', from: 0, to: 30, label: 'thermal bias ΔT (K)' },
    title: 'Czz = J12 (Eq. 7) over V × ΔT, μ = −2 meV, (p_L, p_R) = (0.5, 0.5)', colorLabel: 'Czz (meV); > 0 favours parallel',
  },
  {
    id: 'map_kappa_mu_V', quantity: 'DzNonreciprocal', pol: [0.5, 0], fixed: { dT: 0 },
    x: { name: 'mu', from: -3, to: 3, label: 'chemical potential μ (meV)' }, y: { name: 'V', from: -4, to: 4, label: 'bias voltage V (mV)' },
    title: 'κ = DzNonreciprocal over μ × V, ΔT = 0, (p_L, p_R) = (0.5, 0)', colorLabel: 'κ (meV); Eq. 9 ≈ 8κ',
  },
];

// ---- options and results -------------------------------------------------------------------------

export interface FiguresOptions {
  /** Points per 1D sweep. */
  points: number;
  /** Keldysh energy grid (window, stepDivisor, step). */
  grid: GridOptions;
  /** Keldysh convergence probes (2× step, ½ window) per run. */
  convergence: boolean;
  polarizations?: readonly Polarization[];
  sweeps?: readonly FigureSweepId[];
  /** 2D maps; false to skip. */
  maps: false | { method: MapMethod; nx: number; ny: number };
}

/**
 * Defaults of `nanospin figures junction`. The Keldysh window is 50 meV, not the exchange command's 200 meV:
 * with 200 meV the full command took 18 min on 2 cores with llvmpipe (20 runs × 121 points × 65536–131072
 * energies); 50 meV takes a quarter of that. On the float32 device path the agreement with Eqs. 7–8 is the
 * same at both windows (float32-limited, ≲ 1e-6 meV); on the float64 CPU twin the gap grows from ≤ 1e-8 to
 * ≤ 8e-8 of max|Eq. 7| (window truncation). `--window 200` restores the longer run.
 */
export const FIGURE_DEFAULTS = { points: 121, window: 50, stepDivisor: DEFAULT_STEP_DIVISOR, mapNx: 121, mapNy: 81 };

export interface SweepRun {
  sweep: FigureSweep;
  pol: Polarization;
  axis: SweepAxis;
  closed: ExchangeResult;
  keldysh: ExchangeResult;
}

export interface PanelSet {
  pol: Polarization;
  /** p_L = p_R: the closed forms are exact (to second order in J_n). */
  exact: boolean;
  closed: Float64Array;
  keldysh: Float64Array;
  Czz: Float64Array; Cxx: Float64Array; Dz: Float64Array; DzNonreciprocal: Float64Array;
  maxAbsDiff: number;
  maxAbsClosed: number;
  /** maxAbsDiff / maxAbsClosed (null where the closed value vanishes identically). */
  relative: number | null;
}

export interface PanelAgreement {
  /** max |keldysh − closed| over the p_L = p_R sets (meV). */
  maxAbsDiff: number;
  /** The scale it is divided by (meV) and what that scale is. */
  scale: number;
  scaleIs: string;
  relative: number | null;
  /** Same for the p_L ≠ p_R sets, where the closed forms are approximate. */
  approximateSets: { maxAbsDiff: number; scale: number; relative: number | null };
}

export interface Panel {
  spec: PanelSpec;
  sweep: FigureSweep;
  x: Float64Array;
  sets: PanelSet[];
  agreement: PanelAgreement;
}

export interface FigureMap {
  spec: MapSpec;
  method: MapMethod;
  x: Float64Array;
  y: Float64Array;
  /** Row-major [ny][nx]. */
  values: Float64Array;
  result: ExchangeResult;
}

export interface FiguresResult {
  backend: string;
  adapter: string;
  options: FiguresOptions;
  runs: SweepRun[];
  panels: Panel[];
  maps: FigureMap[];
  /** Seconds of every run, summed over its chunks (total: their sum). */
  seconds: { keldysh: number; closed: number; maps: number; total: number };
  /** Chunks resumed and shards merged (a CLI run). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

export interface FiguresHooks {
  progress?: (fraction: number) => void;
  stage?: (message: string) => void;
}

// ---- running -------------------------------------------------------------------------------------

/** Per-point relative cost of a Keldysh point on a grid of N energies, and of a closed-form point. */
const keldyshCost = (N: number) => N / 65536;
const CLOSED_COST = 0.005;

function panelFromRuns(spec: PanelSpec, runs: SweepRun[]): Panel {
  const q = FIGURE_QUANTITIES[spec.quantity];
  const mine = runs.filter(r => r.sweep.id === spec.sweep);
  const sets: PanelSet[] = mine.map(r => {
    const closed = Float64Array.from(r.closed.points, q.closed), keldysh = Float64Array.from(r.keldysh.points, q.keldysh);
    let maxAbsDiff = 0, maxAbsClosed = 0;
    for (let i = 0; i < closed.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(keldysh[i] - closed[i]));
      maxAbsClosed = Math.max(maxAbsClosed, Math.abs(closed[i]));
    }
    const col = (f: (p: ExchangePoint) => number) => Float64Array.from(r.keldysh.points, f);
    return {
      pol: r.pol, exact: isExact(r.pol), closed, keldysh,
      Czz: col(p => p.Czz), Cxx: col(p => p.Cxx), Dz: col(p => p.Dz), DzNonreciprocal: col(p => p.DzNonreciprocal ?? NaN),
      maxAbsDiff, maxAbsClosed, relative: maxAbsClosed > 0 ? maxAbsDiff / maxAbsClosed : null,
    };
  });
  const agg = (ss: PanelSet[]) => {
    const d = Math.max(0, ...ss.map(s => s.maxAbsDiff)), c = Math.max(0, ...ss.map(s => s.maxAbsClosed));
    return { maxAbsDiff: d, scale: c, relative: c > 0 ? d / c : null };
  };
  const exact = agg(sets.filter(s => s.exact)), approx = agg(sets.filter(s => !s.exact));
  let scale = exact.scale, scaleIs = `max |${q.equation}| over the p_L = p_R sets`;
  if (!(scale > 0)) {
    // Eq. 9 ∝ Γ^L_↑Γ^R_↓ − Γ^L_↓Γ^R_↑ ∝ p_L − p_R vanishes identically for p_L = p_R (so does κ)
    scale = Math.max(exact.scale, approx.scale);
    scaleIs = `${q.equation} vanishes identically for p_L = p_R; max |${q.equation}| over all sets`;
  }
  return {
    spec, sweep: FIGURE_SWEEPS[spec.sweep], x: mine[0]?.axis.values ?? new Float64Array(0), sets,
    agreement: { maxAbsDiff: exact.maxAbsDiff, scale, scaleIs, relative: scale > 0 ? exact.maxAbsDiff / scale : null, approximateSets: approx },
  };
}

/** The runs behind the figures: a keldysh and a closed run per (sweep, polarization), and the maps. */
function figureTasks(opts: FiguresOptions) {
  const pols = opts.polarizations ?? FIGURE_POLARIZATIONS;
  const sweeps = (opts.sweeps ?? FIGURE_SWEEP_IDS).map(id => FIGURE_SWEEPS[id]);
  if (!(Number.isInteger(opts.points) && opts.points >= 2)) throw new RangeError(`points must be an integer ≥ 2, got ${opts.points}`);
  const tasks = sweeps.flatMap(sweep => pols.map((pol, k) => {
    const axis: SweepAxis = { name: sweep.axis, values: linspace(sweep.from, sweep.to, opts.points) };
    const base = sweepBase(sweep, pol);
    return {
      sweep, pol, axis, key: `${sweep.id}-${k}`,
      closed: { base, axes: [axis], method: 'closed' } as ExchangeJob,
      keldysh: { base, axes: [axis], method: 'keldysh', grid: opts.grid, convergence: opts.convergence } as ExchangeJob,
    };
  }));
  const mapMethod: MapMethod = opts.maps ? opts.maps.method : 'closed';
  const maps = opts.maps ? FIGURE_MAPS.map(spec => {
    const { nx, ny } = opts.maps as { nx: number; ny: number };
    const x = linspace(spec.x.from, spec.x.to, nx), y = linspace(spec.y.from, spec.y.to, ny);
    const base = junction({ ...PAPER_PARAMETERS, ...spec.fixed, pL: spec.pol[0], pR: spec.pol[1] });
    // first axis slowest: rows are y
    const job: ExchangeJob = { base, axes: [{ name: spec.y.name, values: y }, { name: spec.x.name, values: x }], method: mapMethod, ...(mapMethod === 'keldysh' ? { grid: opts.grid, convergence: opts.convergence } : {}) };
    return { spec, x, y, job, key: `map-${spec.id}` };
  }) : [];
  return { tasks, maps, mapMethod };
}

/**
 * Every sweep and map as the parts of one resumable, shardable sweep: the closed forms as the float64 CPU
 * reference (exchangePlan would evaluate 'closed' on a webgpu backend as float32 trapezoid sums), the Keldysh
 * runs (each with its convergence probe, kept exact under sharding: src/runs/exchange.ts) on `backend`.
 */
export function junctionFiguresPlan(backend: Backend, opts: FiguresOptions, identity: SweepParts['identity'], hooks: FiguresHooks = {}): SweepParts {
  const { tasks, maps, mapMethod } = figureTasks(opts);
  const CPU_ONLY: Backend = new CpuBackend();
  const parts: SweepPart[] = [];
  // a stage line when a part starts computing (a resumed part that is complete prints none)
  const staged = (key: string, plan: Omit<SweepPlan, 'identity'>, cost: number, line: () => string): SweepPart =>
    ({ ...announced(plan, () => hooks.stage?.(line())), key, cost });
  const part = (be: Backend, job: ExchangeJob) => { const { identity: _, ...p } = exchangePlan(be, job, identity); return p; };
  for (const t of tasks) parts.push(staged(`closed-${t.key}`, part(CPU_ONLY, t.closed), CLOSED_COST, () => `closed forms (Eqs. 7–9, float64): ${t.sweep.description}, (p_L, p_R) = ${polLabel(t.pol)}, ${opts.points} points`));
  const mapPart = (m: typeof maps[number], be: Backend) => {
    const p = part(be, m.job);
    return staged(m.key, p, mapMethod === 'keldysh' ? keldyshCost(chooseGrid(sweepPoints(m.job.base, m.job.axes).map(q => q.params), opts.grid).N) : CLOSED_COST,
      () => `map ${m.spec.id}: ${mapMethod}${mapMethod === 'keldysh' ? ` on ${be.name}` : ''}, ${m.x.length} × ${m.y.length} points`);
  };
  if (mapMethod === 'closed') for (const m of maps) parts.push(mapPart(m, CPU_ONLY));
  tasks.forEach((t, k) => {
    const N = chooseGrid(sweepPoints(t.keldysh.base, t.keldysh.axes).map(p => p.params), opts.grid).N;
    parts.push(staged(`keldysh-${t.key}`, part(backend, t.keldysh), keldyshCost(N), () => `[${k + 1}/${tasks.length}] ${t.sweep.description}, (p_L, p_R) = ${polLabel(t.pol)}: keldysh on ${backend.name}, ${opts.points} points × ${N} energies`));
  });
  if (mapMethod === 'keldysh') for (const m of maps) parts.push(mapPart(m, backend));
  return { identity, parts };
}

/** The figures' runs, panels and maps from the parts' arrays (the run's own, or merged shards'). */
export function junctionFiguresFromArrays(opts: FiguresOptions, data: ChunkData, info: SweepInfo): FiguresResult {
  const { tasks, maps: mapTasks, mapMethod } = figureTasks(opts);
  const CPU_ONLY: Backend = new CpuBackend();
  const result = (key: string, job: ExchangeJob, onDevice: boolean) => {
    const be = onDevice ? { name: info.backend, adapter: info.adapter } : exchangeBackend(job, CPU_ONLY);
    const { sweep: _, ...r } = exchangeFromArrays(job, partData(data, key), { ...info, ...be, checks: { '': info.checks?.[key] ?? [] } });
    return r;
  };
  const runs: SweepRun[] = tasks.map(t => ({ sweep: t.sweep, pol: t.pol, axis: t.axis, closed: result(`closed-${t.key}`, t.closed, false), keldysh: result(`keldysh-${t.key}`, t.keldysh, true) }));
  const maps: FigureMap[] = mapTasks.map(m => {
    const r = result(m.key, m.job, mapMethod === 'keldysh');
    return { spec: m.spec, method: mapMethod, x: m.x, y: m.y, values: Float64Array.from(r.points, p => (m.spec.quantity === 'Czz' ? p.Czz : p.DzNonreciprocal ?? NaN)), result: r };
  });
  const sweeps = (opts.sweeps ?? FIGURE_SWEEP_IDS).map(id => FIGURE_SWEEPS[id]);
  const panels = FIGURE_PANELS.filter(p => sweeps.some(s => s.id === p.sweep)).map(p => panelFromRuns(p, runs));
  const sum = (rs: ExchangeResult[]) => rs.reduce((a, r) => a + r.seconds, 0);
  const tK = sum(runs.map(r => r.keldysh)), tC = sum(runs.map(r => r.closed)), tM = sum(maps.map(m => m.result));
  return { backend: info.backend, adapter: info.adapter, options: opts, runs, panels, maps, seconds: { keldysh: tK, closed: tC, maps: tM, total: tK + tC + tM }, sweep: sweepRecord(info) };
}

// ---- output --------------------------------------------------------------------------------------

/** Columns of the per-panel .npy, axis 1 of [sets, quantities, points]. */
export const PANEL_NPY_QUANTITIES = ['closed', 'keldysh', 'Czz', 'Cxx', 'Dz', 'DzNonreciprocal'] as const;

const round = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(d)));

export function panelTitle(p: Panel): string {
  const q = FIGURE_QUANTITIES[p.spec.quantity];
  const at = p.spec.sweep === 'mu' ? 'V = 0' : p.spec.sweep === 'muBiased' ? 'V = 0.1 mV' : 'μ = −2 meV';
  return `Fig. ${q.figure}(${p.spec.letter}) ${q.closedName} solid, ${q.keldyshName} dashed; ${at}; (p_L, p_R) ours`;
}

function panelSvg(p: Panel): string {
  const q = FIGURE_QUANTITIES[p.spec.quantity];
  const palette = d3.schemeCategory10;
  const series = p.sets.flatMap((s, k) => [
    { name: `(p_L, p_R) = ${polLabel(s.pol)} ${q.equation}`, x: p.x, y: s.closed, color: palette[k % 10], dash: '' },
    { name: `(p_L, p_R) = ${polLabel(s.pol)} Keldysh`, x: p.x, y: s.keldysh, color: palette[k % 10], dash: '7 4', width: 2.2 },
  ]);
  return lineChart({ title: panelTitle(p), xLabel: p.sweep.xLabel, yLabel: q.yLabel, series, width: 900, height: 480 });
}

function panelCsv(p: Panel): Record<string, Float64Array> {
  const cols: Record<string, Float64Array> = { [p.sweep.axis]: p.x };
  for (const s of p.sets) {
    const t = polTag(s.pol);
    cols[`closed_${t}`] = s.closed;
    cols[`keldysh_${t}`] = s.keldysh;
    cols[`Czz_${t}`] = s.Czz; cols[`Cxx_${t}`] = s.Cxx; cols[`Dz_${t}`] = s.Dz; cols[`DzNonreciprocal_${t}`] = s.DzNonreciprocal;
  }
  return cols;
}

function panelNpy(p: Panel): Float64Array {
  const n = p.x.length, nq = PANEL_NPY_QUANTITIES.length, out = new Float64Array(p.sets.length * nq * n);
  p.sets.forEach((s, k) => PANEL_NPY_QUANTITIES.forEach((name, j) => out.set(s[name], (k * nq + j) * n)));
  return out;
}

function panelAgreementJson(p: Panel) {
  return {
    ...p.agreement,
    sets: p.sets.map(s => ({ pL: s.pol[0], pR: s.pol[1], closedExact: s.exact, maxAbsDiff: s.maxAbsDiff, maxAbsClosed: s.maxAbsClosed, relative: s.relative })),
  };
}

export function figuresSummary(r: FiguresResult) {
  return {
    backend: r.backend, adapter: r.adapter, seconds: r.seconds,
    points: r.options.points, grid: r.options.grid,
    polarizations: (r.options.polarizations ?? FIGURE_POLARIZATIONS).map(p => [p[0], p[1]]),
    panels: Object.fromEntries(r.panels.map(p => [p.spec.id, {
      maxAbsDiff: p.agreement.maxAbsDiff, relative: p.agreement.relative, scaleIs: p.agreement.scaleIs,
      approximateSetsRelative: p.agreement.approximateSets.relative,
    }])),
    keldyshRuns: r.runs.map(k => ({
      sweep: k.sweep.id, pL: k.pol[0], pR: k.pol[1], seconds: k.keldysh.seconds,
      energies: k.keldysh.grid?.N, step: k.keldysh.grid?.h,
      convergence: k.keldysh.convergence ? { stepDoubled: k.keldysh.convergence.stepDoubled, windowHalved: k.keldysh.convergence.windowHalved } : undefined,
    })),
    maps: r.maps.map(m => ({ id: m.spec.id, method: m.method, nx: m.x.length, ny: m.y.length, seconds: m.result.seconds })),
  };
}

export function writeJunctionFigures(target: OutputTarget, r: FiguresResult): Promise<string> {
  return withRunDir(target, async dir => {
    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    const polList = r.options.polarizations ?? FIGURE_POLARIZATIONS, pols = polList.map(p => [p[0], p[1]]);
    dir.writeNpy('polarizations.npy', Float64Array.from(pols.flat()), [pols.length, 2]);
    const panelsJson: Record<string, unknown> = {};
    for (const p of r.panels) {
      const id = p.spec.id, q = FIGURE_QUANTITIES[p.spec.quantity];
      dir.writeText(`${id}.svg`, panelSvg(p));
      dir.writeCsv(`${id}.csv`, panelCsv(p));
      dir.writeNpy(`${id}.npy`, panelNpy(p), [p.sets.length, PANEL_NPY_QUANTITIES.length, p.x.length]);
      dir.writeNpy(`${id}_${p.sweep.axis}.npy`, p.x, [p.x.length]);
      const ag = p.agreement;
      figures.push({
        title: panelTitle(p), svgFile: `${id}.svg`,
        caption: `${p.sweep.description}: ${q.keldyshName} from the Keldysh integrals beside ${q.closedName} as printed, one pair of curves per lead polarization (p_L, p_R). ` +
          `Max |Keldysh − closed| over p_L = p_R: ${ag.maxAbsDiff.toExponential(2)} meV` +
          (ag.relative !== null ? ` (${ag.relative.toExponential(2)} of ${ag.scaleIs})` : '') +
          `; over p_L ≠ p_R, where the closed forms are approximate: ${ag.approximateSets.maxAbsDiff.toExponential(2)} meV. Data: ${id}.csv, ${id}.npy.`,
      });
      panelsJson[id] = {
        figure: q.figure, panel: p.spec.letter, sweep: p.sweep.description, x: { name: p.sweep.axis, from: p.sweep.from, to: p.sweep.to, points: p.x.length },
        closed: `${q.closedName} as printed`, keldysh: q.keldyshName,
        files: { svg: `${id}.svg`, csv: `${id}.csv`, npy: `${id}.npy`, axis: `${id}_${p.sweep.axis}.npy` },
        agreement: panelAgreementJson(p),
      };
    }
    const mapsJson: Record<string, unknown>[] = [];
    for (const m of r.maps) {
      const id = m.spec.id;
      const a = Math.max(1e-300, ...Array.from(m.values, v => (Number.isFinite(v) ? Math.abs(v) : 0)));
      dir.writeText(`${id}.svg`, heatmap({
        title: `${m.spec.title} (${m.method})`, xLabel: m.spec.x.label, yLabel: m.spec.y.label, x: m.x, y: m.y, values: m.values,
        colorLabel: m.spec.colorLabel, domain: [-a, a], interpolator: DIVERGING, width: 760, height: 560,
      }));
      const nx = m.x.length, ny = m.y.length;
      dir.writeCsv(`${id}.csv`, {
        [m.spec.y.name]: Float64Array.from({ length: nx * ny }, (_, i) => m.y[Math.floor(i / nx)]),
        [m.spec.x.name]: Float64Array.from({ length: nx * ny }, (_, i) => m.x[i % nx]),
        [m.spec.quantity]: m.values,
      });
      dir.writeNpy(`${id}.npy`, m.values, [ny, nx]);
      dir.writeNpy(`${id}_${m.spec.x.name}.npy`, m.x, [nx]);
      dir.writeNpy(`${id}_${m.spec.y.name}.npy`, m.y, [ny]);
      figures.push({
        title: `${m.spec.title}, ${m.method} (${nx} × ${ny})`, svgFile: `${id}.svg`,
        caption: `${m.spec.colorLabel} over ${m.spec.y.name} × ${m.spec.x.name} at p_L = ${m.spec.pol[0]}, p_R = ${m.spec.pol[1]}; red > 0, blue < 0 on a scale symmetric about 0 (±${a.toPrecision(3)}). Data: ${id}.csv, ${id}.npy (rows ${m.spec.y.name}).`,
      });
      mapsJson.push({
        id, quantity: m.spec.quantity, method: m.method, pL: m.spec.pol[0], pR: m.spec.pol[1], fixed: m.spec.fixed,
        x: { name: m.spec.x.name, from: m.spec.x.from, to: m.spec.x.to, points: nx }, y: { name: m.spec.y.name, from: m.spec.y.from, to: m.spec.y.to, points: ny },
        seconds: m.result.seconds, backend: m.result.backend,
        ...(m.result.grid ? { grid: m.result.grid, convergence: m.result.convergence } : {}),
        files: { svg: `${id}.svg`, csv: `${id}.csv`, npy: `${id}.npy (shape [${ny}, ${nx}], rows ${m.spec.y.name})` },
      });
    }
    const keldyshRuns = r.runs.map(k => ({
      sweep: k.sweep.id, pL: k.pol[0], pR: k.pol[1], points: k.axis.values.length, backend: k.keldysh.backend, seconds: k.keldysh.seconds,
      grid: k.keldysh.grid, convergence: k.keldysh.convergence, imaginaryResidual: k.keldysh.imaginaryResidual, evaluations: k.keldysh.evaluations,
      closedSeconds: k.closed.seconds,
    }));
    const tolKey = `keldysh_${r.backend}` as keyof typeof EXCHANGE_TOLERANCES;
    const manifest = {
            params: {
        paper: { ...PAPER_PARAMETERS, note: 'ε0 = 0, T_c = 3Γ = J_1 = J_2 = 1 meV (Γ^L = Γ^R = 1/6 meV), T_L = 1 K; μ_L,R = μ ± V/2, T_R = T_L + ΔT' },
        polarizations: pols, polarizationNote: POLARIZATION_NOTE,
        sweeps: (r.options.sweeps ?? FIGURE_SWEEP_IDS).map(id => {
          const s = FIGURE_SWEEPS[id];
          return { id, axis: s.axis, from: s.from, to: s.to, points: r.options.points, fixed: s.fixed, description: s.description, panels: FIGURE_PANELS.filter(p => p.sweep === id).map(p => p.id) };
        }),
        keldysh: { grid: { window: r.options.grid.window ?? DEFAULT_WINDOW, stepDivisor: r.options.grid.stepDivisor ?? DEFAULT_STEP_DIVISOR, ...(r.options.grid.step ? { step: r.options.grid.step } : {}) }, convergence: r.options.convergence },
        maps: r.options.maps,
      },
      backend: r.backend, adapter: r.adapter, timings: r.seconds,
      tolerances: { [tolKey]: EXCHANGE_TOLERANCES[tolKey], closed: EXCHANGE_TOLERANCES.closed },
      extra: {
        panels: panelsJson, maps: mapsJson, keldyshRuns,
        ...sweepExtra(target, r.sweep), convergenceProbe: PROBE_NOTE,
        npyLayout: `figN?.npy: float64 [sets, ${PANEL_NPY_QUANTITIES.length}, points], sets in the order of params.polarizations (polarizations.npy), quantities ${PANEL_NPY_QUANTITIES.join(', ')}; closed = the printed equation, keldysh = its Keldysh counterpart (see panels.*.closed/keldysh); figN?_<axis>.npy the x values`,
        units: { energies: 'meV', mu: 'meV', V: 'mV', dT: 'K' },
        conventions: [
          'E = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz(S1×S2)_z, counted once: Czz > 0 favours parallel spins.',
          'Eq. 7 = Czz and Eq. 8 = 2(Czz − Cxx) exactly for p_L = p_R; Eq. 9 ≈ 8κ with κ = DzNonreciprocal (fields B1 ⊃ κ S2×ẑ, B2 ⊃ κ S1×ẑ), equal when the exact resonance denominators are replaced by the printed ones.',
          'For p_L ≠ p_R the closed forms use Γ^χ_σ = Γ_σ/2, which then fails: their difference from Keldysh is what they miss, not a numerical error.',
          'The paper calls negative J ferromagnetic; by the energetics, Eq. 7 < 0 favours antiparallel spins.',
          'The paper offsets the curves of panels (a) and (b) for clarity; these figures do not.',
        ],
      },
    };
    const summaryRows: Record<string, string | number> = {
      backend: r.backend, adapter: r.adapter, 'points per sweep': r.options.points,
      'keldysh window (meV)': r.options.grid.window ?? DEFAULT_WINDOW, 'keldysh step divisor': r.options.grid.stepDivisor ?? DEFAULT_STEP_DIVISOR,
      '(p_L, p_R) sets': polList.map(polLabel).join(' '),
      'time keldysh (s)': r.seconds.keldysh, 'time closed (s)': r.seconds.closed, 'time maps (s)': r.seconds.maps, 'time total (s)': r.seconds.total,
    };
    for (const p of r.panels) summaryRows[`${p.spec.id}: max |Keldysh − closed|, p_L = p_R (rel.)`] = p.agreement.relative === null ? 'n/a' : `${round(p.agreement.relative)} (${round(p.agreement.maxAbsDiff)} meV)`;
    summaryRows.note = POLARIZATION_NOTE;
    const report = {
      title: 'nanospin figures junction: seed 000, Figs. 2–4 and maps',
      summary: summaryRows, figures
    };
    return { manifest, report };
  });
}
