// Coupling maps of the seed-001 SOC dimer (Leiva, Díaz, Núñez): exchange, DMI, anisotropies, Gilbert damping
// and noise correlations (Eq. A24 with the index mapping under it) over 0D / 1D / 2D grids of μ_F, V, T and t,
// on the webgpu kernel (shaders/socDimer/couplings.wgsl, float32) or its float64 CPU twin; the run directory
// (CSV, .npy, diverging heatmaps with the energy-injection regions hatched) and the JSON summary.
import * as d3 from 'd3';
import type { Backend } from '../backends/index.ts';
import { socDimer, type SocDimerParams } from '../models/socDimer/params.ts';
import { COUPLING_STRIDE, defaultRule, paperCouplings, unpackCouplings, type CouplingRule, type PaperCouplings } from '../models/socDimer/couplings.ts';
import { socCouplingsKernel } from '../kernels/socCouplings/index.ts';
import { gridCoordinates, gridPoints, gridShape as axesShape, type SweepAxis } from '../sweeps/params.ts';
import { withRunDir, writePointsJson, type OutputTarget } from './output.ts';
import { DIVERGING, heatmap, lineChart } from '../plots/svg.ts';
import { openSync, writeSync, closeSync } from 'node:fs';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';

// ---- quantities ----------------------------------------------------------------------------------

export const SOC_QUANTITIES = ['J1', 'J2', 'D1', 'D2', 'A1', 'A2', 'K1', 'K2', 'alphaI', 'alphaAn', 'jI', 'jAn'] as const;
export type SocQuantity = typeof SOC_QUANTITIES[number];

export interface QuantityInfo { symbol: string; unit: 'meV⁻¹' | 'meV⁻²'; description: string }
export const QUANTITY_INFO: Record<SocQuantity, QuantityInfo> = {
  J1: { symbol: 'J_1', unit: 'meV⁻¹', description: 'isotropic exchange: field Δ²S² J_1 m_2 on spin 1' },
  J2: { symbol: 'J_2', unit: 'meV⁻¹', description: 'isotropic exchange: field Δ²S² J_2 m_1 on spin 2 (> 0 favours parallel spins)' },
  D1: { symbol: 'D_1', unit: 'meV⁻¹', description: 'DMI: field Δ²S² D_1 m_2 × t̂ on spin 1' },
  D2: { symbol: 'D_2', unit: 'meV⁻¹', description: 'DMI: field Δ²S² D_2 m_1 × t̂ on spin 2 (odd in V)' },
  A1: { symbol: 'A_1', unit: 'meV⁻¹', description: 'anisotropic Ising exchange: field Δ²S² A_1 (m_2·t̂) t̂ on spin 1' },
  A2: { symbol: 'A_2', unit: 'meV⁻¹', description: 'anisotropic Ising exchange: field Δ²S² A_2 (m_1·t̂) t̂ on spin 2' },
  K1: { symbol: 'K_1', unit: 'meV⁻¹', description: 'local anisotropy: field Δ²S² K_1 (m_1·t̂) t̂ on spin 1' },
  K2: { symbol: 'K_2', unit: 'meV⁻¹', description: 'local anisotropy: field Δ²S² K_2 (m_2·t̂) t̂ on spin 2' },
  alphaI: { symbol: 'α^(i)_22', unit: 'meV⁻²', description: 'isotropic Gilbert damping of spin 2: field −ħΔ²S² α^(i)_22 dm_2/dt' },
  alphaAn: { symbol: 'α^(an)_22', unit: 'meV⁻²', description: 'anisotropic Gilbert damping of spin 2: field −ħΔ²S² α^(an)_22 t̂ (t̂·dm_2/dt)' },
  jI: { symbol: 'j^(i)_22', unit: 'meV⁻¹', description: 'isotropic noise correlation of spin 2: ⟨η_2 η_2⟩ ⊃ ħΔ²S² j^(i)_22 1 δ(t − t′)' },
  jAn: { symbol: 'j^(an)_22', unit: 'meV⁻¹', description: 'anisotropic noise correlation of spin 2: ⟨η_2 η_2⟩ ⊃ ħΔ²S² j^(an)_22 t̂t̂ δ(t − t′)' },
};

/** Where each named quantity sits in the kernel's 30-float layout (derived from the model's own mapping). */
export const QUANTITY_OFFSET: Record<SocQuantity, number> = (() => {
  const probe = Float64Array.from({ length: COUPLING_STRIDE }, (_, k) => k);
  return paperCouplings(unpackCouplings(probe)) as unknown as Record<SocQuantity, number>;
})();
/** ⟨s_a⟩·t̂ of the kernel layout. */
export const SPIN_OFFSET = [28, 29] as const;

export const NORMALISATION =
  'paper normalisation: Eq. (A24) with the index mapping under it, per Δ² and per S². J, D, A, K in meV⁻¹: ' +
  'the field on spin 2 is H_2 ⊃ Δ²S²(J_2 m_1 + D_2 m_1 × t̂ + A_2 (m_1·t̂) t̂ + K_2 (m_2·t̂) t̂) (Eq. 4; 1 ↔ 2 for spin 1). ' +
  'α^(i)_22, α^(an)_22 in meV⁻²: damping field −ħΔ²S² (α^(i)_22 1 + α^(an)_22 t̂t̂)·dm_2/dt. ' +
  'j^(i)_22, j^(an)_22 in meV⁻¹: noise ⟨η_2(t) η_2(t′)⟩ = ħΔ²S² (j^(i)_22 1 + j^(an)_22 t̂t̂) δ(t − t′). ' +
  'Energies meV, Δ the s-d coupling in meV, S the spin length, ħ = 0.6582119569 meV·ps.';

export const ENERGY_INJECTION =
  'energyInjection: α^(i)_22 < 0 or α^(i)_22 + α^(an)_22 < 0, i.e. the damping tensor α^(i)_22 1 + α^(an)_22 t̂t̂ of spin 2 has a negative eigenvalue: the electrons pump energy into the spin';

export const RAW_LAYOUT =
  `${COUPLING_STRIDE} float64 per point (kernel layout of shaders/socDimer/couplings.wgsl): pairs ab in the order 11, 12, 21, 22 (k = 0..3); ` +
  '[3k + 0, 1, 2] = χ_ab iso, an (t̂t̂), dm (ε t̂) (meV⁻¹), [12 + 2k + 0, 1] = Im ∂χ_ab damping iso, an (meV⁻²), ' +
  '[20 + 2k + 0, 1] = noise j_ab iso, an (meV⁻¹), [28, 29] = ⟨s_1⟩·t̂, ⟨s_2⟩·t̂. ' +
  `Named: ${SOC_QUANTITIES.map(q => `${q} = [${QUANTITY_OFFSET[q]}]`).join(', ')}`;

export const SOC_TOLERANCES = {
  cpu: 'float64; the Matsubara + bias-window split equals the un-split real-axis integrals of Eq. A24 within 1e-6 of the largest entry (test/socDimer.couplings.test.ts)',
  webgpu: 'float32; against the float64 CPU twin, relative to each quantity’s largest |value| over μ_F ∈ [−6, 6] meV × V ∈ [−10, 10] mV (61 × 61 points), measured: ' +
    'J 1.9e-5, D, α, j ≤ 2.2e-6; the t̂t̂ parts A, K 2.4e-5 (t = 1 meV) and 4.8e-5 (t = 0.1 meV, where they are ~1 % of J and their Matsubara integrand changes sign, ' +
    'so float32 rounding of the integrand is amplified); asserted: 2e-5 (J, D, α, j), 1e-4 (A, K) in test/cli.socDimer.test.ts and test/socDimer.couplings.test.ts. ' +
    'Use --backend cpu when A, K at weak SOC are needed beyond that',
};

export function energyInjection(alphaI: number, alphaAn: number): boolean {
  return alphaI < 0 || alphaI + alphaAn < 0;
}

// ---- the job -------------------------------------------------------------------------------------

/** Sweepable names: μ_F (meV), V (mV), T = T_L (K; T_R = T + ΔT), t (SOC hopping, meV). */
export const SOC_SWEEP_NAMES = ['muF', 'V', 'T', 't'] as const;
export type SocSweepName = typeof SOC_SWEEP_NAMES[number];
export const SOC_SWEEP_UNITS: Record<SocSweepName, string> = { muF: 'meV', V: 'mV', T: 'K', t: 'meV' };
export const SOC_SWEEP_LABELS: Record<SocSweepName, string> = {
  muF: 'Fermi level μ_F (meV)', V: 'bias V (mV)', T: 'temperature T_L (K)', t: 'SOC hopping t (meV)',
};

/** Most points one run takes (2^22). */
export const MAX_SOC_POINTS = 4_194_304;

export interface SocMapJob {
  /** Everything but the swept names (μ_F, V, T_L and t of `base` are the non-swept values). */
  base: SocDimerParams;
  /** 0, 1 or 2 axes; points are the cartesian product, first axis slowest. */
  axes: SweepAxis[];
  /** Quadrature rule (default: defaultRule(base); it depends on t_e, t_L, t_R only). */
  rule?: CouplingRule;
}

export const gridShape = (job: SocMapJob): number[] => axesShape(job.axes);
export const pointCount = (job: SocMapJob): number => gridPoints(job.axes);
/** Swept values of point i (first axis slowest). */
export const pointCoordinates = (job: SocMapJob, i: number): Partial<Record<SocSweepName, number>> => gridCoordinates(job.axes, i);

/** The model parameters of point i. */
export function pointParams(job: SocMapJob, i: number): SocDimerParams {
  const c = pointCoordinates(job, i), b = job.base;
  return socDimer({ ...b, muF: c.muF ?? b.muF, V: c.V ?? b.V, TL: c.T ?? b.TL, t: c.t ?? b.t });
}

export interface SocMapResult {
  job: SocMapJob;
  rule: CouplingRule;
  backend: 'webgpu' | 'cpu';
  adapter: string;
  /** pointCount × COUPLING_STRIDE, kernel layout (RAW_LAYOUT). */
  raw: Float64Array;
  count: number;
  seconds: number;
  pointsPerSecond: number;
  /** Chunks resumed and shards merged (a CLI run; absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** Points per kernel call: bounds the host memory of the parameter objects on huge maps. */
const CHUNK = 65_536;

/** The couplings of points [first, first + count) (count × COUPLING_STRIDE, kernel layout), in kernel calls of ≤ CHUNK points. */
async function socMapRange(backend: Backend, job: SocMapJob, rule: CouplingRule, first0: number, count0: number, progress?: (fraction: number) => void): Promise<Float64Array> {
  const raw = new Float64Array(count0 * COUPLING_STRIDE);
  for (let first = first0; first < first0 + count0; first += CHUNK) {
    const count = Math.min(CHUNK, first0 + count0 - first);
    // the device kernel shares t (and the hoppings) across one call: group the chunk by t
    const groups = new Map<number, number[]>();
    const pts: SocDimerParams[] = [];
    for (let i = 0; i < count; i++) {
      const p = pointParams(job, first + i);
      pts.push(p);
      let g = groups.get(p.t);
      if (!g) groups.set(p.t, g = []);
      g.push(i);
    }
    let doneInChunk = 0;
    for (const idx of groups.values()) {
      const sub = idx.map(i => pts[i]);
      const report = (done: number) => progress?.((first - first0 + doneInChunk + done) / count0);
      const out = await backend.run(socCouplingsKernel, sub, rule, report);
      idx.forEach((i, k) => raw.set(out.subarray(k * COUPLING_STRIDE, (k + 1) * COUPLING_STRIDE), (first - first0 + i) * COUPLING_STRIDE));
      doneInChunk += idx.length;
    }
  }
  return raw;
}

function checkMapSize(job: SocMapJob): number {
  const n = pointCount(job);
  if (n > MAX_SOC_POINTS) throw new RangeError(`--sweep: ${n} points is more than the ${MAX_SOC_POINTS} one run takes; split the grid`);
  return n;
}

/** Evaluate the couplings at every grid point on `backend`; progress(fraction) as chunks finish. */
export async function runSocMap(backend: Backend, job: SocMapJob, progress?: (fraction: number) => void): Promise<SocMapResult> {
  const n = checkMapSize(job);
  const rule = job.rule ?? defaultRule(job.base);
  const t0 = performance.now();
  const raw = await socMapRange(backend, job, rule, 0, n, progress);
  const seconds = (performance.now() - t0) / 1000;
  return { job, rule, backend: backend.name, adapter: backend.adapter, raw, count: n, seconds, pointsPerSecond: n / seconds };
}

/** Per-point arrays of a coupling map: the 30 floats of the kernel layout, and the per-point seconds (spreadSeconds). */
export const SOC_MAP_WIDTHS = { raw: COUPLING_STRIDE, seconds: 1 } as const;

/** The map as a resumable, shardable sweep: every point's couplings depend on the point alone. */
export function socMapPlan(backend: Backend, job: SocMapJob, identity: SweepPlan['identity']): SweepPlan {
  const n = checkMapSize(job), rule = job.rule ?? defaultRule(job.base);
  return {
    identity, points: n, widths: SOC_MAP_WIDTHS,
    // ≤ 32 saved chunks, each ≤ one kernel call (CHUNK points)
    chunkPoints: Math.max(1, Math.min(CHUNK, Math.ceil(n / 32))),
    async compute(first, count, progress) {
      const t0 = performance.now();
      const raw = await socMapRange(backend, job, rule, first, count, progress);
      return { raw, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
    },
  };
}

/** The map from the whole sweep's arrays (seconds summed over every chunk). */
export function socMapFromArrays(job: SocMapJob, d: ChunkData, info: SweepInfo): SocMapResult {
  const n = pointCount(job), [seconds] = sumSeconds(d.seconds, 1);
  return {
    job, rule: job.rule ?? defaultRule(job.base), backend: info.backend as SocMapResult['backend'], adapter: info.adapter, raw: d.raw, count: n,
    seconds, pointsPerSecond: n / seconds, sweep: sweepRecord(info),
  };
}

/** One named quantity over the map (length = points). */
export function quantityColumn(r: { raw: Float64Array; count: number }, q: SocQuantity): Float64Array {
  const o = QUANTITY_OFFSET[q], out = new Float64Array(r.count);
  for (let i = 0; i < r.count; i++) out[i] = r.raw[i * COUPLING_STRIDE + o];
  return out;
}

export function injectionColumn(r: { raw: Float64Array; count: number }): Uint8Array {
  const out = new Uint8Array(r.count), oi = QUANTITY_OFFSET.alphaI, oa = QUANTITY_OFFSET.alphaAn;
  for (let i = 0; i < r.count; i++) out[i] = energyInjection(r.raw[i * COUPLING_STRIDE + oi], r.raw[i * COUPLING_STRIDE + oa]) ? 1 : 0;
  return out;
}

/** The paper's quantities at point i (as paperCouplings would give them). */
export function pointCouplings(r: { raw: Float64Array }, i: number): PaperCouplings {
  return paperCouplings(unpackCouplings(r.raw, i * COUPLING_STRIDE));
}

// ---- JSON summary --------------------------------------------------------------------------------

export function socPointJson(r: SocMapResult, i: number): Record<string, number | boolean> {
  const c = pointCoordinates(r.job, i), b = r.job.base;
  const o: Record<string, number | boolean> = { muF: c.muF ?? b.muF, V: c.V ?? b.V };
  if (c.T !== undefined) o.T = c.T;
  if (c.t !== undefined) o.t = c.t;
  const q = pointCouplings(r, i);
  for (const k of SOC_QUANTITIES) o[k] = q[k];
  o.energyInjection = energyInjection(q.alphaI, q.alphaAn);
  return o;
}

export function socMapSummaryHead(r: SocMapResult) {
  const inj = injectionColumn(r);
  let count = 0;
  for (const x of inj) count += x;
  const maxAbs: Record<string, number> = {};
  for (const q of SOC_QUANTITIES) maxAbs[q] = maxAbsFinite(quantityColumn(r, q));
  return {
    backend: r.backend, adapter: r.adapter, count: r.count, seconds: r.seconds, pointsPerSecond: r.pointsPerSecond,
    normalisation: NORMALISATION,
    units: { muF: 'meV', V: 'mV', T: 'K', t: 'meV', J: 'meV⁻¹', D: 'meV⁻¹', A: 'meV⁻¹', K: 'meV⁻¹', alpha: 'meV⁻²', j: 'meV⁻¹' },
    energyInjectionPoints: count,
    maxAbs,
  };
}

/**
 * Write the summary as one JSON object, its `points` last and streamed in chunks, so a map of millions of
 * points never has to exist as one string.
 */
export function writeSocMapJson(write: (s: string) => void, r: SocMapResult, extra: Record<string, unknown> = {}): void {
  writePointsJson(write, { ...socMapSummaryHead(r), ...extra }, r.count, i => socPointJson(r, i));
}

// ---- figures -------------------------------------------------------------------------------------

function maxAbsFinite(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Diverging colour scale: red > 0, blue < 0, white at 0, symmetric domain. */

/** Most heatmap cells drawn: bigger maps are drawn at every s-th point (the .npy keep everything). */
export const MAX_HEATMAP_CELLS = 250_000;

let hatchId = 0;
/**
 * Hatch the cells where mask = 1 on top of a heatmap from src/plots/svg.ts (whose cells are emitted row by row,
 * iy * nx + ix, as <rect class="cell" x y width height>): runs of masked cells in a row become one hatched
 * rectangle. Returns the SVG unchanged (hatched: false) if the cells cannot be found.
 */
export function hatchCells(svg: string, nx: number, ny: number, mask: ArrayLike<number>): { svg: string; hatched: boolean } {
  const open = svg.indexOf('<g class="cells"'), close = open < 0 ? -1 : svg.indexOf('</g>', open);
  if (open < 0 || close < 0) return { svg, hatched: false };
  const re = /<rect class="cell" x="([-\d.e]+)" y="([-\d.e]+)" width="([-\d.e]+)" height="([-\d.e]+)"/g;
  const cells: number[][] = [];
  for (const m of svg.slice(open, close).matchAll(re)) cells.push([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  if (cells.length !== nx * ny) return { svg, hatched: false };
  const id = `inj-hatch-${++hatchId}`;
  const rects: string[] = [];
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      if (!mask[iy * nx + ix]) continue;
      const start = ix;
      while (ix + 1 < nx && mask[iy * nx + ix + 1]) ix++;
      const a = cells[iy * nx + start], b = cells[iy * nx + ix];
      const x0 = Math.min(a[0], b[0]), x1 = Math.max(a[0] + a[2], b[0] + b[2]);
      rects.push(`<rect x="${x0}" y="${a[1]}" width="${Math.round((x1 - x0) * 100) / 100}" height="${a[3]}" fill="url(#${id})"/>`);
    }
  }
  const overlay = `<g class="energy-injection"><defs><pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
    `<line x1="0" y1="0" x2="0" y2="6" stroke="#111" stroke-width="1.3" stroke-opacity="0.6"/></pattern></defs>` +
    `<title>hatched: energy injection (negative eigenvalue of the damping tensor of spin 2)</title>${rects.join('')}</g>`;
  const at = close + 4;
  return { svg: svg.slice(0, at) + '\n' + overlay + svg.slice(at), hatched: true };
}

export interface MapPlane {
  x: Float64Array; y: Float64Array; xName: SocSweepName; yName: SocSweepName;
  /** Row-major [ny][nx] gather indices into the point list. */
  index: Int32Array;
}

/**
 * The heatmap plane of a 2D job: μ_F horizontal if swept, else V, else t; the other axis vertical.
 * `index[iy * nx + ix]` is the point's position in the job's order (first axis slowest).
 */
export function mapPlane(job: SocMapJob): MapPlane {
  if (job.axes.length !== 2) throw new RangeError('mapPlane needs a 2D job');
  const order: SocSweepName[] = ['muF', 'V', 't', 'T'];
  const names = job.axes.map(a => a.name as SocSweepName);
  const xk = names.indexOf(order.find(n => names.includes(n))!), yk = 1 - xk;
  const x = job.axes[xk].values, y = job.axes[yk].values, n1 = job.axes[1].values.length;
  const index = new Int32Array(x.length * y.length);
  for (let iy = 0; iy < y.length; iy++) for (let ix = 0; ix < x.length; ix++) {
    const a0 = xk === 0 ? ix : iy, a1 = xk === 0 ? iy : ix;
    index[iy * x.length + ix] = a0 * n1 + a1;
  }
  return { x, y, xName: names[xk], yName: names[yk], index };
}

export interface HeatmapPanel { title: string; svg: string; hatched: boolean; stride: number }

/**
 * One diverging heatmap of `values` (point order `plane.index`), with the energy-injection cells hatched when
 * `injection` is given; maps over MAX_HEATMAP_CELLS are drawn at every s-th point.
 */
export function socHeatmap(plane: MapPlane, values: ArrayLike<number>, opts: { title: string; colorLabel: string; injection?: ArrayLike<number>; width?: number; height?: number; domain?: [number, number]; interpolator?: (t: number) => string }): HeatmapPanel {
  const nx0 = plane.x.length, ny0 = plane.y.length;
  const stride = Math.max(1, Math.ceil(Math.sqrt((nx0 * ny0) / MAX_HEATMAP_CELLS)));
  const xi = d3.range(0, nx0, stride), yi = d3.range(0, ny0, stride);
  const nx = xi.length, ny = yi.length;
  const v = new Float64Array(nx * ny), mask = new Uint8Array(nx * ny);
  for (let a = 0; a < ny; a++) for (let b = 0; b < nx; b++) {
    const p = plane.index[yi[a] * nx0 + xi[b]];
    v[a * nx + b] = values[p];
    if (opts.injection) mask[a * nx + b] = opts.injection[p];
  }
  const m = Math.max(1e-300, maxAbsFinite(v));
  const title = opts.title + (stride > 1 ? ` [every ${stride}th point drawn]` : '');
  let svg = heatmap({
    title, xLabel: SOC_SWEEP_LABELS[plane.xName], yLabel: SOC_SWEEP_LABELS[plane.yName],
    x: Float64Array.from(xi, i => plane.x[i]), y: Float64Array.from(yi, i => plane.y[i]), values: v,
    colorLabel: opts.colorLabel, domain: opts.domain ?? [-m, m], interpolator: opts.interpolator ?? DIVERGING,
    width: opts.width ?? 760, height: opts.height ?? 560,
  });
  let hatched = false;
  if (opts.injection && mask.some(x => x)) ({ svg, hatched } = hatchCells(svg, nx, ny, mask));
  return { title, svg, hatched, stride };
}

export const quantityTitle = (q: SocQuantity): string => `${QUANTITY_INFO[q].symbol} (${QUANTITY_INFO[q].unit})`;

// ---- run directory -------------------------------------------------------------------------------

/** CSV written in row chunks (a 4M-point map does not fit one string). */
function writeCsvChunked(path: string, columns: Record<string, ArrayLike<number>>): void {
  const names = Object.keys(columns), cols = names.map(k => columns[k]), n = cols[0]?.length ?? 0;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, names.join(',') + '\n');
    const per = 8192;
    for (let first = 0; first < n; first += per) {
      const lines: string[] = [];
      for (let i = first; i < Math.min(n, first + per); i++) lines.push(cols.map(c => String(c[i])).join(','));
      writeSync(fd, lines.join('\n') + '\n');
    }
  } finally { closeSync(fd); }
}

export function socMapParamsJson(job: SocMapJob, rule: CouplingRule) {
  const b = job.base;
  return {
    model: 'seed-001 SOC dimer: two sites (ε0, hopping t0 + t t̂·τ) between semi-infinite chains (hopping t_e) attached by t_L (site 1) and t_R (site 2)',
    base: { te: b.te, tL: b.tL, tR: b.tR, t0: b.t0, t: b.t, tHat: b.tHat, eps0: b.eps0, muF: b.muF, V: b.V, T: b.TL, dT: b.dT, bandsFollowBias: b.bandShift },
    conventions: 'μ_L,R = μ_F ± V/2; T_L = T, T_R = T + ΔT; bandsFollowBias: each lead band is centred at μ_χ − μ_F (--fixed-bands: at 0)',
    sweeps: job.axes.map(a => ({ name: a.name, unit: SOC_SWEEP_UNITS[a.name as SocSweepName], from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length })),
    rule,
  };
}

export function writeSocCouplingsRun(target: OutputTarget, r: SocMapResult): Promise<string> {
  return withRunDir(target, async dir => {
    const job = r.job, shape = gridShape(job), n = r.count;
    const cols: Record<string, ArrayLike<number>> = {};
    for (const name of SOC_SWEEP_NAMES) {
      const key = name === 'T' ? 'TL' : name;
      cols[name] = Float64Array.from({ length: n }, (_, i) => pointCoordinates(job, i)[name] ?? (job.base[key as keyof SocDimerParams] as number));
    }
    const q: Record<string, Float64Array> = {};
    for (const k of SOC_QUANTITIES) cols[k] = q[k] = quantityColumn(r, k);
    const inj = injectionColumn(r);
    cols.energyInjection = inj;
    cols.s1 = Float64Array.from({ length: n }, (_, i) => r.raw[i * COUPLING_STRIDE + SPIN_OFFSET[0]]);
    cols.s2 = Float64Array.from({ length: n }, (_, i) => r.raw[i * COUPLING_STRIDE + SPIN_OFFSET[1]]);
    writeCsvChunked(dir.path('couplings.csv'), cols);
    dir.writeNpy('couplings.npy', r.raw, [n, COUPLING_STRIDE]);
    const paper = new Float64Array(n * SOC_QUANTITIES.length);
    SOC_QUANTITIES.forEach((k, j) => { for (let i = 0; i < n; i++) paper[i * SOC_QUANTITIES.length + j] = q[k][i]; });
    dir.writeNpy('paper_couplings.npy', paper, [...shape, SOC_QUANTITIES.length]);
    dir.writeNpy('energy_injection.npy', inj, shape);
    for (const a of job.axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);

    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    const svgNotes: Record<string, unknown> = {};
    if (job.axes.length === 2) {
      const plane = mapPlane(job);
      for (const k of SOC_QUANTITIES) {
        const damping = k === 'alphaI' || k === 'alphaAn';
        const h = socHeatmap(plane, q[k], {
          title: `${quantityTitle(k)}${damping ? '; hatched: energy injection' : ''}`, colorLabel: quantityTitle(k), injection: damping ? inj : undefined,
        });
        dir.writeText(`${k}.svg`, h.svg);
        figures.push({
          title: `${QUANTITY_INFO[k].symbol}: ${QUANTITY_INFO[k].description}`, svgFile: `${k}.svg`,
          caption: `${quantityTitle(k)} over the (μ_F, V) plane; red > 0, blue < 0 on a scale symmetric about 0${h.hatched ? '; hatched cells are points where the bias injects energy (α^(i)_22 < 0 or α^(i)_22 + α^(an)_22 < 0)' : ''}${h.stride > 1 ? `; drawn every ${h.stride}th point per axis (all points in the .npy)` : ''}. Values in paper_couplings.npy and couplings.csv.`,
        });
        svgNotes[k] = { file: `${k}.svg`, hatchedEnergyInjection: h.hatched, stride: h.stride };
      }
      const e = socHeatmap(plane, inj, {
        title: 'energy injection (1: α^(i)_22 < 0 or α^(i)_22 + α^(an)_22 < 0)', colorLabel: 'energy injection',
        domain: [0, 1], interpolator: t => d3.interpolateGreys(0.1 + 0.75 * t),
      });
      dir.writeText('energy-injection.svg', e.svg);
      figures.push({ title: ENERGY_INJECTION, svgFile: 'energy-injection.svg', caption: 'Dark cells: the damping of the free spin is negative (α^(i)_22 < 0 or α^(i)_22 + α^(an)_22 < 0), so the bias pumps energy into it and a Langevin run there has no thermal steady state. Values in energy_injection.npy.' });
    } else if (job.axes.length === 1) {
      const a = job.axes[0];
      for (const k of SOC_QUANTITIES) {
        const series = [{ name: QUANTITY_INFO[k].symbol, x: a.values, y: q[k] }];
        if (k === 'alphaI') series.push({ name: 'α^(i)_22 + α^(an)_22', x: a.values, y: q[k].map((v, i) => v + q.alphaAn[i]) });
        dir.writeText(`${k}.svg`, lineChart({
          title: `${quantityTitle(k)}${k === 'alphaI' ? '; < 0: energy injection' : ''}`, xLabel: SOC_SWEEP_LABELS[a.name as SocSweepName], yLabel: quantityTitle(k), series,
        }));
        figures.push({
          title: `${QUANTITY_INFO[k].symbol}: ${QUANTITY_INFO[k].description}`, svgFile: `${k}.svg`,
          caption: `${quantityTitle(k)} along ${a.name}${k === 'alphaI' ? '; where α^(i)_22 + α^(an)_22 (second line) is < 0 the bias injects energy' : ''}. Values in paper_couplings.npy and couplings.csv.`,
        });
      }
    }
    const head = socMapSummaryHead(r);
    const manifest = {
      params: socMapParamsJson(job, r.rule), backend: r.backend, adapter: r.adapter,
      timings: { seconds: r.seconds, pointsPerSecond: r.pointsPerSecond },
      tolerances: { [r.backend]: SOC_TOLERANCES[r.backend] },
      extra: {
        normalisation: NORMALISATION, energyInjection: ENERGY_INJECTION, energyInjectionPoints: head.energyInjectionPoints, maxAbs: head.maxAbs,
        quantities: Object.fromEntries(SOC_QUANTITIES.map(k => [k, { ...QUANTITY_INFO[k], rawIndex: QUANTITY_OFFSET[k] }])),
        pointOrder: `cartesian product of the --sweep axes in the order given, first axis slowest (${job.axes.map(a => `${a.name}[${a.values.length}]`).join(' × ') || 'one point'})`,
        files: {
          'couplings.csv': 'one row per point: muF (meV), V (mV), T (K), t (meV), the 12 named quantities, energyInjection (1/0), s1, s2 = ⟨s_a⟩·t̂',
          'couplings.npy': `float64 [${n}, ${COUPLING_STRIDE}], points in pointOrder; ${RAW_LAYOUT}`,
          'paper_couplings.npy': `float64 [${[...shape, SOC_QUANTITIES.length].join(', ')}]: grid axes (first --sweep first), then ${SOC_QUANTITIES.join(', ')}`,
          'energy_injection.npy': `uint8 [${shape.join(', ')}]: 1 where ${ENERGY_INJECTION}`,
          ...Object.fromEntries(job.axes.map(a => [`axis_${a.name}.npy`, `float64 [${a.values.length}]: ${SOC_SWEEP_LABELS[a.name as SocSweepName]}`])),
        },
        svg: job.axes.length === 2 ? { ...svgNotes, layout: 'μ_F horizontal when swept (else V, t), the other axis vertical; diverging colour scale symmetric about 0 (red > 0, blue < 0)' } : undefined,
        ...sweepExtra(target, r.sweep),
      },
    };
    const report = {
      title: `nanospin couplings soc-dimer: ${n} points`,
      summary: {
        backend: r.backend, adapter: r.adapter, points: n, 'time (s)': r.seconds, 'points/s': r.pointsPerSecond,
        'energy-injection points': head.energyInjectionPoints, normalisation: NORMALISATION,
      },
      figures,
    };
    return { manifest, report };
  });
}
