// Seed 002 (Udalov & Beloborodov), Figs. 2–7 regenerated, and two maps the paper does not show.
//
// Every y-axis is z_n·H/k_B in K (z_n = 6, as in the paper, Sec. VI.1). All figures: U = 5 eV, d = 1 nm,
// ε = ε_eff = 4.5 unless swept. The paper does not list its ranges nor the curves of Figs. 6 and 7; ours:
//   Fig. 2  |L_loc|, |L_Ec|, |I_ex| vs h_B ∈ [0.1, 1.5] eV, a = 1 nm, (a) J_sd = 4.5 eV, (b) 3.8 eV (log, dashed < 0)
//   Fig. 3  L_loc, L_Ec, I_ex vs J_sd ∈ [0, 5.5] eV, a = 5 nm, (a) h_B = 0.5 eV, (b) 0.2 eV
//   Fig. 4  |H_h|, |H_C| vs h_B, a = 5 nm, (a) J_sd = 5 eV, (b) 3.8 eV (log, dashed < 0)
//   Fig. 5  H_h, H_C vs J_sd, (a) h_B = 0.5 eV, (b) 0.2 eV
//   Fig. 6  (a) H_ex vs h_B for J_sd = 3.8, 4.5, 5 eV (log, dashed < 0); (b) H_ex vs J_sd for h_B = 0.2, 0.5 eV
//   Fig. 7  H_ex vs ε ∈ [1, 10] for the four behaviours the text describes, found by a scan of (h_B, J_sd):
//           red FM falling (0.2, 5 eV: "100 K → 30 K"), black FM→AFM (0.2, 4.7 eV), green AFM→FM rising
//           (1.0, 2 eV; tiny, also drawn alone), brown AFM, |H| falling (0.2, 3.8 eV; divided by 5 as in the paper).
//   Maps    H_ex, H_h, H_C over (h_B, J_sd) with the half-metal line, and H_ex over (ε, J_sd) at h_B = 0.2 and
//           0.5 eV, each with its sign-change line (and the zero lines of H_h and H_C on the H_ex maps).
// Every curve and map is a part of one resumable, shardable sweep (granularFiguresPlan); a few points per curve
// and map are re-run on the refined rule (and on the float64 twin when on webgpu), and the largest changes are
// recorded (the same points and numbers however the sweep is sharded). Figs. 6 and 7 also draw
// H_ex in the printed normalisation (grey dashed): re-assembled from the same band-pair integrals.
import * as d3 from 'd3';
import type { Backend } from '../backends/index.ts';
import { KB } from '../numerics/units.ts';
import { granular, NORMALIZATIONS, Z_SIMPLE_CUBIC, type GranularParams, type NormalizationName } from '../models/granular/params.ts';
import { TERM_FIELDS, type GranularTerms, type TermField } from '../models/granular/terms.ts';
import { pairTerms, type GranularRule } from '../kernels/granular/index.ts';
import { linspace } from '../sweeps/grid.ts';
import { lineChart, type LineSeries } from '../plots/svg.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { chosenCheckPoints, GRANULAR_READINGS, GRANULAR_TOLERANCES, granularNormalization, granularPointsPart, type RangeCheck } from './granular.ts';
import { partData, type ChunkData, type SweepParts } from '../sweeps/chunked.ts';
import { sumSeconds, sweepChecks, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import { halfMetalLines, signMap } from './granularOutput.ts';
import { signedLog } from './granularPlots.ts';

export const FIGURE_DEFAULTS = { points: 57, resolution: 41 };
const K_PER_MEV = Z_SIMPLE_CUBIC / KB;
const RANGES = { hB: [100, 1500] as const, Jsd: [0, 5500] as const, eps: [1, 10] as const, mapJsd: [0, 6000] as const, mapEps: [1, 20] as const };

type XName = 'hB' | 'Jsd' | 'eps';
interface CurveSpec { label: string; fixed: Partial<GranularParams>; field: TermField; color: string; scale?: number }
interface PanelSpec { id: string; title: string; x: XName; log: boolean; curves: CurveSpec[]; note: string }

const LABEL: Record<XName, string> = { hB: 'barrier height h_B (meV)', Jsd: 'J_sd (meV)', eps: 'dielectric constant ε (= ε_eff)' };
const BLACK = '#111', BLUE = '#1f77b4', RED = '#d62728', GREEN = '#2ca02c', BROWN = '#8c564b';

export const FIG7_CURVES: { label: string; hB: number; Jsd: number; color: string; scale: number; behaviour: string }[] = [
  { label: 'red: h_B 0.2, J_sd 5 eV', hB: 200, Jsd: 5000, color: RED, scale: 1, behaviour: 'FM, falls with ε ("100 K → 30 K")' },
  { label: 'black: h_B 0.2, J_sd 4.7 eV', hB: 200, Jsd: 4700, color: BLACK, scale: 1, behaviour: 'FM → AFM with growing ε' },
  { label: 'green: h_B 1.0, J_sd 2 eV', hB: 1000, Jsd: 2000, color: GREEN, scale: 1, behaviour: 'AFM → FM, rising (hopping-dominated ε dependence)' },
  { label: 'brown ÷ 5: h_B 0.2, J_sd 3.8 eV', hB: 200, Jsd: 3800, color: BROWN, scale: 0.2, behaviour: 'AFM, |H| falls with ε (I_ex < 0)' },
];

export function panelSpecs(): PanelSpec[] {
  const a1 = { a: 1 }, a5 = { a: 5 };
  const coul = (f: Partial<GranularParams>): CurveSpec[] => [
    { label: 'L_loc', fixed: f, field: 'lloc', color: BLACK }, { label: 'L_Ec', fixed: f, field: 'lec', color: BLUE }, { label: 'I_ex', fixed: f, field: 'iex', color: RED }];
  const hc = (f: Partial<GranularParams>): CurveSpec[] => [{ label: 'H_h', fixed: f, field: 'hopping', color: BLACK }, { label: 'H_C', fixed: f, field: 'coulomb', color: RED }];
  return [
    { id: 'fig2a', title: 'Fig. 2(a): a = 1 nm, J_sd = 4.5 eV', x: 'hB', log: true, curves: coul({ ...a1, Jsd: 4500 }), note: 'half-metal for h_B > 0.5 eV' },
    { id: 'fig2b', title: 'Fig. 2(b): a = 1 nm, J_sd = 3.8 eV', x: 'hB', log: true, curves: coul({ ...a1, Jsd: 3800 }), note: 'half-metal for h_B > 1.2 eV' },
    { id: 'fig3a', title: 'Fig. 3(a): a = 5 nm, h_B = 0.5 eV', x: 'Jsd', log: false, curves: coul({ ...a5, hB: 500 }), note: '' },
    { id: 'fig3b', title: 'Fig. 3(b): a = 5 nm, h_B = 0.2 eV', x: 'Jsd', log: false, curves: coul({ ...a5, hB: 200 }), note: '' },
    { id: 'fig4a', title: 'Fig. 4(a): a = 5 nm, J_sd = 5 eV', x: 'hB', log: true, curves: hc({ ...a5, Jsd: 5000 }), note: 'no minority states below the barrier top (J_sd = U)' },
    { id: 'fig4b', title: 'Fig. 4(b): a = 5 nm, J_sd = 3.8 eV', x: 'hB', log: true, curves: hc({ ...a5, Jsd: 3800 }), note: '' },
    { id: 'fig5a', title: 'Fig. 5(a): a = 5 nm, h_B = 0.5 eV', x: 'Jsd', log: false, curves: hc({ ...a5, hB: 500 }), note: '' },
    { id: 'fig5b', title: 'Fig. 5(b): a = 5 nm, h_B = 0.2 eV', x: 'Jsd', log: false, curves: hc({ ...a5, hB: 200 }), note: '' },
    {
      id: 'fig6a', title: 'Fig. 6(a): H_ex vs h_B, a = 5 nm', x: 'hB', log: true, note: 'J_sd values are ours (the paper does not list them)',
      curves: [3800, 4500, 5000].map((J, k) => ({ label: `J_sd = ${J / 1000} eV`, fixed: { ...a5, Jsd: J }, field: 'total' as const, color: [BLACK, BLUE, RED][k] })),
    },
    {
      id: 'fig6b', title: 'Fig. 6(b): H_ex vs J_sd, a = 5 nm', x: 'Jsd', log: false, note: 'h_B values are ours',
      curves: [200, 500].map((h, k) => ({ label: `h_B = ${h / 1000} eV`, fixed: { ...a5, hB: h }, field: 'total' as const, color: [BLACK, RED][k] })),
    },
    {
      id: 'fig7', title: 'Fig. 7: H_ex vs ε, a = 5 nm', x: 'eps', log: false, note: '(h_B, J_sd) of the curves are ours, chosen to show the four behaviours of the text',
      curves: FIG7_CURVES.map(c => ({ label: c.label, fixed: { ...a5, hB: c.hB, Jsd: c.Jsd }, field: 'total' as const, color: c.color, scale: c.scale })),
    },
  ];
}

export interface FigureOptions { points: number; resolution: number; normalization: NormalizationName; rule: GranularRule; checkPoints: number }

export interface FigureRecord {
  id: string; title: string; svgFile: string; csvFile?: string; npyFile?: string;
  /** x where each drawn field changes sign (linear interpolation), per curve label. */
  signChanges: Record<string, number[]>;
  /** The same under the other normalisation (re-assembled from the same integrals). */
  signChangesOther?: Record<string, number[]>;
  extremes: Record<string, { min: number; max: number }>;
  note: string;
  /** The report's caption: what is plotted, how to read it, where the numbers are. */
  caption: string;
}

/** "at 412, 1.3e+03 meV" or "none" for the sign changes of each curve. */
function signChangeText(sc: Record<string, number[]>, unit: string): string {
  const parts = Object.entries(sc).filter(([, xs]) => xs.length).map(([k, xs]) => `${k} at ${xs.join(', ')}${unit}`);
  return parts.length ? `Sign changes (FM ↔ AFM): ${parts.join('; ')}.` : 'No sign change in range.';
}

export interface FiguresRun {
  dir: string; backend: 'webgpu' | 'cpu'; adapter: string; seconds: number; kernelSeconds: number; points: number;
  figures: FigureRecord[];
  checks: { refinedMaxRelGross: number; refinedMaxAbsK: number; twinMaxRelGross: number | null; twinMaxAbsK: number | null; points: number };
}

function signChanges(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < y.length; i++) {
    if ((y[i - 1] < 0 && y[i] > 0) || (y[i - 1] > 0 && y[i] < 0)) out.push(x[i - 1] + (x[i] - x[i - 1]) * (y[i - 1] / (y[i - 1] - y[i])));
  }
  return out.map(v => Number(v.toPrecision(5)));
}

/** Every curve and map of the figures: the points of each (a part of the figures sweep, keyed `fig2a-0`, `map_hB_Jsd`). */
function figureLayout(opts: FigureOptions) {
  const norm = NORMALIZATIONS[opts.normalization];
  const base = (f: Partial<GranularParams>) => granular({ ...norm, ...f, epsEff: f.eps ?? 4.5 });
  const xs: Record<XName, Float64Array> = {
    hB: linspace(RANGES.hB[0], RANGES.hB[1], opts.points), Jsd: linspace(RANGES.Jsd[0], RANGES.Jsd[1], opts.points), eps: linspace(RANGES.eps[0], RANGES.eps[1], opts.points),
  };
  const panels = panelSpecs().map(p => ({
    ...p, curves: p.curves.map((c, k) => ({ ...c, key: `${p.id}-${k}`, params: Array.from(xs[p.x], x => base({ ...c.fixed, [p.x]: x })) })),
  }));
  const R = opts.resolution;
  const mhB = linspace(RANGES.hB[0], RANGES.hB[1], R), mJ = linspace(RANGES.mapJsd[0], RANGES.mapJsd[1], R), mEps = linspace(RANGES.mapEps[0], RANGES.mapEps[1], R);
  const maps = [
    { id: 'map_hB_Jsd', yName: 'Jsd', xName: 'hB', x: mhB, y: mJ, at: (x: number, y: number) => base({ a: 5, hB: x, Jsd: y }), title: 'H_ex over (h_B, J_sd), a = 5 nm, ε = 4.5' },
    { id: 'map_eps_Jsd_h200', yName: 'Jsd', xName: 'eps', x: mEps, y: mJ, at: (x: number, y: number) => base({ a: 5, hB: 200, Jsd: y, eps: x }), title: 'H_ex over (ε, J_sd), h_B = 0.2 eV, a = 5 nm' },
    { id: 'map_eps_Jsd_h500', yName: 'Jsd', xName: 'eps', x: mEps, y: mJ, at: (x: number, y: number) => base({ a: 5, hB: 500, Jsd: y, eps: x }), title: 'H_ex over (ε, J_sd), h_B = 0.5 eV, a = 5 nm' },
  ].map(m => ({ ...m, key: m.id, params: Array.from(m.y).flatMap(y => Array.from(m.x, x => m.at(x, y))) }));
  // check points: a share of --check-points per curve, --check-points per map
  const sets = [
    ...panels.flatMap(p => p.curves.map(c => ({ key: c.key, params: c.params, checks: Math.max(0, Math.round(opts.checkPoints / p.curves.length)) }))),
    ...maps.map(m => ({ key: m.key, params: m.params, checks: opts.checkPoints })),
  ];
  return { xs, panels, maps, sets, points: sets.reduce((a, x) => a + x.params.length, 0) };
}

export const FIGURES_CHECK_NOTE = 'per curve round(--check-points / curves of its panel) and per map --check-points points (spread over it, and its largest |H_ex|) re-run on RULES.refined (and, on webgpu, on the float64 twin); ' +
  'sharded, every shard checks those it holds and the merge keeps the same points as an unsharded run, so the numbers are the same';

/** The figures as one sweep of parts (a curve or a map each), resumable and shardable. */
export function granularFiguresPlan(backend: Backend, opts: FigureOptions, identity: SweepParts['identity'], stage?: (s: string) => void): SweepParts {
  const L = figureLayout(opts);
  stage?.(`${L.points} points (${L.panels.length} panels, ${L.maps.length} maps of ${opts.resolution} × ${opts.resolution}) on ${backend.name}`);
  return { identity, parts: L.sets.map(x => ({ key: x.key, ...granularPointsPart(backend, x.params.length, i => x.params[i], opts.rule, x.checks) })) };
}

/** Write the figures from the parts' arrays (the run's own, or merged shards'). */
export async function writeGranularFiguresFromArrays(target: OutputTarget, opts: FigureOptions, data: ChunkData, info: SweepInfo): Promise<FiguresRun> {
  const t0 = performance.now();
  const otherName: NormalizationName = opts.normalization === 'rederived' ? 'printed' : 'rederived';
  const other = NORMALIZATIONS[otherName];
  const L = figureLayout(opts), { xs, panels, maps } = L;
  const terms: Record<string, GranularTerms[]> = {}, termsOther: Record<string, GranularTerms[]> = {};
  let kernelSeconds = 0;
  for (const x of L.sets) {
    const d = partData(data, x.key);
    terms[x.key] = x.params.map((p, i) => pairTerms(p, d.pairs, i));
    termsOther[x.key] = x.params.map((p, i) => pairTerms({ ...p, ...other }, d.pairs, i));
    kernelSeconds += sumSeconds(d.seconds, 1)[0];
  }
  // quadrature and twin checks: the chosen points of every curve and map, |Δ H_ex|
  const T = TERM_FIELDS.indexOf('total');
  const chosen = L.sets.flatMap(x => chosenCheckPoints(sweepChecks<RangeCheck>(info, x.key)));
  const checkSeconds = L.sets.reduce((a, x) => a + sweepChecks<RangeCheck>(info, x.key).reduce((b, c) => b + c.seconds.refined + c.seconds.twin, 0), 0);
  const checks: FiguresRun['checks'] = { refinedMaxRelGross: 0, refinedMaxAbsK: 0, twinMaxRelGross: null, twinMaxAbsK: null, points: chosen.length };
  const twin = chosen.length > 0 && chosen.every(c => c.twin);
  for (const c of chosen) {
    const g = c.gross[T] || 1;
    checks.refinedMaxRelGross = Math.max(checks.refinedMaxRelGross, c.refined[T] / g);
    checks.refinedMaxAbsK = Math.max(checks.refinedMaxAbsK, c.refined[T] * K_PER_MEV);
    if (twin) {
      checks.twinMaxRelGross = Math.max(checks.twinMaxRelGross ?? 0, c.twin![T] / g);
      checks.twinMaxAbsK = Math.max(checks.twinMaxAbsK ?? 0, c.twin![T] * K_PER_MEV);
    }
  }
  const first = L.sets[0].params[0];

  const records: FigureRecord[] = [];
  const dir = await withRunDir(target, d => {
    for (const p of panels) {
      const x = xs[p.x];
      const series: LineSeries[] = [];
      const cols: Record<string, Float64Array> = { [p.x]: x };
      const sc: Record<string, number[]> = {}, scO: Record<string, number[]> = {}, ext: Record<string, { min: number; max: number }> = {};
      const npy = new Float64Array(p.curves.length * x.length);
      p.curves.forEach((c, k) => {
        const y = Float64Array.from({ length: x.length }, (_, j) => terms[c.key][j][c.field] * K_PER_MEV * (c.scale ?? 1));
        const yo = Float64Array.from({ length: x.length }, (_, j) => termsOther[c.key][j][c.field] * K_PER_MEV * (c.scale ?? 1));
        npy.set(y, k * x.length);
        cols[`${c.label} (K)`] = y;
        cols[`${c.label} [${otherName}] (K)`] = yo;
        sc[c.label] = signChanges(x, y); scO[c.label] = signChanges(x, yo);
        ext[c.label] = { min: Number(d3.min(y)!.toPrecision(4)), max: Number(d3.max(y)!.toPrecision(4)) };
        if (p.log) series.push(...signedLog(c.label, x, y, c.color));
        else series.push({ name: c.label, x, y, color: c.color });
        if ((p.id.startsWith('fig6') || p.id === 'fig7') && !p.log) series.push({ name: `${c.label} [${otherName}]`, x, y: yo, color: '#999', dash: '3 3', width: 1 });
      });
      const yLabel = p.log ? 'log₁₀ |z_n H / k_B| (K); dashed: H < 0 (AFM)' : 'z_n H / k_B (K)';
      d.writeText(`${p.id}.svg`, lineChart({ title: p.title, xLabel: LABEL[p.x], yLabel, series }));
      d.writeCsv(`${p.id}.csv`, cols);
      d.writeNpy(`${p.id}.npy`, npy, [p.curves.length, x.length]);
      const unit = p.x === 'eps' ? '' : ' meV';
      const caption = `${p.log ? 'log₁₀ |z_n H/k_B| (K) of each term; a dashed stretch is where that term is negative (antiferromagnetic).' : 'z_n H/k_B (K), positive = ferromagnetic.'}` +
        `${(p.id.startsWith('fig6') || p.id === 'fig7') && !p.log ? ` Grey dashed: the same curves under the ${otherName} normalisation.` : ''} ${signChangeText(sc, unit)}${p.note ? ` ${p.note}.` : ''}` +
        ` Data: ${p.id}.csv (both normalisations), ${p.id}.npy [curve, x].`;
      records.push({ id: p.id, title: p.title, svgFile: `${p.id}.svg`, csvFile: `${p.id}.csv`, npyFile: `${p.id}.npy`, signChanges: sc, signChangesOther: scO, extremes: ext, note: p.note, caption });
      if (p.id === 'fig7') {
        const c = p.curves[2];
        const y = Float64Array.from({ length: x.length }, (_, j) => terms[c.key][j].total * K_PER_MEV);
        d.writeText('fig7_green.svg', lineChart({ title: 'Fig. 7, green curve alone (AFM → FM)', xLabel: LABEL.eps, yLabel: 'z_n H / k_B (K)', series: [{ name: c.label, x, y, color: GREEN }] }));
        const scG = { [c.label]: signChanges(x, y) };
        records.push({ id: 'fig7_green', title: 'Fig. 7 green curve, magnified', svgFile: 'fig7_green.svg', signChanges: scG, extremes: {}, note: '',
          caption: `The green curve of Fig. 7 on its own scale: z_n H_ex/k_B (K) vs ε, the antiferromagnetic → ferromagnetic change the text describes. ${signChangeText(scG, '')} Data: fig7.csv.` });
      }
    }
    for (const m of maps) {
      const nx = m.x.length, ny = m.y.length;
      const field = (f: TermField, src = terms) => { const v = new Float64Array(nx * ny); for (let k = 0; k < nx * ny; k++) v[k] = src[m.key][k][f] * K_PER_MEV; return v; };
      const tot = field('total'), hop = field('hopping'), cou = field('coulomb');
      const lines = m.xName === 'hB' ? halfMetalLines(5000, m.x) : [];
      const xl = m.xName === 'hB' ? LABEL.hB : 'dielectric constant ε (= ε_eff)';
      d.writeText(`${m.id}.svg`, signMap(`${m.title}: z_n H_ex/k_B`, m.x, m.y, xl, LABEL.Jsd, tot,
        [{ values: hop, color: '#555', dash: '5 3', label: 'H_h = 0' }, { values: cou, color: '#b8860b', dash: '2 2', label: 'H_C = 0' },
          { values: field('total', termsOther), color: '#7b2cbf', dash: '1 2', label: `H_ex = 0 [${otherName}]` }], lines));
      const cube = new Float64Array(TERM_FIELDS.length * nx * ny);
      TERM_FIELDS.forEach((f, k) => cube.set(field(f), k * nx * ny));
      d.writeNpy(`${m.id}.npy`, cube, [TERM_FIELDS.length, ny, nx]);
      d.writeNpy(`${m.id}_${m.xName}.npy`, m.x, [nx]); d.writeNpy(`${m.id}_Jsd.npy`, m.y, [ny]);
      const extremes = { total: { min: Number(d3.min(tot)!.toPrecision(4)), max: Number(d3.max(tot)!.toPrecision(4)) } };
      const mapData = `Data: ${m.id}.npy [${TERM_FIELDS.join(', ')}; J_sd; ${m.xName}] in K, axes ${m.id}_${m.xName}.npy, ${m.id}_Jsd.npy (meV).`;
      records.push({ id: m.id, title: `${m.title} (sign change in black; H_h = 0 grey dashed, H_C = 0 gold dotted)`, svgFile: `${m.id}.svg`, npyFile: `${m.id}.npy`, signChanges: {}, extremes, note: '',
        caption: `Colour: total z_n H_ex/k_B (K) on a diverging scale, red ferromagnetic, blue antiferromagnetic (range ${extremes.total.min} … ${extremes.total.max} K). Black: H_ex = 0, the sign change the paper does not map; grey dashed: hopping part H_h = 0; gold dotted: Coulomb part H_C = 0; purple dotted: H_ex = 0 under the ${otherName} normalisation${lines.length ? '; thin lines: J_sd = U − h_B (half-metal above) and J_sd = U' : ''}. ${mapData}` });
      if (m.xName === 'hB') {
        for (const [f, v, sym] of [['hopping', hop, 'H_h'], ['coulomb', cou, 'H_C']] as const) {
          d.writeText(`${m.id}_${f}.svg`, signMap(`${sym} over (h_B, J_sd): z_n H/k_B`, m.x, m.y, xl, LABEL.Jsd, v, [], lines));
          records.push({ id: `${m.id}_${f}`, title: `${sym} over (h_B, J_sd), sign change in black`, svgFile: `${m.id}_${f}.svg`, signChanges: {}, extremes: {}, note: '',
            caption: `Colour: the ${f === 'hopping' ? 'hopping' : 'Coulomb'} part ${sym} alone, z_n ${sym}/k_B (K), diverging; black: ${sym} = 0; thin lines: J_sd = U − h_B and J_sd = U. ${mapData}` });
        }
      }
    }
    const summary = {
      normalization: granularNormalization(first), other: otherName, rule: opts.rule, points: L.points, checks,
      figures: records.map(r => ({ id: r.id, signChanges: r.signChanges, signChangesOther: r.signChangesOther, extremes: r.extremes, note: r.note })),
      fig7: FIG7_CURVES,
    };
    return {
      manifest: {
        params: { ...opts, ranges: RANGES, U: 5000, d: 1, fig7: FIG7_CURVES }, backend: info.backend, adapter: info.adapter,
        timings: { kernel: kernelSeconds, checks: checkSeconds, total: kernelSeconds + checkSeconds + (performance.now() - t0) / 1000 }, tolerances: GRANULAR_TOLERANCES,
        extra: {
          normalization: summary.normalization, checks, checkPoints: FIGURES_CHECK_NOTE, readings: { ...GRANULAR_READINGS, details: 'docs/models/granular.md' },
          units: 'every y-axis z_n H/k_B in K (z_n = 6); h_B, J_sd in meV', ...sweepExtra(target, sweepRecord(info)),
        },
      },
      summary,
      report: {
        title: 'nanospin figures granular (seed 002)',
        summary: {
          backend: `${info.backend} (${info.adapter})`, points: L.points, 'kernel seconds': kernelSeconds, normalization: summary.normalization,
          'refined-rule change of H_ex (max, K)': checks.refinedMaxAbsK, 'webgpu vs twin (max, K)': checks.twinMaxAbsK ?? 'n/a',
        },
        figures: records.map(r => ({ title: r.title, svgFile: r.svgFile, caption: r.caption })),
      },
    };
  });
  const seconds = kernelSeconds + checkSeconds + (performance.now() - t0) / 1000;
  return { dir, backend: info.backend as FiguresRun['backend'], adapter: info.adapter, seconds, kernelSeconds, points: L.points, figures: records, checks };
}

export function granularFiguresSummary(run: FiguresRun) {
  return {
    backend: run.backend, adapter: run.adapter, seconds: run.seconds, kernelSeconds: run.kernelSeconds, points: run.points, checks: run.checks,
    figures: run.figures.map(f => ({ id: f.id, svg: f.svgFile, signChanges: f.signChanges, extremes: f.extremes })),
  };
}
