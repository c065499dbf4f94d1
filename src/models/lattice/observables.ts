// Equilibrium observables of lattice samples (Langevin or Metropolis), float64.
//
// Per sample s of a replica: m_s = |M_s|/N (M = Σ_i m_i), e_s = E_s/N. Per temperature point, pooled over its
// replicas (equal sample counts): ⟨m⟩ (`magnetization`), χ = N(⟨m²⟩ − ⟨m⟩²)/(k_BT) (per grain, meV⁻¹: the
// response of the magnetization per grain to a Zeeman energy), the Binder cumulant U = 1 − ⟨m⁴⟩/(3⟨m²⟩²)
// (O(3): 4/9 deep in the disordered phase, 2/3 in the ordered one), the energy per grain ⟨e⟩ (meV) and the heat
// capacity per grain C/k_B = N(⟨e²⟩ − ⟨e⟩²)/(k_BT)².
// Standard errors: jackknife over G independent groups. With ≥ MIN_GROUPS replicas the groups are the replicas
// (independent trajectories: exact independence); with fewer, each replica's series is cut into ⌈MIN_GROUPS/R⌉
// contiguous blocks (blocking: valid when a block is much longer than the autocorrelation time).
import { KB } from '../../numerics/units.ts';

export const MIN_GROUPS = 8;

export interface SampleSeries {
  /** Samples per replica. */
  samples: number;
  /** [replica][sample][xyz]. */
  M: ArrayLike<number>;
  /** [replica][sample]. */
  E: ArrayLike<number>;
  /** Σ_i |m_i × h_i|² and Σ_i Δ_S E per replica and sample (configurational temperature); optional. */
  gradSq?: ArrayLike<number>;
  laplacian?: ArrayLike<number>;
}

export interface PointStats {
  temperature: number;
  replicas: number;
  samples: number;
  magnetization: number;
  magnetizationStderr: number;
  /** meV⁻¹ (null at T = 0). */
  susceptibility: number | null;
  susceptibilityStderr: number | null;
  binder: number;
  binderStderr: number;
  /** meV per grain. */
  energy: number;
  energyStderr: number;
  /** Per grain, in units of k_B (null at T = 0). */
  heatCapacity: number | null;
  heatCapacityStderr: number | null;
  /** ⟨m²⟩, ⟨m⁴⟩. */
  m2: number;
  m4: number;
  /**
   * Configurational temperature Σ⟨|m × h|²⟩/(k_B Σ⟨Δ_S E⟩) (K): the temperature the samples actually have (equal to
   * the bath temperature for exact Boltzmann sampling; lower by the time-step bias of the Langevin scheme). null
   * without the pair or at T = 0.
   */
  configurationalTemperature: number | null;
  configurationalTemperatureStderr: number | null;
  /** ⟨M⟩/N as a vector (meaningful with a field or anisotropy that fixes a direction) and its standard errors. */
  magnetizationVector: [number, number, number];
  magnetizationVectorStderr: [number, number, number];
  /** 'replicas' or 'blocking'. */
  errors: 'replicas' | 'blocking';
  groups: number;
}

/** Sums per jackknife group: m, m², m⁴, e, e², |m × h|², Δ_S E, M_x/N, M_y/N, M_z/N. */
export const GROUP_SUMS = 10;

/** The jackknife groups of a temperature's R replicas of S samples: the replicas (R ≥ MIN_GROUPS), or R × blocks. */
export function groupLayout(replicas: number, samples: number): { byReplica: boolean; blocks: number; groups: number } {
  const byReplica = replicas >= MIN_GROUPS;
  const blocks = byReplica ? 1 : Math.min(samples, Math.ceil(MIN_GROUPS / replicas));
  return { byReplica, blocks, groups: replicas * blocks };
}

/**
 * The group sums (GROUP_SUMS per group, group-major) and sample counts of the replicas `reps` of a run with N
 * sites per replica: everything pointStats needs (statsFromGroups), so a sweep can keep these per temperature
 * instead of the series and rebuild every statistic bit for bit.
 */
export function groupSums(series: SampleSeries, N: number, reps: number[]): { sums: Float64Array; counts: Float64Array } {
  const S = series.samples;
  if (S < 1 || reps.length < 1) throw new RangeError('lattice statistics: need at least one sample of one replica');
  const { blocks, groups: G } = groupLayout(reps.length, S);
  const W = GROUP_SUMS, conf = series.gradSq !== undefined && series.laplacian !== undefined;
  const sums = new Float64Array(W * G), counts = new Float64Array(G);
  reps.forEach((r, k) => {
    for (let s = 0; s < S; s++) {
      const q = r * S + s, g = k * blocks + Math.min(blocks - 1, Math.floor((s * blocks) / S));
      const mx = series.M[3 * q], my = series.M[3 * q + 1], mz = series.M[3 * q + 2];
      const m2 = (mx * mx + my * my + mz * mz) / (N * N), m = Math.sqrt(m2), e = series.E[q] / N;
      const o = W * g;
      sums[o] += m; sums[o + 1] += m2; sums[o + 2] += m2 * m2; sums[o + 3] += e; sums[o + 4] += e * e;
      if (conf) { sums[o + 5] += series.gradSq![q]; sums[o + 6] += series.laplacian![q]; }
      sums[o + 7] += mx / N; sums[o + 8] += my / N; sums[o + 9] += mz / N;
      counts[g]++;
    }
  });
  return { sums, counts };
}

/** Observables of the replicas `reps` (all at `temperature`) of a run with N sites per replica. */
export function pointStats(series: SampleSeries, N: number, reps: number[], temperature: number): PointStats {
  const { sums, counts } = groupSums(series, N, reps);
  return statsFromGroups(sums, counts, { N, temperature, replicas: reps.length, samples: series.samples, conf: series.gradSq !== undefined && series.laplacian !== undefined });
}

/** The observables from the group sums of groupSums (`conf`: the sums hold the configurational-temperature pair). */
export function statsFromGroups(sums: Float64Array, counts: Float64Array, o: { N: number; temperature: number; replicas: number; samples: number; conf: boolean }): PointStats {
  const { N, temperature, conf } = o, W = GROUP_SUMS;
  const { byReplica, groups: G } = groupLayout(o.replicas, o.samples);
  if (sums.length !== W * G || counts.length !== G) throw new RangeError(`lattice statistics: ${counts.length} groups of sums given, ${G} expected`);
  const kT = KB * temperature;
  const derived = (t: Float64Array, n: number) => {
    const m = t[0] / n, m2 = t[1] / n, m4 = t[2] / n, e = t[3] / n, e2 = t[4] / n;
    return [m, kT > 0 ? (N * (m2 - m * m)) / kT : NaN, 1 - m4 / (3 * m2 * m2), e, kT > 0 ? (N * (e2 - e * e)) / (kT * kT) : NaN, m2, m4,
      conf && kT > 0 ? t[5] / t[6] / KB : NaN, t[7] / n, t[8] / n, t[9] / n];
  };
  const total = new Float64Array(W);
  let n = 0;
  for (let g = 0; g < G; g++) { for (let a = 0; a < W; a++) total[a] += sums[W * g + a]; n += counts[g]; }
  const full = derived(total, n);
  const err = new Float64Array(full.length);
  if (G >= 2) {
    const loo = new Float64Array(W), jk: number[][] = [];
    for (let g = 0; g < G; g++) {
      for (let a = 0; a < W; a++) loo[a] = total[a] - sums[W * g + a];
      jk.push(derived(loo, n - counts[g]));
    }
    for (let a = 0; a < full.length; a++) {
      let mean = 0; for (const v of jk) mean += v[a]; mean /= G;
      let s2 = 0; for (const v of jk) s2 += (v[a] - mean) ** 2;
      err[a] = Math.sqrt(((G - 1) / G) * s2);
    }
  } else err.fill(NaN);
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    temperature, replicas: o.replicas, samples: o.samples,
    magnetization: full[0], magnetizationStderr: err[0],
    susceptibility: fin(full[1]), susceptibilityStderr: fin(err[1]),
    binder: full[2], binderStderr: err[2],
    energy: full[3], energyStderr: err[3],
    heatCapacity: fin(full[4]), heatCapacityStderr: fin(err[4]),
    m2: full[5], m4: full[6],
    configurationalTemperature: fin(full[7]), configurationalTemperatureStderr: fin(err[7]),
    magnetizationVector: [full[8], full[9], full[10]], magnetizationVectorStderr: [err[8], err[9], err[10]], errors: byReplica ? 'replicas' : 'blocking', groups: G,
  };
}

export interface BinderCrossing {
  /** Crossing temperature (K), its standard error, and U there. */
  temperature: number;
  stderr: number;
  binder: number;
  /** Points of each curve used in the fits, and χ²/dof of the two weighted lines together. */
  points: number;
  chi2PerDof: number | null;
}

/** One point of a Binder-cumulant curve: its temperature (bath or configurational, K), U and σ(U). */
export interface BinderPoint { temperature: number; binder: number; binderStderr: number }

/**
 * Crossing of two sizes' Binder cumulants U_a(T), U_b(T), both run at the same ordered list of bath temperatures
 * (their abscissae may differ slightly, e.g. configurational temperatures). The bracket is where ΔU = U_a − U_b
 * changes sign (the one with the smallest |ΔU| on both sides if there are several); each curve gets a weighted
 * straight line (weights 1/σ²) through its points of the bracket and one neighbour on each side (≤ 4 points);
 * the lines' intersection is T*, and its standard error comes from the two fits' covariances (the runs are
 * independent), widened by √(χ²/dof) when that exceeds 1. null when ΔU does not change sign.
 */
export function binderCrossing(a: BinderPoint[], b: BinderPoint[]): BinderCrossing | null {
  const n = a.length;
  if (b.length !== n || n < 2) throw new RangeError('binderCrossing: two cumulant curves on the same ≥ 2 temperatures are needed');
  const d = a.map((p, k) => p.binder - b[k].binder);
  let best = -1, score = Infinity;
  for (let k = 0; k + 1 < n; k++) {
    if ((d[k] < 0) !== (d[k + 1] < 0)) {
      const sc = Math.abs(d[k]) + Math.abs(d[k + 1]);
      if (sc < score) { score = sc; best = k; }
    }
  }
  if (best < 0) return null;
  const lo = Math.max(0, best - 1), hi = Math.min(n - 1, best + 2);
  const x0 = 0.5 * (a[best].temperature + a[best + 1].temperature);
  const fit = (c: BinderPoint[]) => {
    let S = 0, Sx = 0, Sxx = 0, Sy = 0, Sxy = 0;
    for (let k = lo; k <= hi; k++) {
      const v = c[k].binderStderr ** 2, w = Number.isFinite(v) && v > 0 ? 1 / v : 1, x = c[k].temperature - x0, y = c[k].binder;
      S += w; Sx += w * x; Sxx += w * x * x; Sy += w * y; Sxy += w * x * y;
    }
    const D = S * Sxx - Sx * Sx;
    const p0 = (Sxx * Sy - Sx * Sxy) / D, p1 = (S * Sxy - Sx * Sy) / D;
    let chi2 = 0;
    for (let k = lo; k <= hi; k++) {
      const v = c[k].binderStderr ** 2, w = Number.isFinite(v) && v > 0 ? 1 / v : 1;
      chi2 += w * (c[k].binder - p0 - p1 * (c[k].temperature - x0)) ** 2;
    }
    return { p0, p1, v00: Sxx / D, v11: S / D, v01: -Sx / D, chi2 };
  };
  const fa = fit(a), fb = fit(b);
  const ds = fa.p1 - fb.p1;
  const x = (fb.p0 - fa.p0) / ds;
  // ∂x/∂(a0, a1, b0, b1)
  const ga0 = -1 / ds, ga1 = -x / ds, gb0 = 1 / ds, gb1 = x / ds;
  const variance = ga0 * ga0 * fa.v00 + ga1 * ga1 * fa.v11 + 2 * ga0 * ga1 * fa.v01 + gb0 * gb0 * fb.v00 + gb1 * gb1 * fb.v11 + 2 * gb0 * gb1 * fb.v01;
  const points = hi - lo + 1, dof = 2 * points - 4;
  const chi2 = fa.chi2 + fb.chi2;
  const birge = dof > 0 ? Math.max(1, Math.sqrt(chi2 / dof)) : 1;
  return { temperature: x0 + x, stderr: birge * Math.sqrt(variance), binder: fa.p0 + fa.p1 * x, points, chi2PerDof: dof > 0 ? chi2 / dof : null };
}
