// The two special functions of the Coulomb exchange through the gap, I_ex (Eqs. 25–36):
//
// ω_I(q, Δκ; d): 4× the field energy (units ε₀ε = 1) of the sheet charge e^{−Δκ z} e^{iq·r} between grounded
// ideal-metal planes at z = ±d/2, i.e. ω = 4∫V e^{−Δκ z} dz with V″ − q²V = −e^{−Δκz}, V(±d/2) = 0.
// Derivation (V = e^{−az}/(q² − a²) + A cosh qz + B sinh qz, a = Δκ, h = d/2):
//   ω = 4/(q²−a²) · [ sinh(ad)/a − 2 (q (tanh(qh) cosh²(ah) + coth(qh) sinh²(ah)) − a sinh(ad)) / (q² − a²) ].
// It equals the paper's Eqs. 33–36 after two corrections (A27: α₃² sinh(dΔκ)/q → α₃² sinh(dΔκ)/Δκ in ω_Iz and
// ω_Ix; A28: α̃₁ = −α₁, α̃₂ = +α₂), see printedOmega below and test/granular.model.test.ts. ω is even in Δκ.
// This tanh/coth form never overflows at large qd; it cancels only near the removable double pole q = |Δκ|
// and when q and Δκ are both ≪ 1/d, where the sine series is used instead:
//   ω = (8/d) Σ_{n≥1} f_n²/(k_n² + q²),  k_n = nπ/d,  f_n = e^{Δκd/2} k_n (1 − (−1)ⁿ e^{−Δκd})/(Δκ² + k_n²),
// a sum of positive terms (no cancellation at all), whose truncation after N terms is corrected by the
// asymptotic tail below (error after the correction ~1e-5 relative at X = (N+½)π/d ≈ 2.3 max(q, Δκ), falling
// fast with X). The device kernel evaluates exactly that truncated series + tail, with N chosen per point.
//
// Scaling: every ω here is returned times e^{−|Δκ| d} ("scaled"), which is what multiplies e^{−d(κ₁+κ₂)} in
// the integrand: e^{−d(κ₁+κ₂)} ω = e^{−2 min(κ₁,κ₂) d} ω̂, so no exponential ever overflows.
//
// A_lens(q; R₁, R₂): area of the overlap of two discs of radii R₁, R₂ whose centres are q apart. The paper's
// 2∫k ζ(k, q) dk (Eqs. 28–31) equals it after two fixes (A25, A26); see printedLensIntegral.

/** e^{−|a|d} ω_I(q, a; d) from the closed form (float64; ill-conditioned near q = |a| and for q, |a| ≪ 1/d). */
export function omegaClosedScaled(q: number, a: number, d: number): number {
  a = Math.abs(a);
  const h = 0.5 * d, e1 = Math.exp(-a * d);
  const sinhOverA = a * d < 1e-8 ? d : (1 - e1 * e1) / (2 * a);            // e^{−ad} sinh(ad)/a
  const sinhAD = 0.5 * (1 - e1 * e1);                                        // e^{−ad} sinh(ad)
  const ch2 = 0.25 * (1 + e1) * (1 + e1), sh2 = 0.25 * (1 - e1) * (1 - e1);   // e^{−ad} cosh²(ah), sinh²(ah)
  const T = Math.tanh(q * h), C = 1 / T;
  const D = q * q - a * a;
  return (4 / D) * (sinhOverA - (2 * (q * (T * ch2 + C * sh2) - a * sinhAD)) / D);
}

/** Σ_{n=1}^{N} of the scaled sine series plus its tail correction: the device kernel's ω (see header). */
export function omegaSeriesScaled(q: number, a: number, d: number, N: number): number {
  a = Math.abs(a);
  const e1 = Math.exp(-a * d), A = a * a, Q = q * q, step = Math.PI / d;
  let s = 0;
  for (let n = 1; n <= N; n++) {
    const k = n * step, k2 = k * k, f = 1 - (n % 2 === 1 ? -e1 : e1);
    const den = A + k2;
    s += (k2 * f * f) / (den * den * (k2 + Q));
  }
  return (8 / d) * (s + omegaTail(A, Q, e1, d, N));
}

/**
 * Tail Σ_{n>N} of the scaled series: the smooth part (1 + ε²)Σ g(k_n) as the midpoint integral (d/π)∫_X^∞ g,
 * expanded in 1/X² to fourth order, and the alternating part −2εΣ(−1)ⁿ g(k_n) ≈ ε(−1)^N g(X) (Euler),
 * with g(x) = x²/((a² + x²)²(x² + q²)), X = (N + ½)π/d, ε = e^{−|a|d}.
 */
export function omegaTail(A: number, Q: number, e1: number, d: number, N: number): number {
  const X = (N + 0.5) * Math.PI / d, X2 = X * X, iX2 = 1 / X2, iX3 = iX2 / X;
  const c1 = 2 * A + Q, c2 = 3 * A * A + 2 * A * Q + Q * Q, c3 = 4 * A * A * A + 3 * A * A * Q + 2 * A * Q * Q + Q * Q * Q;
  const I = iX3 * (1 / 3 - iX2 * (c1 / 5 - iX2 * (c2 / 7 - iX2 * c3 / 9)));
  const g = X2 / ((A + X2) * (A + X2) * (X2 + Q));
  return (1 + e1 * e1) * (d / Math.PI) * I + (N % 2 === 0 ? e1 : -e1) * g;
}

/** Terms of the device series for a point: X = (N + ½)π/d ≥ rho · max(q_max, Δκ_max). */
export function omegaTerms(d: number, kScale: number, rho: number, maxTerms = OMEGA_MAX_TERMS): number {
  const n = Math.max(8, Math.ceil((rho * d * kScale) / Math.PI - 0.5));
  return Math.min(n, maxTerms);
}
/** Upper bound on the series terms (the device keeps them in a private array of this length). */
export const OMEGA_MAX_TERMS = 200;

/** e^{−|a|d} ω_I to ~1e-11 relative everywhere: closed form where well conditioned, else a long series. */
export function omegaScaled(q: number, a: number, d: number): number {
  a = Math.abs(a);
  if (Math.abs(q - a) * d > 0.02 && Math.max(q, a) * d > 0.2) return omegaClosedScaled(q, a, d);
  return omegaSeriesScaled(q, a, d, Math.max(400, Math.ceil((8 * d * Math.max(q, a)) / Math.PI)));
}

/**
 * Overlap area of discs of radii R1, R2 with centres q apart, as the sum of two circular segments
 * R_i² seg(α_i), seg(α) = α − sin α cos α, with sin α_i = √K/(2qR_i), cos α_i = (q² + R_i² − R_j²)/(2qR_i) and
 * K = (R1 + R2 − q)(q − |R1 − R2|)(q + |R1 − R2|)(q + R1 + R2) (Heron). This is the textbook
 * R1² acos c1 + R2² acos c2 − ½√K regrouped so that nothing cancels: for small α, seg is summed as its series
 * in s = sin α (SEG_COEFFS), which keeps a small disc inside a large one (R2 ≪ R1) accurate; the plain form
 * loses ~R1/R2 digits there. `top` = R1 + R2 − q and `low` = q − |R1 − R2| may be passed when the caller has them
 * without cancellation (the quadrature maps do). `acos` replaceable (the device polynomial).
 */
export function lensArea(q: number, R1: number, R2: number, acos: (x: number) => number = Math.acos,
  top = R1 + R2 - q, low = q - Math.abs(R1 - R2)): number {
  if (!(top > 0)) return 0;
  if (!(low > 0)) { const r = Math.min(R1, R2); return Math.PI * r * r; }
  const K = top * low * (q + Math.abs(R1 - R2)) * (q + R1 + R2), rk = Math.sqrt(K);
  const seg = (R: number, c: number) => {
    const sn = rk / (2 * q * R);
    if (c > SEG_SERIES_BELOW) {
      const s2 = sn * sn;
      let p = SEG_COEFFS[SEG_COEFFS.length - 1];
      for (let n = SEG_COEFFS.length - 2; n >= 0; n--) p = p * s2 + SEG_COEFFS[n];
      return R * R * p * s2 * sn;
    }
    return R * R * (acos(Math.max(-1, Math.min(1, c))) - sn * c);
  };
  const c1 = (q * q + R1 * R1 - R2 * R2) / (2 * q * R1), c2 = (q * q + R2 * R2 - R1 * R1) / (2 * q * R2);
  return seg(R1, c1) + seg(R2, c2);
}

/** seg(α) = α − sin α cos α = Σ_n 2a_n s^{2n+3}/(2n+3), a_n = (2n)!/(4ⁿ n!²), s = sin α (from d seg/ds = 2s²/√(1 − s²)). */
export const SEG_COEFFS: readonly number[] = Array.from({ length: 10 }, (_, n) => {
  let a = 1;
  for (let j = 1; j <= n; j++) a *= (2 * j - 1) / (2 * j);
  return (2 * a) / (2 * n + 3);
});
/** The series is used where cos α > 0.95 (s < 0.32: the first omitted term is < 1e-10 of seg). */
export const SEG_SERIES_BELOW = 0.95;

/**
 * acos on [−1, 1] to 2e-8 absolute: Abramowitz & Stegun 4.4.46, acos x = √(1 − x)·Σ a_k x^k for 0 ≤ x ≤ 1,
 * π − acos(−x) below. The device uses these coefficients (injected from here); WGSL's acos is only bounded
 * through atan2 (4096 ULP).
 */
export const ACOS_COEFFS = [1.5707963050, -0.2145988016, 0.0889789874, -0.0501743046, 0.0308918810, -0.0170881256, 0.0066700901, -0.0012624911] as const;
export function acosPoly(x: number): number {
  const ax = Math.abs(x);
  let p = ACOS_COEFFS[7];
  for (let k = 6; k >= 0; k--) p = p * ax + ACOS_COEFFS[k];
  const r = Math.sqrt(Math.max(0, 1 - ax)) * p;
  return x >= 0 ? r : Math.PI - r;
}

// ---- the paper's printed forms (for the tests and the docs: what was corrected) ----------------------

/**
 * ω_I of Eqs. 32–36 as printed (`corrected = false`) or with the corrections A27 (sinh(dΔκ)/Δκ) and A28
 * (α̃₁ = −α₁, α̃₂ = +α₂). Unscaled. Δκ ≠ ±q, Δκ ≠ 0.
 */
export function printedOmega(q: number, dk: number, d: number, corrected: boolean): number {
  const e = Math.exp;
  const s10 = (e(-q * d / 2) / (q - dk)) * (e((q - dk) * d / 2) - e(-(q - dk) * d / 2));
  const s20 = (e(-q * d / 2) / (q + dk)) * (e(-(q + dk) * d / 2) - e((q + dk) * d / 2));
  const den = e(q * d) - e(-q * d);
  const s1 = (s10 * e(q * d) + s20) / den, s2 = (s20 * e(q * d) + s10) / den;
  const a1 = e(-q * d / 2) * s2 - e((dk - q) * d / 2) / (q - dk);
  const a2 = e(-q * d / 2) * s1 + e(-(q + dk) * d / 2) / (q + dk);
  const a3 = (2 * dk) / (q * q - dk * dk);
  const t1 = corrected ? -a1 : -e(-q * d / 2) * s2 - e((dk - q) * d / 2) / (q - dk);
  const t2 = corrected ? a2 : e(-q * d / 2) * s1 - e(-(q + dk) * d / 2) / (q + dk);
  const t3 = (-2 * q) / (q * q - dk * dk);
  const sinhOver = corrected ? Math.sinh(d * dk) / dk : Math.sinh(d * dk) / q;
  const w = (b1: number, b2: number, b3: number) =>
    (b1 * b1 + b2 * b2) * Math.sinh(d * q) / q + b3 * b3 * sinhOver + 2 * b1 * b2 * d +
    (4 * b1 * b3 * Math.sinh((dk + q) * d / 2)) / (dk + q) + (4 * b2 * b3 * Math.sinh((dk - q) * d / 2)) / (dk - q);
  return w(a1, a2, a3) + w(t1, t2, t3);
}

/**
 * ζ(k, q) of Eqs. 28–31 for disc radii R1 (= k₁^max), R2 (= k₂^max). `fixed`: without the spurious
 * "(φ₂ < φ₃)" condition of Eq. 28 and with φ₂ = 0 when k > R2 + q/2 (outside the arccos range, Eq. 30).
 */
export function printedZeta(k: number, q: number, R1: number, R2: number, fixed: boolean): number {
  const clampAcos = (x: number) => Math.acos(Math.min(1, Math.max(-1, x)));
  let p1: number;
  if (k > R1 + q / 2) p1 = 0;
  else if (k < Math.abs(R1 - q / 2)) p1 = (Math.PI + Math.PI * Math.sign(R1 - q / 2)) / 2;
  else p1 = clampAcos((k * k + q * q / 4 - R1 * R1) / (q * k));
  let p2: number;
  if (k < R2 - q / 2) p2 = Math.PI;
  else if (fixed && k > R2 + q / 2) p2 = 0;
  else p2 = clampAcos((k * k + q * q / 4 - R2 * R2) / (q * k));
  const p3 = Math.PI - p2;
  if ((!fixed && p2 < p3) || p1 < p3) return 0;
  return p1 - p3;
}
