// Run directory of `nanospin exchange granular`: points.csv (every swept and fixed parameter, every contribution
// in meV and z_n H/k_B in K), terms.npy ([...grid, 10] in TERM_FIELDS order, meV), one .npy per axis, figures
// (1D: signed curves and |H| on a log scale; 2D: maps of H_ex, H_h, H_C with their sign-change lines;
// 3D: H_ex maps at up to four values of the third axis), manifest.json, summary.json, report.html.
import * as d3 from 'd3';
import { KB } from '../numerics/units.ts';
import { Z_SIMPLE_CUBIC } from '../models/granular/params.ts';
import { TERM_FIELDS, type TermField } from '../models/granular/terms.ts';
import { DIVERGING, heatmap, lineChart, type HeatmapLine } from '../plots/svg.ts';
import { zeroLine } from '../plots/contours.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import {
  GRANULAR_LABELS, GRANULAR_READINGS, GRANULAR_TOLERANCES, GRANULAR_UNITS, granularNormalization, granularSummaryHead, gridShape, pointCoordinates,
  summarizeCheck, type GranularSweepName, type GranularSweepResult,
} from './granular.ts';
import { signedLog, symlog } from './granularPlots.ts';
import { sweepExtra } from './sweepInfo.ts';

/** How the check points are chosen and how they survive sharding (recorded in the manifest). */
export const CHECK_NOTE = '--check-points points spread evenly over the sweep (both ends) and the point of largest |total| are re-run on RULES.refined (and, on webgpu, on the float64 twin); ' +
  'sharded, every shard checks the spread points it holds and its own largest |total|, and the merge keeps the spread points and the largest of the shards\' largest: the same points and numbers as the unsharded run';

const K_PER_MEV = Z_SIMPLE_CUBIC / KB;

/** z_n H/k_B (K) of one field over the sweep. */
export function fieldK(r: GranularSweepResult, f: TermField): Float64Array {
  return Float64Array.from(r.terms, t => t[f] * K_PER_MEV);
}

/** Half-metal line J_sd = U − h_B and the J_sd = U line, for (h_B, J_sd) maps. */
export function halfMetalLines(U: number, hB: ArrayLike<number>): HeatmapLine[] {
  const x = Float64Array.from([hB[0], hB[hB.length - 1]]);
  return [
    { x, y: Float64Array.from(x, h => U - h), color: '#444', dash: '3 3', width: 1.5, name: 'J_sd = U − h_B (half-metal above)' },
    { x, y: Float64Array.from(x, () => U), color: '#888', dash: '1 3', width: 1.5, name: 'J_sd = U' },
  ];
}

/**
 * Diverging map of z_n H/k_B with its zero line (black), the zero lines of `extraZero` (same grid) and `polylines`
 * (data coordinates), in symlog colour (scale: 1% of the largest |value|, ≥ 1 mK). Cells with a corner exactly 0 have
 * no zero line: every term vanishes at J_sd = 0, which is not a sign change.
 */
export function signMap(title: string, x: ArrayLike<number>, y: ArrayLike<number>, xLabel: string, yLabel: string, valuesK: Float64Array,
  extraZero: { values: ArrayLike<number>; color: string; label: string; dash?: string }[] = [], polylines: HeatmapLine[] = []): string {
  let m = 0;
  for (const v of valuesK) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  const scale = Math.max(1e-3, 0.01 * m);
  const c = symlog(valuesK, scale);
  let cm = 0;
  for (const v of c) if (Number.isFinite(v)) cm = Math.max(cm, Math.abs(v));
  const zero = (f: { values: ArrayLike<number>; color: string; label: string; dash?: string }, width: number): HeatmapLine =>
    ({ name: f.label, ...zeroLine(x, y, f.values, { zeros: 'skip' }), color: f.color, dash: f.dash, width });
  return heatmap({
    title, x, y, values: c, xLabel, yLabel, domain: [-(cm || 1), cm || 1], interpolator: DIVERGING,
    colorLabel: `sign·log₁₀(1 + |z_n H/k_B| / ${scale.toPrecision(2)} K)`,
    lines: [zero({ values: valuesK, color: '#000', label: 'sign change' }, 2.2), ...extraZero.map(f => zero(f, 1.6)), ...polylines],
  });
}

export async function writeGranularRun(target: OutputTarget, r: GranularSweepResult): Promise<string> {
  return withRunDir(target, dir => {
    const shape = gridShape(r.job), n = r.params.length;
    const cols: Record<string, Float64Array> = {};
    for (const k of ['hB', 'Jsd', 'eps', 'epsEff', 'd', 'a', 'U'] as const) cols[k] = Float64Array.from(r.params, p => p[k]);
    for (const f of TERM_FIELDS) cols[`${f}_meV`] = Float64Array.from(r.terms, t => t[f]);
    for (const f of ['hopping', 'coulomb', 'total'] as const) cols[`${f}_K`] = fieldK(r, f);
    for (const f of TERM_FIELDS) cols[`${f}_gross_meV`] = Float64Array.from(r.gross, g => g[f]);
    dir.writeCsv('points.csv', cols);
    const all = new Float64Array(n * TERM_FIELDS.length);
    r.terms.forEach((t, i) => TERM_FIELDS.forEach((f, k) => { all[i * TERM_FIELDS.length + k] = t[f]; }));
    dir.writeNpy('terms.npy', all, [...shape, TERM_FIELDS.length]);
    for (const a of r.job.axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);

    const figures: { title: string; svgFile: string; caption: string }[] = [];
    const axes = r.job.axes;
    const label = (a: { name: string }) => GRANULAR_LABELS[a.name as GranularSweepName];
    if (axes.length === 1) {
      const x = axes[0].values;
      const hK = fieldK(r, 'hopping'), cK = fieldK(r, 'coulomb'), tK = fieldK(r, 'total');
      dir.writeText('exchange.svg', lineChart({
        title: 'intergrain exchange z_n H/k_B', xLabel: label(axes[0]), yLabel: 'z_n H / k_B (K)',
        series: [{ name: 'hopping H_h', x, y: hK, color: '#111' }, { name: 'Coulomb H_C', x, y: cK, color: '#d62728' }, { name: 'total H_ex', x, y: tK, color: '#2ca02c' }],
      }));
      figures.push({ title: 'H_h, H_C and H_ex (z_n H/k_B, K; positive = FM)', svgFile: 'exchange.svg', caption: 'The hopping part H_h (black), the Coulomb part H_C (red) and their sum H_ex (green) as z_n H/k_B in K (z_n = 6), positive = ferromagnetic. Data: points.csv (hopping_K, coulomb_K, total_K), terms.npy [point, term] in meV.' });
      const terms = (['hv', 'hp', 'heps', 'lloc', 'lec', 'iex'] as const);
      const colors = d3.schemeCategory10;
      dir.writeText('terms.svg', lineChart({
        title: 'every contribution z_n H/k_B', xLabel: label(axes[0]), yLabel: 'z_n H / k_B (K)',
        series: terms.map((f, k) => ({ name: f, x, y: fieldK(r, f), color: colors[k] })),
      }));
      figures.push({ title: 'H_V, H_P, H_hε, L_loc, L_Ec, I_ex (K)', svgFile: 'terms.svg', caption: 'Every contribution on its own (z_n H/k_B, K): hv, hp and heps add up to the hopping part, lloc, lec and iex to the Coulomb part (docs/models/granular.md). Data: points.csv (<term>_meV and <term>_gross_meV, the sum of |pieces| the accuracy is stated against).' });
      dir.writeText('exchange_log.svg', lineChart({
        title: '|z_n H/k_B| (dashed: negative, AFM)', xLabel: label(axes[0]), yLabel: 'log₁₀ |z_n H/k_B| (K)',
        series: [...signedLog('H_h', x, hK, '#111'), ...signedLog('H_C', x, cK, '#d62728'), ...signedLog('H_ex', x, tK, '#2ca02c')],
      }));
      figures.push({ title: 'log₁₀|z_n H/k_B|, dashed where negative', svgFile: 'exchange_log.svg', caption: 'log₁₀ |z_n H/k_B| (K) of H_h, H_C and H_ex: the decay over decades; a dashed stretch is where that quantity is negative (antiferromagnetic), a dip to −∞ a sign change. Data: points.csv.' });
    } else if (axes.length >= 2) {
      const [ax, ay] = [axes[1], axes[0]];        // first axis slowest → rows (y), second → columns (x)
      const nx = ax.values.length, ny = ay.values.length;
      const slices = axes.length === 3 ? Array.from(new Set([0, Math.floor((axes[2].values.length - 1) / 3), Math.floor((2 * (axes[2].values.length - 1)) / 3), axes[2].values.length - 1])) : [-1];
      for (const s of slices) {
        const idx = (iy: number, ix: number) => axes.length === 3 ? (iy * nx + ix) * axes[2].values.length + s : iy * nx + ix;
        const pick = (f: TermField) => { const v = new Float64Array(nx * ny); for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) v[iy * nx + ix] = r.terms[idx(iy, ix)][f] * K_PER_MEV; return v; };
        const tag = s < 0 ? '' : `_${axes[2].name}${s}`;
        const at = s < 0 ? '' : ` at ${axes[2].name} = ${axes[2].values[s].toPrecision(4)}`;
        const lines = ax.name === 'hB' && ay.name === 'Jsd' ? halfMetalLines(r.job.base.U, ax.values) : [];
        const fields: [TermField, string][] = s < 0 ? [['total', 'H_ex'], ['hopping', 'H_h'], ['coulomb', 'H_C']] : [['total', 'H_ex']];
        for (const [f, sym] of fields) {
          const file = `map_${f}${tag}.svg`;
          const extra = f === 'total' ? [{ values: pick('hopping'), color: '#555', dash: '5 3', label: 'H_h = 0' }, { values: pick('coulomb'), color: '#b8860b', dash: '2 2', label: 'H_C = 0' }] : [];
          dir.writeText(file, signMap(`${sym}: z_n H/k_B${at}`, ax.values, ay.values, label(ax), label(ay), pick(f), extra, lines));
          figures.push({
            title: `${sym} over ${ay.name} × ${ax.name}${at}, sign-change line in black`, svgFile: file,
            caption: `Colour: z_n ${sym}/k_B (K) on a symmetric-log diverging scale, red ferromagnetic, blue antiferromagnetic; black: ${sym} = 0${f === 'total' ? '; grey dashed: H_h = 0; gold dotted: H_C = 0' : ''}${lines.length ? '; thin lines: J_sd = U − h_B (half-metal above) and J_sd = U' : ''}. Data: terms.npy [${axes.map(a => a.name).join(', ')}, term] (meV), axis_<name>.npy, points.csv.`,
          });
        }
      }
    }
    const head = granularSummaryHead(r);
    const c = r.convergence, tw = r.twin;
    return {
      manifest: {
        params: { base: r.job.base, axes: axes.map(a => ({ name: a.name, unit: GRANULAR_UNITS[a.name as GranularSweepName], from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length })), epsEffFollowsEps: r.job.epsEffFollowsEps, rule: r.job.rule },
        backend: r.backend, adapter: r.adapter,
        timings: { kernel: r.seconds, ...(c ? { refinedCheck: c.seconds } : {}), ...(tw ? { twinCheck: tw.seconds } : {}) },
        tolerances: GRANULAR_TOLERANCES,
        extra: {
          normalization: granularNormalization(r.job.base), units: head.units,
          readings: { ...GRANULAR_READINGS, details: 'docs/models/granular.md (A1–A41)' },
          convergence: c ? { ...summarizeCheck(c), note: 'run rule vs RULES.refined on these points; maxRelGross = |Δ| / Σ|pieces|' } : 'not run (--check-points 0)',
          twin: tw ? { ...summarizeCheck(tw), note: 'webgpu float32 vs float64 twin, same rule' } : (r.backend === 'cpu' ? 'cpu backend: the twin is the result' : 'not run'),
          checkPoints: CHECK_NOTE,
          ...sweepExtra(target, r.sweep),
        },
      },
      summary: { ...head, grid: shape },
      report: {
        title: 'nanospin exchange granular',
        summary: {
          backend: `${r.backend} (${r.adapter})`, points: n, 'kernel seconds': r.seconds,
          normalization: granularNormalization(r.job.base),
          'refined-rule change (max |Δ total| / Σ|pieces|)': c ? c.maxRelGross.total : 'not run',
          'webgpu vs twin (max |Δ total| / Σ|pieces|)': tw ? tw.maxRelGross.total : 'n/a',
        },
        figures,
      },
    };
  });
}

export { pointCoordinates };
