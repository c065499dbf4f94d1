// `nanospin exchange granular`: every contribution to the intergrain exchange of two ferromagnetic grains
// (seed 002) over 1D/2D/3D sweeps of h_B, J_sd, ε (and d, a, U, ε_eff), on the device kernel
// (shaders/granular/exchange.wgsl, float32) or its float64 twin, with a coarse-vs-refined quadrature check and
// (on webgpu) a twin check on a subset of points in every run; the run directory and the JSON summary.
import type { Backend } from '../backends/index.ts';
import { KB } from '../numerics/units.ts';
import { granular, granularBands, PARAM_RANGES, Z_SIMPLE_CUBIC, type GranularParams } from '../models/granular/params.ts';
import { TERM_FIELDS, type GranularTerms, type TermField } from '../models/granular/terms.ts';
import { TERM_IDS, TERM_INFO, type TermId } from '../models/granular/domains.ts';
import { granularExchangeKernel, pairGross, pairTerms, PAIR_COUNT, RULES, type GranularRule } from '../kernels/granular/index.ts';
import { granularPairsCpu } from '../kernels/granular/cpu.ts';
import { gridCoordinates, gridPoints, gridShape as axesShape, type SweepAxis } from '../sweeps/params.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepChecks, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import { writePointsJson } from './output.ts';

export const GRANULAR_SWEEP_NAMES = ['hB', 'Jsd', 'eps', 'epsEff', 'd', 'a', 'U'] as const;
export type GranularSweepName = typeof GRANULAR_SWEEP_NAMES[number];
export const GRANULAR_UNITS: Record<GranularSweepName, string> = { hB: 'meV', Jsd: 'meV', eps: '', epsEff: '', d: 'nm', a: 'nm', U: 'meV' };
export const GRANULAR_LABELS: Record<GranularSweepName, string> = {
  hB: 'barrier height h_B (meV)', Jsd: 'J_sd (meV)', eps: 'dielectric constant ε', epsEff: 'effective dielectric constant ε_eff',
  d: 'gap d (nm)', a: 'grain radius a (nm)', U: 'well depth U (meV)',
};

/** Most points one run takes (2^20). */
export const MAX_GRANULAR_POINTS = 1 << 20;

export const GRANULAR_UNITS_NOTE = {
  energies: 'meV (hB, Jsd, U, every contribution: hv, hp, h0, heps, hopping, lloc, lec, iex, coulomb, total)',
  lengths: 'nm (d, a)',
  kelvin: '*K fields: z_n·H/k_B in K (the paper\'s plotted quantity, z_n = 6)',
  sign: 'H = E_AFM − E_FM of one pair of grains: positive = ferromagnetic',
};

export interface GranularJob {
  base: GranularParams;
  /** 0–3 axes; the cartesian product, first axis slowest. */
  axes: SweepAxis[];
  /** ε_eff = ε at every point (the paper's choice) unless ε_eff was given or swept. */
  epsEffFollowsEps: boolean;
  rule: GranularRule;
  /** Points re-run with RULES.refined (and, on webgpu, on the twin); 0 = none, Infinity = all. */
  checkPoints: number;
}

export const gridShape = (job: GranularJob): number[] => axesShape(job.axes);
export const pointCount = (job: GranularJob): number => gridPoints(job.axes);
export const pointCoordinates = (job: GranularJob, i: number): Partial<Record<GranularSweepName, number>> => gridCoordinates(job.axes, i);

export function pointParams(job: GranularJob, i: number): GranularParams {
  const c = pointCoordinates(job, i);
  const p: GranularParams = { ...job.base, ...c };
  if (job.epsEffFollowsEps && c.epsEff === undefined) p.epsEff = p.eps;
  return granular(p);
}

/** Check every swept value against the model's ranges before anything is computed (names the flag). */
export function checkAxes(axes: SweepAxis[]): void {
  for (const a of axes) {
    const r = PARAM_RANGES[a.name as GranularSweepName];
    for (const v of a.values) {
      if (!(v >= r.min && v <= r.max)) throw new RangeError(`--sweep ${a.name}: values must be in [${r.min}, ${r.max}]${r.unit ? ` ${r.unit}` : ''}, got ${v}`);
    }
  }
}

export interface RuleCheck {
  /** Indices of the points re-run. */
  points: number[];
  rule: GranularRule;
  /** Per term: largest |Δ| (meV) and largest |Δ|/Σ|pieces| over the re-run points. */
  maxAbs: Record<TermField, number>;
  maxRelGross: Record<TermField, number>;
  seconds: number;
}

export interface GranularSweepResult {
  job: GranularJob;
  params: GranularParams[];
  /** Scaled band-pair integrals from the kernel (PAIR_COUNT per point). */
  pairs: Float64Array;
  terms: GranularTerms[];
  /** Σ|pieces| per term (meV) and for the sums. */
  gross: Record<TermField, number>[];
  backend: 'webgpu' | 'cpu';
  adapter: string;
  seconds: number;
  /** Standard vs refined rule. */
  convergence?: RuleCheck;
  /** webgpu (float32) vs the float64 twin on the same rule. */
  twin?: RuleCheck;
  /** Chunks resumed and shards merged (a CLI run; absent for library runs). */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** Σ|pieces| of every term field (the sums: Σ of their terms' gross). */
export function grossFields(p: GranularParams, pairs: Float64Array, i: number): Record<TermField, number> {
  const g = pairGross(p, pairs, i);
  const h0 = g.hv + g.hp, hopping = h0 + g.heps, coulomb = g.lloc + g.lec + g.iex;
  return { hv: g.hv, hp: g.hp, h0, heps: g.heps, hopping, lloc: g.lloc, lec: g.lec, iex: g.iex, coulomb, total: hopping + coulomb };
}

/** Spread `k` indices over [0, n) (both ends), plus the index of the largest |total|. */
export function checkIndices(n: number, k: number, terms: GranularTerms[]): number[] {
  if (k <= 0 || n === 0) return [];
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const s = new Set<number>();
  for (let j = 0; j < k; j++) s.add(Math.round((j * (n - 1)) / Math.max(1, k - 1)));
  let best = 0;
  terms.forEach((t, i) => { if (Math.abs(t.total) > Math.abs(terms[best].total)) best = i; });
  s.add(best);
  return [...s].sort((a, b) => a - b);
}

/** Evaluate every point on `backend`; then the refined-rule and twin checks on a subset (library use; the CLI runs granularPlan). */
export async function runGranularSweep(backend: Backend, job: GranularJob, progress?: (fraction: number) => void): Promise<GranularSweepResult> {
  const plan = granularPlan(backend, job, { command: [], version: '' });
  const d = await plan.compute(0, plan.points, progress);
  const check = await plan.check!(0, plan.points, d);
  const { sweep: _, ...r } = granularFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: 0, resumedChunks: 0, shards: [], checks: { '': [check] } });
  return r;
}

/** Per-point arrays: the band-pair integrals (PAIR_COUNT) and the kernel seconds (spreadSeconds). */
export const GRANULAR_WIDTHS = { pairs: PAIR_COUNT, seconds: 1 } as const;

/**
 * One range's share of the refined-rule and twin checks: the check points of the sweep (checkIndices: spread
 * over [0, n) and the point of largest |total|) that lie in the range, plus the range's own largest |total|,
 * each with |Δ| per term field and Σ|pieces|. The result keeps the spread points and the largest of the
 * ranges' largest, i.e. the points and numbers of an uncut run.
 */
export interface CheckCandidate { index: number; absTotal: number; spread: boolean; largest: boolean; gross: number[]; refined: number[]; twin?: number[] }
export interface RangeCheck { candidates: CheckCandidate[]; seconds: { refined: number; twin: number } }

const MAX_GRANULAR_CHUNK = 1 << 15;

function checkSize(job: GranularJob): number {
  const n = pointCount(job);
  if (n > MAX_GRANULAR_POINTS) throw new RangeError(`--sweep: ${n} points is more than the ${MAX_GRANULAR_POINTS} one run takes; split the grid`);
  return n;
}

/** The sweep: every point's integrals alone on the fixed rule; every range checks its share of the check points. */
export function granularPlan(backend: Backend, job: GranularJob, identity: SweepPlan['identity']): SweepPlan {
  const n = checkSize(job);
  return { identity, ...granularPointsPart(backend, n, i => pointParams(job, i), job.rule, job.checkPoints) };
}

/**
 * Any list of points as a sweep (the points of `exchange granular`, a curve or map of `figures granular`):
 * `at(i)` the parameters of point i, `k` check points as checkIndices over the list.
 */
export function granularPointsPart(backend: Backend, n: number, at: (i: number) => GranularParams, rule: GranularRule, k: number): Omit<SweepPlan, 'identity'> {
  const spread = new Set(k <= 0 || n === 0 ? [] : checkIndices(n, k, []));
  return {
    points: n, widths: GRANULAR_WIDTHS,
    chunkPoints: Math.max(1, Math.min(MAX_GRANULAR_CHUNK, Math.ceil(n / 32))),
    async compute(first, count, progress) {
      const params = Array.from({ length: count }, (_, i) => at(first + i));
      const t0 = performance.now();
      const pairs = await backend.run(granularExchangeKernel, params, rule, (d, t) => progress?.(d / t));
      return { pairs, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
    },
    async check(first, count, d): Promise<RangeCheck> {
      if (k <= 0) return { candidates: [], seconds: { refined: 0, twin: 0 } };
      const params = Array.from({ length: count }, (_, i) => at(first + i));
      const terms = params.map((p, i) => pairTerms(p, d.pairs, i));
      let best = 0;
      terms.forEach((t, i) => { if (Math.abs(t.total) > Math.abs(terms[best].total)) best = i; });
      const idx = [...new Set([...[...spread].filter(i => i >= first && i < first + count).map(i => i - first), ...(k >= n ? [] : [best])])].sort((x, y) => x - y);
      const sub = idx.map(i => params[i]);
      let t1 = performance.now();
      const refinedPairs = await backend.run(granularExchangeKernel, sub, RULES.refined);
      const tRefined = (performance.now() - t1) / 1000;
      t1 = performance.now();
      const twin = backend.name === 'webgpu' ? granularPairsCpu(sub, rule) : null;
      const tTwin = (performance.now() - t1) / 1000;
      const candidates = idx.map((i, q): CheckCandidate => {
        const g = grossFields(params[i], d.pairs, i), r = pairTerms(sub[q], refinedPairs, q), w = twin ? pairTerms(sub[q], twin, q) : null;
        return {
          index: first + i, absTotal: Math.abs(terms[i].total), spread: spread.has(first + i), largest: i === best,
          gross: TERM_FIELDS.map(f => g[f]), refined: TERM_FIELDS.map(f => Math.abs(terms[i][f] - r[f])), ...(w ? { twin: TERM_FIELDS.map(f => Math.abs(terms[i][f] - w[f])) } : {}),
        };
      });
      return { candidates, seconds: { refined: tRefined, twin: tTwin } };
    },
  };
}

/** The check points of a sweep (or part) from its ranges' checks: the spread points and the largest of the ranges' largest |total|. */
export function chosenCheckPoints(checks: RangeCheck[]): CheckCandidate[] {
  const all = checks.flatMap(c => c.candidates);
  if (!all.length) return [];
  // the largest |total| of the sweep: the largest of the ranges' largest (ties: the first)
  const top = all.filter(c => c.largest).sort((a, b) => b.absTotal - a.absTotal || a.index - b.index)[0];
  const chosen = new Map<number, CheckCandidate>();
  for (const c of all) if (c.spread || c === top) chosen.set(c.index, c);
  return [...chosen.values()].sort((a, b) => a.index - b.index);
}

/** Largest |Δ| and |Δ|/Σ|pieces| per term over the chosen check points (as compare() of an uncut run). */
function combineChecks(points: CheckCandidate[], which: 'refined' | 'twin', rule: GranularRule, seconds: number): RuleCheck {
  const maxAbs = {} as Record<TermField, number>, maxRel = {} as Record<TermField, number>;
  for (const f of TERM_FIELDS) { maxAbs[f] = 0; maxRel[f] = 0; }
  for (const c of points) TERM_FIELDS.forEach((f, j) => {
    const dlt = c[which]![j];
    maxAbs[f] = Math.max(maxAbs[f], dlt);
    if (c.gross[j] > 0) maxRel[f] = Math.max(maxRel[f], dlt / c.gross[j]);
  });
  return { points: points.map(c => c.index), rule, maxAbs, maxRelGross: maxRel, seconds };
}

/** The sweep's result from its per-point arrays and the ranges' checks. */
export function granularFromArrays(job: GranularJob, d: ChunkData, info: SweepInfo): GranularSweepResult {
  const n = checkSize(job);
  const params = Array.from({ length: n }, (_, i) => pointParams(job, i));
  const pairs = d.pairs;
  const terms = params.map((p, i) => pairTerms(p, pairs, i));
  const gross = params.map((p, i) => grossFields(p, pairs, i));
  const [seconds] = sumSeconds(d.seconds, 1);
  const res: GranularSweepResult = { job, params, pairs, terms, gross, backend: info.backend as GranularSweepResult['backend'], adapter: info.adapter, seconds, sweep: sweepRecord(info) };
  const checks = sweepChecks<RangeCheck>(info), pts = chosenCheckPoints(checks);
  if (pts.length) {
    res.convergence = combineChecks(pts, 'refined', RULES.refined, checks.reduce((a, c) => a + c.seconds.refined, 0));
    if (pts.every(c => c.twin)) res.twin = combineChecks(pts, 'twin', job.rule, checks.reduce((a, c) => a + c.seconds.twin, 0));
  }
  return res;
}

// ---- JSON ----------------------------------------------------------------------------------------

const K_PER_MEV = Z_SIMPLE_CUBIC / KB;

export function granularPointJson(r: GranularSweepResult, i: number): Record<string, number | boolean | string> {
  const p = r.params[i], t = r.terms[i], c = pointCoordinates(r.job, i);
  const o: Record<string, number | boolean | string> = { hB: p.hB, Jsd: p.Jsd, eps: p.eps };
  for (const k of ['epsEff', 'd', 'a', 'U'] as const) if (c[k] !== undefined) o[k] = p[k];
  o.hopping = t.hopping; o.coulomb = t.coulomb; o.total = t.total;
  for (const f of TERM_FIELDS) if (!(f in o)) o[f] = t[f];
  o.hoppingK = t.hopping * K_PER_MEV; o.coulombK = t.coulomb * K_PER_MEV; o.totalK = t.total * K_PER_MEV;
  o.order = t.total > 0 ? 'FM' : t.total < 0 ? 'AFM' : 'none';
  o.halfMetal = granularBands(p).halfMetal;
  return o;
}

/** The readings of the paper implemented (docs/models/granular.md has the reasons); recorded in every manifest. */
export const GRANULAR_READINGS: Record<string, string> = {
  A1: 'potential factor of T: W₁ = U − s₁J_sd (printed −(sJ_sd + U))',
  A2: 'E_F in ΩΔ → U − h_B',
  A4: 'ε sets I_ex; ε_eff sets E_c, ε̃_c = e²/(8πε₀ε_eff a), L_Ec; ε_eff = ε unless given',
  A11: 'H_h = H_h0 + H_hε with Eq. 12 as printed (= c(F − A), FM)',
  A14: 'δ = min(k_F1² − k₁², k_F2² − k₂²)',
  A15: 'half-metal: k_F⁺ = 0 with the general weights w = fd₂ − max(0, fd₁) and energy offsets',
  A21_A23: 'I_ex: R from each state’s own band; factor a in Eq. 27; triangle = ½ square; both cross pairs summed',
  A25_A28: 'ζ → exact lens area; ω_I in closed form (= Eqs. 33–36 with sinh(dΔκ)/Δκ and α̃₁ = −α₁, α̃₂ = +α₂)',
  A29: 'I_ex prefactor multiplier iexNorm (rederived 4, printed 1)',
  A30_A32: 'L_Ec: factor 2 on the cross term of X; + same band, − cross pairs',
  A33_A35: 'L_loc: k₂ limit k_F^{s′}; r = ξ; C_loc > 0',
  A36: 'C_loc power of two llocPow2 (rederived 5, printed 6)',
  sign: 'H = E_AFM − E_FM, positive = FM; plots z_n H/k_B with z_n = 6',
};

export const GRANULAR_TOLERANCES = {
  model: 'adaptive reference (src/models/granular/terms.ts): nested Gauss–Kronrod, each band-pair integral to ≲1e-8 relative (I_ex ≲1e-6)',
  rule: 'fixed product rule (standard: 2 panels of 15 Kronrod nodes per piece at every level, ω̂ series with X ≥ 2.6·max(2k_F, k_max)): ' +
    'each term within ~1e-4 of its Σ|pieces| of the adaptive reference (test/granular.kernel.test.ts); every run re-runs a subset on the refined rule and records the change (convergence)',
  webgpu: 'float32 on the device vs the float64 twin on the same rule: ≤ 2e-6 of each term’s Σ|pieces| (measured ≤ 6e-7 on llvmpipe; asserted in test/granular.kernel.test.ts); ' +
    'a term that cancels to a small fraction of its pieces (J_sd → 0, near a sign change) carries that absolute error',
};

export function granularNormalization(p: GranularParams): string {
  return `I_ex prefactor ×${p.iexNorm} of the printed e²a/(16π⁴ε₀ε) (Eqs. 26–27), C_loc = 3a(U − h_B)/(2^${p.llocPow2} π Σk_F³) (Eq. 39); ` +
    `${p.iexNorm === 4 && p.llocPow2 === 5 ? "the 'rederived' reading (default)" : p.iexNorm === 1 && p.llocPow2 === 6 ? "the 'printed' reading" : 'a custom reading'}; see docs/models/granular.md`;
}

export function granularSummaryHead(r: GranularSweepResult) {
  const p = r.job.base;
  return {
    backend: r.backend, adapter: r.adapter, count: r.params.length, seconds: r.seconds,
    units: GRANULAR_UNITS_NOTE, zn: Z_SIMPLE_CUBIC,
    normalization: granularNormalization(p),
    fixed: { U: p.U, d: p.d, a: p.a, epsEff: r.job.epsEffFollowsEps ? 'ε' : p.epsEff, hB: p.hB, Jsd: p.Jsd, eps: p.eps },
    terms: Object.fromEntries(TERM_IDS.map(t => [t, `${TERM_INFO[t].symbol} (${TERM_INFO[t].equation}): ${TERM_INFO[t].description}`])),
    rule: r.job.rule,
    convergence: r.convergence ? summarizeCheck(r.convergence) : null,
    twin: r.twin ? summarizeCheck(r.twin) : null,
  };
}

export function summarizeCheck(c: RuleCheck) {
  return { points: c.points.length, rule: c.rule, maxAbs: c.maxAbs, maxRelGross: c.maxRelGross, seconds: c.seconds };
}

/** {…head, points: […]} streamed in chunks. */
export function writeGranularJson(write: (s: string) => void, r: GranularSweepResult, extra: Record<string, unknown> = {}): void {
  writePointsJson(write, { ...granularSummaryHead(r), ...extra }, r.params.length, i => granularPointJson(r, i));
}

export type { TermId };
