// `nanospin moment vibronic`: the thermal moment of the k-pair H_k = S_k·(J_k S_k̄ + α_k ẑ) (seed 003) over
// (J, α, T) grids by batched exact diagonalization on a backend, next to Eq. 5 as printed and the exact
// spin-1/2 closed form; written as a run directory (CSV, .npy, SVG, report).
import type { Backend } from '../backends/index.ts';
import { pairEdKernel, pointRow, POINT_STRIDE, RESULT_ROW, RESULT_STRIDE } from '../kernels/vibronic/index.ts';
import { kPair, spinDim, type FieldOn } from '../models/vibronic/hamiltonian.ts';
import { eq5Printed, spinHalfMoment } from '../models/vibronic/closedForms.ts';
import { spinLabel } from '../models/vibronic/spin.ts';
import { gridPoints, type SweepAxis } from '../sweeps/params.ts';
import { DIVERGING, heatmap, lineChart } from '../plots/svg.ts';
import { pngDataUri } from '../plots/png.ts';
import { withRunDir, writePointsJson, type OutputTarget } from './output.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';

export const MOMENT_SWEEP_NAMES = ['J', 'alpha', 'T'] as const;
export type MomentSweepName = typeof MOMENT_SWEEP_NAMES[number];
export const MOMENT_SWEEP_UNITS: Record<MomentSweepName, string> = { J: 'meV', alpha: 'meV', T: 'K' };
export const MOMENT_SWEEP_LABELS: Record<MomentSweepName, string> = { J: 'J_k (meV)', alpha: 'α_k (meV)', T: 'T (K)' };
/** Points one run takes (each point costs ~80 B of host memory for its results, more with --spectrum). */
export const MAX_MOMENT_POINTS = 4_194_304;

/**
 * GPU (float32) vs float64 twin agreement of the moments (ħ) and ground energy, measured on llvmpipe for S ≤ 5/2,
 * |J_k|, |α_k| ≤ 2 meV, |D| ≤ 0.25 meV (test/vibronic.gpu.test.ts, docs/models/vibronic.md). The moment error grows like
 * ε_f32 ‖H‖ / k_BT; at T = 0 the moment is a step function of the parameters and agrees except within ~1e-5 (relative)
 * of a level crossing. Fields far below float32 resolution of H (|α| ≲ 1e-5 ‖H‖) are not resolved on the device.
 */
export const MOMENT_TOLERANCE = {
  webgpu: { momentAbsolute: { 'T >= 3 K': 2e-5, 'T >= 0.5 K': 1e-4, 'T = 0, total': 1e-5, 'T = 0, per spin': 3e-4 }, groundEnergyRelative: 2e-6, note: 'float32 Jacobi vs the float64 twin; grows as ε_f32·‖H‖/k_BT; T = 0 only away from level crossings; |α| ≲ 1e-5 ‖H‖ unresolved' },
  cpu: { momentAbsolute: 1e-12, note: 'float64 Jacobi to 1e-15 relative off-diagonal norm' },
};

export interface MomentJob {
  S: number;
  fieldOn: FieldOn;
  /** Values of J (meV), α (meV), T (K) when not swept. */
  fixed: Record<MomentSweepName, number>;
  /** Swept axes, first slowest. */
  axes: SweepAxis[];
  /** On-site axial D and rhombic E (meV, both spins). */
  axial: number;
  rhombic: number;
  spectrum: boolean;
}

export interface MomentResult {
  job: MomentJob;
  backend: string;
  adapter: string;
  path: string;
  count: number;
  J: Float64Array; alpha: Float64Array; T: Float64Array;
  moment: Float64Array; moment1: Float64Array; moment2: Float64Array; groundEnergy: Float64Array; residual: Float64Array;
  /** Eq. 5 as printed (NaN where it does not apply: S ≠ 1/2). */
  closedForm: Float64Array;
  /** Exact spin-1/2 closed form of the chosen field placement (NaN for S ≠ 1/2). */
  exactSpinHalf: Float64Array;
  spectrum: Float64Array | null;
  seconds: number;
  diagonalizationsPerSecond: number;
  /** Points whose field is non-zero but below float32 resolution of H (|α| < 1e-5 ‖H‖; webgpu only, else 0). */
  unresolvedFieldPoints: number;
  /** Chunks resumed and shards merged (a CLI run; absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** |α| below this fraction of the Hamiltonian's scale is rounding noise in float32. */
export const F32_FIELD_RESOLUTION = 1e-5;

/** Scale of H_k's diagonal: (|J| + |D|) S² + |α| S (meV). */
const scaleOf = (S: number, J: number, alpha: number, D: number) => (Math.abs(J) + Math.abs(D)) * S * S + Math.abs(alpha) * S;

export const momentPointCount = (job: MomentJob): number => gridPoints(job.axes);

/** The (J, α, T) of every grid point, first axis slowest. */
export function momentGrid(job: MomentJob): { J: Float64Array; alpha: Float64Array; T: Float64Array } {
  const n = momentPointCount(job);
  const out = { J: new Float64Array(n).fill(job.fixed.J), alpha: new Float64Array(n).fill(job.fixed.alpha), T: new Float64Array(n).fill(job.fixed.T) };
  let inner = n;
  for (const a of job.axes) {
    inner /= a.values.length;
    const col = out[a.name as MomentSweepName];
    for (let i = 0; i < n; i++) col[i] = a.values[Math.floor(i / inner) % a.values.length];
  }
  return out;
}

/** Eq. 5 applies to spin 1/2 (for S = 1/2 the on-site terms are constants, so it covers any anisotropy). */
export const closedFormApplies = (S: number): boolean => S === 0.5;

/** The whole grid in one go (library use; the CLI runs momentPlan as a resumable sweep). */
export async function runMoment(backend: Backend, job: MomentJob, progress?: (f: number) => void): Promise<MomentResult> {
  const plan = momentPlan(backend, job, { command: [], version: '' });
  const d = await plan.compute(0, plan.points, progress);
  const { sweep: _, ...r } = momentFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: 0, resumedChunks: 0, shards: [] });
  return r;
}

/**
 * Per-point arrays: moment1, moment2, ground energy, Jacobi residual; the spectrum ((2S+1)² levels, with
 * --spectrum); 1 where |α| is below float32 resolution on webgpu; seconds (total, kernel).
 */
export function momentWidths(job: MomentJob): Record<string, number> {
  return { results: 4, ...(job.spectrum ? { spectrum: spinDim(job.S) ** 2 } : {}), unresolved: 1, seconds: 2 };
}

/** Points per kernel call of the CLI's chunks (the kernels split their own dispatches further). */
const MOMENT_CHUNK = 1 << 16;

/** The grid as a sweep: every point one diagonalization, alone. */
export function momentPlan(backend: Backend, job: MomentJob, identity: SweepPlan['identity']): SweepPlan {
  const g = momentGrid(job), n = g.J.length;
  return {
    identity, points: n, widths: momentWidths(job),
    chunkPoints: Math.max(1, Math.min(MOMENT_CHUNK, Math.ceil(n / 32))),
    async compute(first, count, progress) {
      const t0 = performance.now();
      const rows = new Float64Array(count * POINT_STRIDE);
      for (let i = 0; i < count; i++) { const q = first + i; pointRow(kPair({ S: job.S, J: g.J[q], alpha: g.alpha[q], fieldOn: job.fieldOn, axial: job.axial, rhombic: job.rhombic }), g.T[q], rows, i * POINT_STRIDE); }
      const r = await backend.run(pairEdKernel, { S: job.S, rows, spectrum: job.spectrum }, (d, t) => progress?.(d / t));
      const o = RESULT_ROW.offsets, results = new Float64Array(4 * count), unresolved = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const at = i * RESULT_STRIDE, q = first + i;
        results.set([r.results[at + o.moment1], r.results[at + o.moment2], r.results[at + o.groundEnergy], r.results[at + o.residual]], 4 * i);
        if (backend.name === 'webgpu' && g.alpha[q] !== 0 && Math.abs(g.alpha[q]) * job.S < F32_FIELD_RESOLUTION * scaleOf(job.S, g.J[q], g.alpha[q], job.axial)) unresolved[i] = 1;
      }
      return { results, ...(job.spectrum ? { spectrum: r.spectrum! } : {}), unresolved, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000, r.seconds]) };
    },
  };
}

/** The result from the whole grid's arrays (the closed forms evaluated here, per point). */
export function momentFromArrays(job: MomentJob, d: ChunkData, info: SweepInfo): MomentResult {
  const g = momentGrid(job), n = g.J.length;
  const col = (k: number) => Float64Array.from({ length: n }, (_, i) => d.results[4 * i + k]);
  const moment1 = col(0), moment2 = col(1);
  const applies = closedFormApplies(job.S), both = job.fieldOn === 'both';
  const closedForm = Float64Array.from({ length: n }, (_, i) => (applies ? eq5Printed(g.J[i], g.alpha[i], g.T[i]) : NaN));
  const exactSpinHalf = Float64Array.from({ length: n }, (_, i) => (applies ? spinHalfMoment(g.J[i], g.alpha[i], both ? g.alpha[i] : 0, g.T[i]) : NaN));
  let unresolved = 0;
  for (let i = 0; i < n; i++) unresolved += d.unresolved[i];
  const [seconds, kernel] = sumSeconds(d.seconds, 2);
  return {
    // the kernels take the dense path exactly when a rhombic term breaks S^z conservation (batchPath)
    job, backend: info.backend, adapter: info.adapter, path: job.rhombic !== 0 ? 'dense' : 'blocks', count: n, ...g,
    moment: Float64Array.from(moment1, (x, i) => x + moment2[i]), moment1, moment2, groundEnergy: col(2), residual: col(3),
    closedForm, exactSpinHalf, spectrum: job.spectrum ? d.spectrum : null, seconds, diagonalizationsPerSecond: n / kernel, unresolvedFieldPoints: unresolved,
    sweep: sweepRecord(info),
  };
}

const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function momentPointJson(r: MomentResult, i: number) {
  return { J: r.J[i], alpha: r.alpha[i], T: r.T[i], moment: r.moment[i], moment1: r.moment1[i], moment2: r.moment2[i], closedForm: nullable(r.closedForm[i]) };
}

export const CLOSED_FORM_NOTE = 'closedForm: Eq. 5 as printed, for S = 1/2 only (null otherwise); it is the thermal moment of the printed spectrum ' +
  '(J_k ± 3α_k)/4, −J_k/4 ± Ω_k/2 with Ω_k = √(J_k² + α_k²)/4, which is not the spectrum of H_k. points.csv also carries the exact spin-1/2 closed form of the chosen field placement (exactSpinHalf).';

export const OPERATOR_NOTE = (fieldOn: FieldOn): string =>
  `H_k = J_k S_k·S_k̄ + ${fieldOn === 'both' ? 'α_k (S_k^z + S_k̄^z)' : 'α_k S_k^z'} + D Σ (S^z)² + E Σ ((S^x)² − (S^y)²); J_k > 0 antiferromagnetic; moment = ⟨S_k^z + S_k̄^z⟩ (ħ = 1)`;

export function momentSummaryHead(r: MomentResult) {
  return {
    backend: r.backend, adapter: r.adapter, S: r.job.S, spin: spinLabel(r.job.S), fieldOn: r.job.fieldOn, path: r.path,
    operator: OPERATOR_NOTE(r.job.fieldOn), anisotropy: { axial: r.job.axial, rhombic: r.job.rhombic },
    count: r.count, seconds: r.seconds, diagonalizationsPerSecond: r.diagonalizationsPerSecond, unresolvedFieldPoints: r.unresolvedFieldPoints,
    tolerance: MOMENT_TOLERANCE[r.backend as 'webgpu' | 'cpu'], closedFormNote: CLOSED_FORM_NOTE,
  };
}

/** `{…summary, "points": [{J, alpha, T, moment, moment1, moment2, closedForm}, …]}` streamed in pieces. */
export function writeMomentJson(write: (s: string) => void, r: MomentResult, extra: Record<string, unknown> = {}): void {
  writePointsJson(write, { ...momentSummaryHead(r), ...extra }, r.count, i => momentPointJson(r, i));
}


export function momentMapSvg(o: { title: string; x: Float64Array; y: Float64Array; values: ArrayLike<number>; xLabel: string; yLabel: string; colorLabel: string; symmetric?: boolean }): string {
  let m = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < o.values.length; i++) { const v = o.values[i]; if (Number.isFinite(v)) { m = Math.max(m, Math.abs(v)); lo = Math.min(lo, v); hi = Math.max(hi, v); } }
  const sym = o.symmetric ?? (lo < 0 && hi > 0);
  return heatmap({
    title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, x: o.x, y: o.y, values: o.values, colorLabel: o.colorLabel,
    domain: sym ? [-Math.max(m, 1e-300), Math.max(m, 1e-300)] : undefined, interpolator: sym ? DIVERGING : undefined,
    width: 760, height: 600, raster: o.x.length * o.y.length > 2500 ? pngDataUri : undefined,
  });
}

export async function writeMomentRun(target: OutputTarget, r: MomentResult): Promise<string> {
  return withRunDir(target, dir => {
    const job = r.job, shape = job.axes.length ? job.axes.map(a => a.values.length) : [1];
    const cols: Record<string, ArrayLike<number>> = {
      J: r.J, alpha: r.alpha, T: r.T, moment: r.moment, moment1: r.moment1, moment2: r.moment2,
      closedForm: r.closedForm, exactSpinHalf: r.exactSpinHalf, groundEnergy: r.groundEnergy, residual: r.residual,
    };
    dir.writeCsv('points.csv', cols);
    for (const k of ['moment', 'moment1', 'moment2', 'groundEnergy'] as const) dir.writeNpy(`${k}.npy`, r[k], shape);
    if (closedFormApplies(job.S)) { dir.writeNpy('closed_form_eq5.npy', r.closedForm, shape); dir.writeNpy('exact_spin_half.npy', r.exactSpinHalf, shape); }
    for (const a of job.axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);
    const d = spinDim(job.S) ** 2;
    if (r.spectrum) dir.writeNpy('spectrum.npy', r.spectrum, [...shape, d]);
    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    const spin = spinLabel(job.S);
    const thermal = 'thermal expectation value by exact diagonalization of the pair Hamiltonian H_k (in units of ħ)';
    if (job.axes.length >= 2) {
      const [ya, xa] = job.axes.slice(-2), slice = xa.values.length * ya.values.length;
      const first = job.axes.length === 3 ? ` at ${job.axes[0].name} = ${job.axes[0].values[0]} ${MOMENT_SWEEP_UNITS[job.axes[0].name as MomentSweepName]}` : '';
      const title = `⟨S1^z + S2^z⟩, S = ${spin}, field on ${job.fieldOn}${first}`;
      dir.writeText('moment.svg', momentMapSvg({ title, x: xa.values, y: ya.values, values: r.moment.subarray(0, slice), xLabel: MOMENT_SWEEP_LABELS[xa.name as MomentSweepName], yLabel: MOMENT_SWEEP_LABELS[ya.name as MomentSweepName], colorLabel: '⟨M⟩ (ħ)' }));
      figures.push({ title, svgFile: 'moment.svg', caption: `Total moment ⟨S1^z + S2^z⟩ over ${ya.name} × ${xa.name}, the ${thermal}${job.axes.length === 3 ? `; first slice of ${job.axes[0].name} only (every slice in moment.npy)` : ''}. Values in moment.npy (rows ${ya.name}, columns ${xa.name}) and points.csv.` });
    } else if (job.axes.length === 1) {
      const a = job.axes[0], series = [
        { name: '⟨S1^z + S2^z⟩ (ED)', x: a.values, y: r.moment },
        { name: '⟨S1^z⟩ (ED)', x: a.values, y: r.moment1 },
        { name: '⟨S2^z⟩ (ED)', x: a.values, y: r.moment2 },
      ];
      if (closedFormApplies(job.S)) series.push({ name: 'Eq. 5 as printed', x: a.values, y: r.closedForm }, { name: 'exact spin-1/2 form', x: a.values, y: r.exactSpinHalf });
      const title = `moment vs ${a.name}, S = ${spin}, field on ${job.fieldOn}`;
      dir.writeText('moment.svg', lineChart({ title, xLabel: MOMENT_SWEEP_LABELS[a.name as MomentSweepName], yLabel: 'moment (ħ)', series }));
      figures.push({ title, svgFile: 'moment.svg', caption: `Total and per-spin moments along ${a.name}, the ${thermal}${closedFormApplies(job.S) ? '; beside them Eq. 5 as printed and the exact spin-1/2 closed form (they differ where the printed form is not the solution of H_k, see the manifest)' : ''}. Values in points.csv.` });
    } else if (r.spectrum) {
      const title = `spectrum, S = ${spin}, J = ${r.J[0]} meV, α = ${r.alpha[0]} meV`;
      dir.writeText('spectrum.svg', lineChart({ title, xLabel: 'level', yLabel: 'E (meV)', series: [{ name: 'E_k', x: Float64Array.from({ length: d }, (_, k) => k), y: r.spectrum.subarray(0, d) }] }));
      figures.push({ title, svgFile: 'spectrum.svg', caption: 'Eigenvalues of H_k in ascending order (meV), from the batched Jacobi diagonalization. Values in spectrum.npy.' });
    }
    let maxEq5 = 0;
    for (let i = 0; i < r.count; i++) if (Number.isFinite(r.closedForm[i])) maxEq5 = Math.max(maxEq5, Math.abs(r.closedForm[i] - r.moment[i]));
    return {
      manifest: {
        params: { ...job, axes: job.axes.map(a => ({ name: a.name, unit: MOMENT_SWEEP_UNITS[a.name as MomentSweepName], from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length })), operator: OPERATOR_NOTE(job.fieldOn) },
        backend: r.backend, adapter: r.adapter, timings: { total: r.seconds },
        tolerances: { [r.backend]: MOMENT_TOLERANCE[r.backend as 'webgpu' | 'cpu'] },
        extra: {
          path: r.path, diagonalizationsPerSecond: r.diagonalizationsPerSecond, closedFormNote: CLOSED_FORM_NOTE,
          maxAbsEq5MinusED: closedFormApplies(job.S) ? maxEq5 : null,
          files: {
            'points.csv': 'one row per point (first sweep axis slowest): J, alpha (meV), T (K), moment, moment1, moment2, closedForm (Eq. 5 printed, NaN where it does not apply), exactSpinHalf, groundEnergy (meV), residual (Jacobi)',
            '<quantity>.npy': `float64 [${shape.join(', ')}] over the sweep axes in order`, 'spectrum.npy': `float64 [${shape.join(', ')}, ${d}] ascending (with --spectrum)`,
          },
          ...sweepExtra(target, r.sweep),
        },
      },
      summary: momentSummaryHead(r),
      report: {
        title: `nanospin moment vibronic: S = ${spin}, field on ${job.fieldOn}`,
        summary: {
          backend: r.backend, adapter: r.adapter, path: r.path, points: r.count, 'time (s)': r.seconds, 'diagonalizations/s': r.diagonalizationsPerSecond,
          operator: OPERATOR_NOTE(job.fieldOn), ...(closedFormApplies(job.S) ? { 'max |Eq. 5 − ED|': maxEq5 } : {}), 'closed form': CLOSED_FORM_NOTE,
        },
        figures,
      },
    };
  });
}
