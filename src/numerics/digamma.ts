// Digamma ψ and polygamma ψ⁽ⁿ⁾ (n ≤ 6) in float64: real arguments (all of ℝ, reflection for x ≤ 0)
// and complex arguments with Re z > 0 (the line z = ½ + iy of the dot-valve exchange field and
// cotunnelling integrals, seed 004). shaders/common/digamma.wgsl is the float32 twin (same algorithm,
// same tables, injected from here).
//
// Algorithm (both precisions):
//   recurrence  ψ⁽ⁿ⁾(z) = ψ⁽ⁿ⁾(z + N) − (−1)ⁿ n! Σ_{k<N} (z + k)^−(n+1), N = smallest shift with |z + N| ≥ R_n,
//               R_n = 10 + n (the asymptotic series of ψ⁽ⁿ⁾ loses ~ (n+15)!/(16! (n−1)!) to its first omitted term),
//   asymptotics ψ(w) ~ ln w − 1/(2w) − Σ_k B_2k/(2k w^2k),
//               ψ⁽ⁿ⁾(w) ~ (−1)^(n+1) [(n−1)!/wⁿ + n!/(2w^(n+1)) + Σ_k B_2k (2k+n−1)!/((2k)! w^(2k+n))], n ≥ 1,
//   with seven Bernoulli numbers B_2…B_14 (first omitted term at |w| = R_n: ≤ 1e-14 relative for n ≤ 6).
//   reflection  ψ(x) = ψ(1 − x) − π cot(πx),  ψ′(x) = −ψ′(1 − x) + π²/sin²(πx)  (x ≤ 0; the angle is reduced
//               to r = x − round(x) ∈ [−½, ½] first, exactly, and cot(πr) = ±tan(π(½ − |r|)) for |r| > ¼, so no
//               trigonometric call sees an argument beyond π/4 and cot keeps its relative accuracy near its zero),
//   near the positive zero x₀ = 1.46163… of ψ: ψ(h + d) = Σ_{k=0..K} b_k d^k about the representable h next to x₀
//               (d = x − h exact), b_0 = ψ(h) from the series about x₀ (rootTaylorAbout), so the result is
//               relative-accurate at the zero.
// Poles (x = 0, −1, −2, …) return NaN.
//
// Accuracy (test/dotValve.digamma.test.ts, against mpmath values): relative ≤ 1e-13 for real ψ, ψ′ away from
// the negative zeros of ψ (there the reflection cancels and the error is absolute, ~1e-15·(1 + ln|x|)),
// |Δψ⁽ⁿ⁾| ≤ 1e-13 |ψ⁽ⁿ⁾| on z = ½ + iy for n ≤ 4.

/** Shift radius of the recurrence for ψ⁽ⁿ⁾: the asymptotic series is used at |w| ≥ R_n = ASYMPTOTIC_RADIUS + n. */
export const ASYMPTOTIC_RADIUS = 10;
export const asymptoticRadius = (n: number): number => ASYMPTOTIC_RADIUS + n;

/** B_2, B_4, …, B_14. */
export const BERNOULLI_2K: readonly number[] = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6];

/** Highest polygamma order provided. */
export const MAX_POLYGAMMA_ORDER = 6;

const factorial = (n: number): number => { let f = 1; for (let k = 2; k <= n; k++) f *= k; return f; };

/**
 * Coefficients of the asymptotic series of ψ⁽ⁿ⁾, n = 0…MAX_POLYGAMMA_ORDER: row n holds a_k for
 * the terms a_k / w^(2k+n), k = 1…7 (so ψ⁽ⁿ⁾(w) ~ lead(w) + (−1)^(n+1) Σ_k a_k w^−(2k+n), with a_k of n = 0
 * carrying the sign of −B_2k/(2k)). Flattened row-major, 7 per order (the WGSL twin gets this table).
 */
export const ASYMPTOTIC_COEFFS: Float64Array = (() => {
  const K = BERNOULLI_2K.length, out = new Float64Array((MAX_POLYGAMMA_ORDER + 1) * K);
  for (let n = 0; n <= MAX_POLYGAMMA_ORDER; n++) {
    for (let k = 1; k <= K; k++) {
      const B = BERNOULLI_2K[k - 1];
      // n = 0: −B/(2k) ; n ≥ 1: (−1)^(n+1) B (2k+n−1)!/(2k)!
      out[n * K + k - 1] = n === 0 ? -B / (2 * k) : (n % 2 === 1 ? 1 : -1) * B * factorial(2 * k + n - 1) / factorial(2 * k);
    }
  }
  return out;
})();

type Cx = [number, number];

function cdiv(a: Cx, b: Cx): Cx {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}

/** ψ⁽ⁿ⁾(z) for complex z with Re z > 0 (or real z > 0); returns [Re, Im]. */
export function polygammaComplex(n: number, re: number, im: number): Cx {
  if (!Number.isInteger(n) || n < 0 || n > MAX_POLYGAMMA_ORDER) throw new RangeError(`polygamma order must be an integer in [0, ${MAX_POLYGAMMA_ORDER}], got ${n}`);
  if (!(re > 0) || !Number.isFinite(im)) throw new RangeError(`polygammaComplex: needs Re z > 0 and finite Im z, got ${re} + ${im}i`);
  // recurrence: accumulate Σ (z + k)^−(n+1) while |z + k| < R
  let sr = 0, si = 0, x = re;
  const R = asymptoticRadius(n), R2 = R * R, y2 = im * im;
  while (x * x + y2 < R2) {
    // 1/(x + iy)^(n+1)
    let pr = 1, pi = 0;
    const d = x * x + y2, ir = x / d, ii = -im / d;
    for (let k = 0; k <= n; k++) { const t = pr * ir - pi * ii; pi = pr * ii + pi * ir; pr = t; }
    sr += pr; si += pi;
    x += 1;
  }
  const w: Cx = [x, im];
  const iw = cdiv([1, 0], w);
  const iw2: Cx = [iw[0] * iw[0] - iw[1] * iw[1], 2 * iw[0] * iw[1]];
  // Σ_k a_k w^−(2k+n) = w^−n Σ_k a_k (w^−2)^k, Horner in w^−2
  const K = BERNOULLI_2K.length, row = n * K;
  let hr = 0, hi = 0;
  for (let k = K - 1; k >= 0; k--) {
    const a = ASYMPTOTIC_COEFFS[row + k] + hr;
    const t = a * iw2[0] - hi * iw2[1];
    hi = a * iw2[1] + hi * iw2[0]; hr = t;
  }
  let vr: number, vi: number;
  if (n === 0) {
    // ln w − 1/(2w) + series
    vr = Math.log(Math.hypot(w[0], w[1])) - 0.5 * iw[0] + hr;
    vi = Math.atan2(w[1], w[0]) - 0.5 * iw[1] + hi;
  } else {
    // w^−n [(n−1)! + n!/(2w)] · (−1)^(n+1) + w^−n · series (series already signed)
    let pr = 1, pi = 0;
    for (let k = 0; k < n; k++) { const t = pr * iw[0] - pi * iw[1]; pi = pr * iw[1] + pi * iw[0]; pr = t; }
    const sgn = n % 2 === 1 ? 1 : -1;
    const lr = sgn * (factorial(n - 1) + 0.5 * factorial(n) * iw[0]) + hr;
    const li = sgn * (0.5 * factorial(n) * iw[1]) + hi;
    vr = pr * lr - pi * li; vi = pr * li + pi * lr;
  }
  // ψ⁽ⁿ⁾(z) = ψ⁽ⁿ⁾(z + N) − (−1)ⁿ n! Σ
  const c = (n % 2 === 0 ? 1 : -1) * factorial(n);
  return [vr - c * sr, vi - c * si];
}

/** The positive zero of ψ, x₀ = 1.4616321449683623412…, as hi + lo. */
export const DIGAMMA_ROOT_HI = 1.4616321449683622;
export const DIGAMMA_ROOT_LO = 9.549995429965697e-17;

/**
 * Taylor coefficients b_0…b_K of ψ about a representable point h next to its positive zero x₀:
 * ψ(h + d) = Σ_k b_k d^k with b_k = ψ⁽ᵏ⁾(h)/k! (k ≥ 1) and b_0 = ψ(h) = Σ_{k≥1} c_k (h − x₀)^k, c_k = ψ⁽ᵏ⁾(x₀)/k!,
 * so b_0 is relative-accurate although ψ(h) is tiny. The float64 function expands about DIGAMMA_ROOT_HI; the WGSL
 * twin gets the table for h = fround(x₀) (a constant split x − x₀_hi − x₀_lo would be re-associated by shader
 * compilers into x − fl(x₀_hi + x₀_lo), losing x₀_lo; a single expansion point leaves nothing to fold).
 */
export function rootTaylorAbout(h: number, terms = 34): Float64Array {
  if (Math.abs(h - DIGAMMA_ROOT_HI) > 1e-6) throw new RangeError(`rootTaylorAbout: h must be within 1e-6 of the zero x₀, got ${h}`);
  const out = new Float64Array(terms + 1);
  const coeff = (k: number, x: number) => (k <= MAX_POLYGAMMA_ORDER ? polygammaComplex(k, x, 0)[0] : (k % 2 === 1 ? 1 : -1) * factorial(k) * hurwitzZeta(k + 1, x)) / factorial(k);
  const delta = (h - DIGAMMA_ROOT_HI) - DIGAMMA_ROOT_LO;
  let b0 = 0, pw = 1;
  for (let k = 1; k <= 8; k++) { pw *= delta; b0 += coeff(k, DIGAMMA_ROOT_HI) * pw; }
  out[0] = b0;
  for (let k = 1; k <= terms; k++) out[k] = coeff(k, h);
  return out;
}

/** b_k of ψ about DIGAMMA_ROOT_HI (float64 digamma). */
export const ROOT_TAYLOR: Float64Array = rootTaylorAbout(DIGAMMA_ROOT_HI);

/** Window |x − x₀| < ROOT_WINDOW where the Taylor form about the zero is used. */
export const ROOT_WINDOW = 0.45;

/** Hurwitz ζ(s, a) for integer s ≥ 2, a > 0 (direct sum + Euler–Maclaurin tail); used for high-order Taylor coefficients only. */
function hurwitzZeta(s: number, a: number): number {
  const N = 20;
  let sum = 0;
  for (let k = 0; k < N; k++) sum += Math.pow(a + k, -s);
  const x = a + N;
  // ∫_x^∞ t^−s dt + ½ x^−s + Σ B_2j/(2j)! s(s+1)…(s+2j−2) x^−(s+2j−1)
  let tail = Math.pow(x, 1 - s) / (s - 1) + 0.5 * Math.pow(x, -s);
  let rising = s; // s(s+1)…(s+2j−2)
  for (let j = 1; j <= BERNOULLI_2K.length; j++) {
    tail += (BERNOULLI_2K[j - 1] / factorial(2 * j)) * rising * Math.pow(x, -(s + 2 * j - 1));
    rising *= (s + 2 * j - 1) * (s + 2 * j);
  }
  return sum + tail;
}

/** x − round(x) ∈ [−½, ½], exact. */
function reducedAngle(x: number): number { return x - Math.round(x); }

/** π cot(πr), |r| ≤ ½: cos/sin for |r| ≤ ¼, else ±π tan(π(½ − |r|)) with ½ − |r| exact (no cancellation at the zero of cot). */
function piCot(r: number): number {
  if (Math.abs(r) <= 0.25) return (Math.PI * Math.cos(Math.PI * r)) / Math.sin(Math.PI * r);
  const d = 0.5 - Math.abs(r);
  return Math.sign(r) * Math.PI * Math.tan(Math.PI * d);
}

/** Digamma ψ(x) for every real x (NaN at the poles 0, −1, −2, …). */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    const r = reducedAngle(x);
    return digamma(1 - x) - piCot(r);
  }
  const d = x - DIGAMMA_ROOT_HI;
  if (Math.abs(d) < ROOT_WINDOW) {
    let s = 0;
    for (let k = ROOT_TAYLOR.length - 1; k >= 1; k--) s = (s + ROOT_TAYLOR[k]) * d;
    return s + ROOT_TAYLOR[0];
  }
  return polygammaComplex(0, x, 0)[0];
}

/** Trigamma ψ′(x) for every real x (NaN at the poles). */
export function trigamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    const s = Math.sin(Math.PI * reducedAngle(x));
    return -trigamma(1 - x) + (Math.PI * Math.PI) / (s * s);
  }
  return polygammaComplex(1, x, 0)[0];
}

/** ψ⁽ⁿ⁾(x), n ≤ MAX_POLYGAMMA_ORDER, real x > 0. */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  if (!(x > 0)) throw new RangeError(`polygamma(${n}, x): needs x > 0 (use trigamma for x ≤ 0), got ${x}`);
  return polygammaComplex(n, x, 0)[0];
}

/** Re ψ(½ + iy). */
export function reDigammaHalf(y: number): number { return polygammaComplex(0, 0.5, y)[0]; }
