// Torque maps and θ-cuts of the quantum-dot spin valve (seed 004, Fig. 4 and the Fig. 3 current readout):
// I_FL, I_DL (Eq. 2), the charge current I_C = J_D and the dot occupation over (ε̃, V) grids at given drain angles,
// on the webgpu torque-table kernel (float32) or its float64 twin; the resonance lines of Eq. 4 (b_S = b_D) and its
// partner (b_S = −b_D) overlaid; the LLG torque tables (u = cos θ grid, the core's convention) per point; the run
// directory (CSV, .npy, SVG, report) and the JSON summary. Every energy is in units of Γ (the model is dimensionless).
import type { Backend } from '../backends/index.ts';
import { torqueTableKernel, thetaAngles, uGridAngles, ROW } from '../kernels/dotValve/index.ts';
import { LIMIT_SIN } from '../kernels/dotValve/webgpu.ts';
import { exchangeFields, resonanceLine, resonanceFunction, type ResonancePoint } from '../models/dotValve/resonance.ts';
import { gridNodes, type TableGrid } from '../models/dotValve/torqueTable.ts';
import type { DotValveParams } from '../models/dotValve/params.ts';
import { gridCoordinates, gridPoints, type SweepAxis } from '../sweeps/params.ts';
import { linspace } from '../sweeps/grid.ts';
import { DIVERGING, heatmap, lineChart, type HeatmapLine } from '../plots/svg.ts';
import { zeroLine } from '../plots/contours.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { withRunDir, writePointsJson, type OutputTarget } from './output.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';

export const DV_SWEEP_NAMES = ['eps', 'V'] as const;
export type DvSweepName = typeof DV_SWEEP_NAMES[number];

/** Most (point × angle) rows one run takes. */
export const MAX_DV_ROWS = 2 ** 24;

export const DV_CONVENTIONS = {
  units: 'dimensionless: every energy (eps = ε̃, V, U, T, Γ_S, Γ_D, b_S, b_D) in units of Γ := ½(Γ_S + Γ_D) by default (the paper\'s unit; ' +
    'Γ_S = 2/3, Γ_D = 4/3 for Γ_D = 2Γ_S); ħ = k_B = e = 1: rates, currents (e/ħ·Γ) and torques (Γ) in Γ, time in ħ/Γ; theta in rad (thetaOverPi = θ/π)',
  geometry: 'n_S = e_z (fixed source), n_D = (sin θ, 0, cos θ) (drain), μ_S = +V/2, μ_D = −V/2, ε̃ = ε + U/2',
  tauFL: 'I_FL of Eq. 2: τ_D = (n_D × e_z) I_FL + n_D × (n_D × e_z) I_DL, τ_D = transverse spin current INTO the drain (paper Eq. 1, spin direction n); I_FL > 0 acts like a field along +n_S (favours parallel)',
  tauDL: 'I_DL of Eq. 2; I_DL > 0 rotates n_D away from n_S; at θ = 0, π both are the exact limits θ → 0, π',
  current: 'I_C = J_D, particle current into the drain (> 0 for V > 0: electrons flow S → D)',
  occupation: '⟨n⟩ = P1 + 2P2',
  spin: 'dot spin ⟨Ŝ⟩ (|S| ≤ P1/2), same frame',
  resonance: 'eq4: b_S = b_D (Eq. 4, B·(n_D − n_S) = 0, θ-independent); partner: b_S = −b_D (Fig. 4, θ ≈ 0); B = b_S n_S + b_D n_D',
  llgTables: 'LLG core convention (src/llg/model.ts): m = −n (moment), p = m_S = −n_S, u = m·p = cos θ, a_FL(u) = I_FL(θ), a_DL(u) = −I_DL(θ), ' +
    'dm/dt ⊃ −(1/ħS)[a_FL m × p + a_DL m × (m × p)], nodes u_k = −1 + 2k/(n−1) (--table-grid u) or ζ_k uniform in ζ = √(1+u) − √(1−u) (--table-grid zeta), Γ units',
};

export const DV_TOLERANCES: Record<string, string> = {
  cpu: 'float64; reproduces every digit of the reference steady states of the team’s note seed004-dot-valve.md §9, copied into test/dotValve.transport.test.ts',
  webgpu: 'float32; against the float64 twin, per point and quantity: |GPU − CPU| ≤ 2e-3 × max over the point\'s angles of |CPU| + f × the table-wide max ' +
    '(f = 1e-6 for I_FL, I_DL, I_C; 1e-5 for ⟨n⟩, P_i, S — the floor covers exact zeros, e.g. at V = 0, where float32 leaves ~3e-7 in the torques), asserted in ' +
    'test/dotValve.kernel.test.ts; measured relative to the point scale on 65 × 65 points (ε̃ ∈ [−700, 700], V ∈ [−1000, 1000]) × 65 u nodes (U = 1000, T = 10): ' +
    `I_FL 5.0e-4, I_DL 1.9e-4, I_C, ⟨n⟩, P_i, S ≤ 4e-5. |sin θ| < ${LIMIT_SIN}: the kernel uses the exact θ → 0, π limits (the twin only at sin θ = 0), off by O(θ²)`,
};

/** The tolerance of a backend (of each, for a merge of shards run on several: 'webgpu, cpu'). */
export const dvTolerance = (backend: string): string => backend.split(', ').map(b => DV_TOLERANCES[b] ?? b).join('; ');

export interface DotValveMapJob {
  /** Everything but the swept names. */
  base: DotValveParams;
  /** 0, 1 or 2 axes of eps, V; points are the cartesian product, first axis slowest. */
  axes: SweepAxis[];
  /** Drain angles (rad, in [0, π]). */
  thetas: Float64Array;
  /** Nodes of the LLG torque table per point (0: none). */
  tableNodes: number;
  /** Node set of the LLG tables: 'u' (the core's uniform-u grid, default) or 'zeta' (src/models/dotValve/torqueTable.ts). */
  tableGrid?: TableGrid;
}

export const pointCount = (job: DotValveMapJob): number => gridPoints(job.axes);

/** (ε̃, V) of every point, first axis slowest. */
export function pointCoordinates(job: DotValveMapJob): Float64Array {
  const n = pointCount(job), out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = gridCoordinates(job.axes, i), eps = c.eps ?? job.base.eps, V = c.V ?? job.base.V;
    out[2 * i] = eps; out[2 * i + 1] = V;
  }
  return out;
}

export interface DotValveMapResult {
  job: DotValveMapJob;
  backend: string;
  adapter: string;
  /** (ε̃, V) pairs. */
  points: Float64Array;
  nPoints: number;
  nTheta: number;
  /** [point][theta][ROW.stride] (src/kernels/dotValve/layout.ts ROW). */
  rows: Float64Array;
  /** b_S, b_D per point (float64). */
  exch: Float64Array;
  /** LLG tables: node positions (u_k or ζ_k) and [point][a_FL, a_DL][node] in the core's convention (a_FL = I_FL, a_DL = −I_DL). */
  tables?: { grid: TableGrid; nodes: Float64Array; llg: Float64Array };
  resonance: { eq4: ResonancePoint[]; partner: ResonancePoint[]; vRange: [number, number] };
  seconds: { torques: number; tables: number; total: number };
  pointsPerSecond: number;
  /** Chunks resumed from an interrupted run and shards merged (absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** The V range the resonance lines are searched in: the swept V range, else [−U, U]. */
function resonanceRange(job: DotValveMapJob): [number, number] {
  const a = job.axes.find(x => x.name === 'V');
  if (a && a.values.length > 1) return [Math.min(...a.values), Math.max(...a.values)];
  return [-job.base.U, job.base.U];
}

function checkRows(job: DotValveMapJob): void {
  const n = pointCount(job), nA = Math.max(job.thetas.length, job.tableNodes);
  if (n * nA > MAX_DV_ROWS) throw new RangeError(`--sweep/--theta/--table: ${n} points × ${nA} angles is more than the ${MAX_DV_ROWS} rows one run takes; split the grid`);
}

/**
 * Per-point arrays of a torque map: the kernel rows at the run's angles ([angle][ROW.stride]), the LLG tables
 * ([a_FL, a_DL][node], core convention) and the per-point timing (torques, tables: spreadSeconds).
 */
export function dotValveWidths(job: DotValveMapJob): Record<string, number> {
  return { rows: job.thetas.length * ROW.stride, ...(job.tableNodes > 0 ? { llg: 2 * job.tableNodes } : {}), seconds: 2 };
}

/** Points per chunk at most: one torque-table dispatch (src/kernels/dotValve/webgpu.ts splits larger ones). */
const MAP_CHUNK_POINTS = 8192;

/**
 * The map as a sweep (src/sweeps/chunked.ts): points [first, first + count) are one torque-table call at the run's
 * angles and one at the LLG table nodes. Every point is one workgroup (one solve per angle) of its own, so a chunk's
 * rows are those of the whole map.
 */
export function dotValveMapPlan(backend: Backend, job: DotValveMapJob, identity: SweepPlan['identity']): SweepPlan {
  checkRows(job);
  const P = pointCount(job), coords = pointCoordinates(job), m = job.tableNodes, nT = job.thetas.length;
  const angles = thetaAngles(job.thetas), grid = job.tableGrid ?? 'u', nodes = m > 0 ? uGridAngles(m, grid) : undefined;
  const share = m > 0 ? nT / (nT + m) : 1;
  return {
    identity, points: P, widths: dotValveWidths(job), chunkPoints: Math.max(1, Math.min(MAP_CHUNK_POINTS, Math.ceil(P / 32))),
    async compute(first, count, progress) {
      const points = coords.subarray(2 * first, 2 * (first + count));
      const t0 = performance.now();
      const rows = await backend.run(torqueTableKernel, { base: job.base, points, angles, onProgress: (d, n) => progress?.(share * d / n) });
      const t1 = performance.now();
      const out: ChunkData = { rows };
      if (nodes) {
        const trows = await backend.run(torqueTableKernel, { base: job.base, points, angles: nodes, onProgress: (d, n) => progress?.(share + (1 - share) * d / n) });
        const llg = new Float64Array(count * 2 * m), o = ROW.offsets;
        for (let i = 0; i < count; i++) for (let k = 0; k < m; k++) {
          const at = (i * m + k) * ROW.stride;
          llg[(i * 2) * m + k] = trows[at + o.tauFL];
          llg[(i * 2 + 1) * m + k] = -trows[at + o.tauDL];
        }
        out.llg = llg;
      }
      out.seconds = spreadSeconds(count, [(t1 - t0) / 1000, (performance.now() - t1) / 1000]);
      return out;
    },
  };
}

/** The map from the whole sweep's per-point arrays: exchange fields and resonance lines (float64) added, timings summed. */
export function dotValveMapFromArrays(job: DotValveMapJob, d: ChunkData, info: SweepInfo): DotValveMapResult {
  checkRows(job);
  const nPoints = pointCount(job), nTheta = job.thetas.length, points = pointCoordinates(job);
  const exch = new Float64Array(2 * nPoints);
  for (let i = 0; i < nPoints; i++) {
    const { bS, bD } = exchangeFields({ ...job.base, eps: points[2 * i], V: points[2 * i + 1] });
    exch[2 * i] = bS; exch[2 * i + 1] = bD;
  }
  const epsAxis = job.axes.find(a => a.name === 'eps')?.values ?? Float64Array.of(job.base.eps);
  const vRange = resonanceRange(job);
  const resonance = {
    eq4: resonanceLine(job.base, 'eq4', epsAxis, vRange[0], vRange[1]),
    partner: resonanceLine(job.base, 'partner', epsAxis, vRange[0], vRange[1]),
    vRange,
  };
  const grid = job.tableGrid ?? 'u';
  const tables = job.tableNodes > 0 ? { grid, nodes: gridNodes(grid, job.tableNodes), llg: d.llg } : undefined;
  const [torques, tablesSeconds] = sumSeconds(d.seconds, 2);
  return {
    job, backend: info.backend, adapter: info.adapter, points, nPoints, nTheta, rows: d.rows, exch, tables, resonance,
    seconds: { torques, tables: tablesSeconds, total: info.seconds }, pointsPerSecond: nPoints / Math.max(torques, 1e-9), sweep: sweepRecord(info),
  };
}

/** The whole map in one go (library use; the CLI runs it as a resumable sweep). */
export async function runDotValveMap(backend: Backend, job: DotValveMapJob, progress?: (fraction: number) => void): Promise<DotValveMapResult> {
  const plan = dotValveMapPlan(backend, job, { command: [], version: '' });
  const t0 = performance.now();
  const d = await plan.compute(0, plan.points, progress);
  const { sweep: _, ...r } = dotValveMapFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: (performance.now() - t0) / 1000, resumedChunks: 0, shards: [] });
  return r;
}

// ---- JSON ----------------------------------------------------------------------------------------------------

/** e·Γ/ħ in nA for Γ = 1 meV. */
const NANOAMP_PER_MEV = 243.413479;

export interface UnitOption { gammaMeV: number }

export function dvPointJson(r: DotValveMapResult, i: number, a: number, unit?: UnitOption): Record<string, number | number[]> {
  const o = ROW.offsets, at = (i * r.nTheta + a) * ROW.stride, th = r.job.thetas[a];
  const p: Record<string, number | number[]> = {
    eps: r.points[2 * i], V: r.points[2 * i + 1], theta: th, thetaOverPi: th / Math.PI,
    tauFL: r.rows[at + o.tauFL], tauDL: r.rows[at + o.tauDL], current: r.rows[at + o.current], occupation: r.rows[at + o.occupation],
    P0: r.rows[at + o.p0], P1: r.rows[at + o.p1], P2: r.rows[at + o.p2],
    spin: [r.rows[at + o.spin], r.rows[at + o.spin + 1], r.rows[at + o.spin + 2]],
    bS: r.exch[2 * i], bD: r.exch[2 * i + 1],
  };
  if (unit) {
    const g = unit.gammaMeV;
    Object.assign(p, { epsMeV: r.points[2 * i] * g, VmV: r.points[2 * i + 1] * g, tauFLmeV: (p.tauFL as number) * g, tauDLmeV: (p.tauDL as number) * g, currentNanoAmp: (p.current as number) * g * NANOAMP_PER_MEV });
  }
  return p;
}

export function dvSummaryHead(r: DotValveMapResult, unit?: UnitOption) {
  const b = r.job.base;
  return {
    backend: r.backend, adapter: r.adapter, points: r.nPoints, thetas: r.nTheta, seconds: r.seconds, pointsPerSecond: r.pointsPerSecond,
    params: { U: b.U, T: b.T, gammaS: b.gammaS, gammaD: b.gammaD, pS: b.pS, pD: b.pD, order: b.order, eps: b.eps, V: b.V },
    sweeps: r.job.axes.map(a => ({ name: a.name, from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length })),
    theta: Array.from(r.job.thetas),
    conventions: DV_CONVENTIONS,
    unit: unit ? { gammaMeV: unit.gammaMeV, note: 'epsMeV, VmV (bias in mV = meV/e), tauFLmeV, tauDLmeV (ħΓ/ħ in meV), currentNanoAmp added per point for Γ = gammaMeV meV' } : 'Γ',
    tolerance: dvTolerance(r.backend),
    resonance: r.resonance,
  };
}

/** One JSON object, `points` last and streamed in chunks (a 256² × 2 map is never one string). */
export function writeDotValveJson(write: (s: string) => void, r: DotValveMapResult, extra: Record<string, unknown> = {}, unit?: UnitOption): void {
  const nT = r.nTheta;
  writePointsJson(write, { ...dvSummaryHead(r, unit), ...extra }, r.nPoints * nT, k => dvPointJson(r, Math.floor(k / nT), k % nT, unit));
}

// ---- run directory -------------------------------------------------------------------------------------------


/** Symmetric colour domain ±q, q the 98th percentile of |v| (the few extreme cells at the diamond edges saturate). */
function symmetricDomain(v: ArrayLike<number>): [number, number] {
  const a = Array.from(v, Math.abs).filter(Number.isFinite).sort((x, y) => x - y);
  const q = a.length ? a[Math.min(a.length - 1, Math.floor(0.98 * (a.length - 1)))] || a[a.length - 1] || 1 : 1;
  return [-q, q];
}

function column(r: DotValveMapResult, a: number, slot: number, rows = r.rows, nA = r.nTheta): Float64Array {
  const out = new Float64Array(r.nPoints);
  for (let i = 0; i < r.nPoints; i++) out[i] = rows[(i * nA + a) * ROW.stride + slot];
  return out;
}

/** One quantity of point i over the run's angles. */
function angleSeries(r: DotValveMapResult, i: number, slot: number): Float64Array {
  return Float64Array.from({ length: r.nTheta }, (_, a) => r.rows[(i * r.nTheta + a) * ROW.stride + slot]);
}

const thetaLabel = (t: number) => `θ = ${Number((t / Math.PI).toPrecision(4))}π`;
const thetaTag = (t: number) => `theta${Number((t / Math.PI).toPrecision(4))}pi`.replace('.', 'p');

interface Plane { x: Float64Array; y: Float64Array; index: Int32Array; xName: DvSweepName; yName: DvSweepName }

/** ε̃ horizontal, V vertical; index[iy·nx + ix] → point. */
function plane(job: DotValveMapJob): Plane | null {
  if (job.axes.length !== 2) return null;
  const [a0, a1] = job.axes;
  const xAxis = a0.name === 'eps' ? a0 : a1, yAxis = a0.name === 'eps' ? a1 : a0;
  const nx = xAxis.values.length, ny = yAxis.values.length, index = new Int32Array(nx * ny);
  const xFirst = job.axes[0] === xAxis;
  for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) index[iy * nx + ix] = xFirst ? ix * ny + iy : iy * nx + ix;
  return { x: xAxis.values, y: yAxis.values, index, xName: xAxis.name as DvSweepName, yName: yAxis.name as DvSweepName };
}

/** Style of the resonance lines over the (ε̃, V) maps (units of U). */
const RESONANCE_STYLE = {
  eq4: { name: 'Eq. 4 resonance b_S = b_D', color: '#ffffff', dash: '7 4', width: 1.8 },
  partner: { name: 'partner resonance b_S = −b_D', color: '#ffffff', dash: '2 3', width: 1.4 },
};

/**
 * The resonance lines over the plane eps × V (Γ), as heatmap lines in units of U: the zero lines of b_S ∓ b_D sampled
 * on at most 241 × 241 points spanning the axes (shared by the torque maps and the switching diagrams).
 */
export function resonanceLines(base: DotValveParams, eps: ArrayLike<number>, V: ArrayLike<number>, kinds: ('eq4' | 'partner')[]): HeatmapLine[] {
  const nx = Math.min(241, Math.max(eps.length, 2)), ny = Math.min(241, Math.max(V.length, 2));
  const xs = linspace(eps[0], eps[eps.length - 1], nx), ys = linspace(V[0], V[V.length - 1], ny);
  return kinds.map(kind => {
    const f = new Float64Array(nx * ny);
    for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) f[iy * nx + ix] = resonanceFunction({ ...base, eps: xs[ix], V: ys[iy] }, kind);
    return { ...RESONANCE_STYLE[kind], ...zeroLine(xs, ys, f, { scale: base.U }) };
  });
}

export function writeDotValveRun(target: OutputTarget, r: DotValveMapResult, unit?: UnitOption): Promise<string> {
  return withRunDir(target, async dir => {
    const job = r.job, n = r.nPoints, nT = r.nTheta, o = ROW.offsets, U = job.base.U;
    const shape = job.axes.map(a => a.values.length);
    // table of every (point, θ) row
    const len = n * nT, col = (f: (i: number, a: number) => number) => Float64Array.from({ length: len }, (_, k) => f(Math.floor(k / nT), k % nT));
    const cols: Record<string, ArrayLike<number>> = {
      eps: col(i => r.points[2 * i]), V: col(i => r.points[2 * i + 1]), theta: col((_, a) => job.thetas[a]), thetaOverPi: col((_, a) => job.thetas[a] / Math.PI),
    };
    const names: [string, number][] = [['tauFL', o.tauFL], ['tauDL', o.tauDL], ['current', o.current], ['occupation', o.occupation], ['P0', o.p0], ['P1', o.p1], ['P2', o.p2], ['Sx', o.spin], ['Sy', o.spin + 1], ['Sz', o.spin + 2]];
    for (const [k, s] of names) cols[k] = col((i, a) => r.rows[(i * nT + a) * ROW.stride + s]);
    cols.bS = col(i => r.exch[2 * i]); cols.bD = col(i => r.exch[2 * i + 1]);
    dir.writeCsv('torques.csv', cols);
    dir.writeNpy('rows.npy', r.rows, [n, nT, ROW.stride]);
    for (const [k, s] of names.slice(0, 4)) {
      const arr = new Float64Array(len);
      for (let i = 0; i < n; i++) for (let a = 0; a < nT; a++) arr[i * nT + a] = r.rows[(i * nT + a) * ROW.stride + s];
      dir.writeNpy(`${k}.npy`, arr, [...shape, nT]);
    }
    dir.writeNpy('theta.npy', job.thetas, [nT]);
    for (const a of job.axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);
    dir.writeNpy('exchange_fields.npy', r.exch, [...shape, 2]);
    if (r.tables) {
      const m = r.tables.nodes.length;
      dir.writeNpy('llg_tables.npy', r.tables.llg, [...shape, 2, m]);
      dir.writeNpy('llg_table_nodes.npy', r.tables.nodes, [m]);
    }
    dir.writeCsv('resonance.csv', {
      kind: [...r.resonance.eq4.map(() => 'eq4'), ...r.resonance.partner.map(() => 'partner')],
      eps: [...r.resonance.eq4.map(p => p.eps), ...r.resonance.partner.map(p => p.eps)],
      V: [...r.resonance.eq4.map(p => p.V), ...r.resonance.partner.map(p => p.V)],
    });

    const figures: { title: string; svgFile: string; caption: string }[] = [];
    const pl = plane(job);
    if (pl) {
      const lines = resonanceLines(job.base, pl.x, pl.y, ['eq4', 'partner']);
      const scaleU = (v: ArrayLike<number>) => Float64Array.from(v, x => x / U);
      const xu = scaleU(pl.x), yu = scaleU(pl.y);
      const gather = (v: Float64Array) => Float64Array.from(pl.index, i => v[i]);
      for (let a = 0; a < nT; a++) {
        const th = job.thetas[a], tag = thetaTag(th);
        const maps: [string, string, Float64Array, boolean][] = [
          ['tauFL', `I_FL (Γ), ${thetaLabel(th)}`, gather(column(r, a, o.tauFL)), true],
          ['tauDL', `I_DL (Γ), ${thetaLabel(th)}`, gather(column(r, a, o.tauDL)), true],
          ['logCurrent', `log10(I_C/V), ${thetaLabel(th)}`, gather(Float64Array.from(column(r, a, o.current), (c, i) => Math.log10(Math.abs(c / r.points[2 * i + 1])))), false],
        ];
        for (const [k, title, values, div] of maps) {
          const file = `${k}_${tag}.svg`;
          dir.writeText(file, heatmap({
            title: `${title}; dashed: Eq. 4 (b_S = b_D), dotted: b_S = −b_D`, xLabel: 'ε̃/U', yLabel: 'V/U', x: xu, y: yu, values, colorLabel: title, lines,
            ...(div ? { domain: symmetricDomain(values), interpolator: DIVERGING } : {}),
          }));
          figures.push({
            title: `${title} over (ε̃, V)`, svgFile: file,
            caption: `${title} over the (ε̃, V) plane, both axes in units of U = ${U}Γ (ε̃ = ε + U/2 horizontal, bias V vertical). White dashed: the Eq. 4 resonance b_S = b_D; white dotted: its partner b_S = −b_D (zero lines of b_S ∓ b_D by marching squares). ${div ? 'Diverging colour scale at ±98th percentile of |value| (saturated beyond), red positive.' : 'log10 |I_C/V|; blank at V = 0.'} Data: ${k === 'logCurrent' ? 'current' : k}.npy [${[...shape, nT].join(', ')}] (axes, then θ), torques.csv, resonance.csv.`,
          });
        }
      }
    } else if (job.axes.length === 1) {
      const ax = job.axes[0], xs = Float64Array.from(ax.values, v => v / U);
      for (const [k, s, label] of [['tauFL', o.tauFL, 'I_FL (Γ)'], ['tauDL', o.tauDL, 'I_DL (Γ)'], ['current', o.current, 'I_C (Γ)']] as const) {
        const series = Array.from(job.thetas, (th, a) => ({ name: thetaLabel(th), x: xs, y: column(r, a, s) }));
        const file = `${k}.svg`;
        dir.writeText(file, lineChart({ title: `${label} along ${ax.name === 'eps' ? `V = ${job.base.V}Γ` : `ε̃ = ${job.base.eps}Γ`}`, xLabel: ax.name === 'eps' ? 'ε̃/U' : 'V/U', yLabel: label, series }));
        figures.push({ title: `${label} vs ${ax.name === 'eps' ? 'ε̃/U' : 'V/U'} per drain angle`, svgFile: file, caption: `${label} along ${ax.name === 'eps' ? 'ε̃' : 'V'} (in units of U = ${U}Γ), one curve per drain angle θ. Data: ${k}.npy [${[...shape, nT].join(', ')}], torques.csv.` });
      }
    } else {
      const th = Float64Array.from(job.thetas, t => t / Math.PI);
      const file = 'theta_cut.svg';
      dir.writeText(file, lineChart({
        title: `I_FL, I_DL vs θ at ε̃ = ${r.points[0]}Γ, V = ${r.points[1]}Γ`, xLabel: 'θ/π', yLabel: 'torque amplitude (Γ)',
        series: [{ name: 'I_FL', x: th, y: angleSeries(r, 0, o.tauFL), color: '#d62728' }, { name: 'I_DL', x: th, y: angleSeries(r, 0, o.tauDL), color: '#1f77b4' }],
      }));
      figures.push({ title: 'Fig. 4 inset: angular dependence of the torques', svgFile: file, caption: `Field-like I_FL (red) and damping-like I_DL (blue) torque amplitudes (Γ) against the drain angle θ between the source and drain magnetisations, at ε̃ = ${r.points[0]}Γ, V = ${r.points[1]}Γ. Data: tauFL.npy, tauDL.npy, torques.csv.` });
      const cfile = 'theta_cut_current.svg';
      dir.writeText(cfile, lineChart({ title: 'I_C vs θ', xLabel: 'θ/π', yLabel: 'I_C (Γ)', series: [{ name: 'I_C = J_D', x: th, y: angleSeries(r, 0, o.current) }] }));
      figures.push({ title: 'charge current vs drain angle', svgFile: cfile, caption: 'Charge current I_C = J_D (Γ, into the drain) against θ at the same point: the spin-valve readout of the angle. Data: current.npy, torques.csv.' });
    }
    const head = dvSummaryHead(r, unit);
    const manifest = {
      params: { ...head.params, sweeps: head.sweeps, theta: head.theta, tableNodes: job.tableNodes, tableGrid: job.tableGrid ?? 'u', unit: head.unit },
      backend: r.backend, adapter: r.adapter,
      timings: { torquesSeconds: r.seconds.torques, tablesSeconds: r.seconds.tables, totalSeconds: r.seconds.total, pointsPerSecond: r.pointsPerSecond },
      tolerances: Object.fromEntries(r.backend.split(', ').map(b => [b, dvTolerance(b)])),
      extra: {
        ...sweepExtra(target, r.sweep),
        conventions: DV_CONVENTIONS,
        pointOrder: `cartesian product of the --sweep axes in the order given, first axis slowest (${job.axes.map(a => `${a.name}[${a.values.length}]`).join(' × ') || 'one point'}), then θ`,
        resonance: r.resonance,
        files: {
          'torques.csv': 'one row per (point, θ): eps, V (Γ), theta (rad), thetaOverPi, tauFL, tauDL, current, occupation, P0, P1, P2, Sx, Sy, Sz, bS, bD',
          'rows.npy': `float64 [${n}, ${nT}, ${ROW.stride}]: kernel rows ${Object.keys(ROW.offsets).join(', ')} (spin = 3)`,
          'tauFL.npy, tauDL.npy, current.npy, occupation.npy': `float64 [${[...shape, nT].join(', ')}]: sweep axes (first --sweep first), then θ`,
          'exchange_fields.npy': `float64 [${[...shape, 2].join(', ')}]: b_S, b_D`,
          ...(r.tables ? {
            'llg_tables.npy': `float64 [${[...shape, 2, r.tables.nodes.length].join(', ')}]: a_FL, a_DL at the ${r.tables.grid} nodes in the LLG core convention (${DV_CONVENTIONS.llgTables})`,
            'llg_table_nodes.npy': r.tables.grid === 'u' ? 'the nodes u_k = −1 + 2k/(n−1)' : 'the nodes ζ_k = −√2 + 2√2k/(n−1), ζ = √(1 + u) − √(1 − u)',
          } : {}),
          'resonance.csv': 'kind (eq4 | partner), eps, V: roots of b_S ∓ b_D in V at every ε̃ of the run',
        },
      },
    };
    const report = {
      title: `nanospin torques dot-valve: ${n} points × ${nT} angles`,
      summary: {
        backend: r.backend, adapter: r.adapter, points: n, angles: nT, 'time (s)': r.seconds.total, 'points/s (torque tables)': r.pointsPerSecond,
        units: 'energies in Γ (dimensionless model)', 'Eq. 4 roots': r.resonance.eq4.length, order: job.base.order,
      },
      figures,
    };
    return { manifest, report, summary: head };
  });
}
