// Digamma ψ, trigamma ψ′ (all real arguments) and polygamma ψ⁽ⁿ⁾ (n ≤ 6, complex z with Re z > 0), float32.
// Twin of src/numerics/digamma.ts: same recurrence (shift until |z + N| ≥ R_n = DG_RADIUS + n), same asymptotic
// series, same reflection with the angle reduced to [−π/2, π/2], same Taylor form about the positive zero x₀.
// Host-injected tables (composeShader, from src/numerics/digamma.ts via src/kernels/dotValve/layout.ts digammaConstants):
//   DG_ASYM (f32 × DG_ASYM_TERMS·(DG_MAX_ORDER+1)), DG_ASYM_TERMS (u32), DG_ROOT_TAYLOR (f32 × DG_ROOT_TERMS: b_0…b_K of
//   ψ(h + d) = Σ b_k d^k about h = DG_ROOT, the f32 number next to the zero x₀ of ψ), DG_ROOT, DG_ROOT_WINDOW,
//   DG_RADIUS (f32), DG_MAX_ORDER (u32), DG_ROOT_TERMS (u32).
// Accuracy (test/dotValve.digamma.test.ts): relative ≤ 1e-6 for real ψ, ψ′ (absolute near the negative zeros of ψ,
// where the reflection cancels) and |Δψ⁽ⁿ⁾|/|ψ⁽ⁿ⁾| ≤ 1e-6 on z = ½ + iy, n ≤ 4.

const DG_PI: f32 = 3.14159265358979;

fn dg_factorial(n: u32) -> f32 {
  var f = 1.0;
  for (var k = 2u; k <= n; k++) { f *= f32(k); }
  return f;
}

fn dg_cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }

/** 1/w without overflow of |w|². */
fn dg_cinv(w: vec2<f32>) -> vec2<f32> {
  let s = max(abs(w.x), abs(w.y));
  let a = w / s;
  return vec2<f32>(a.x, -a.y) / (s * dot(a, a));
}

/** ψ⁽ⁿ⁾(z), n ≤ DG_MAX_ORDER, Re z > 0; (Re, Im). */
fn polygamma_c(n: u32, z: vec2<f32>) -> vec2<f32> {
  let R = DG_RADIUS + f32(n);
  var x = z.x;
  let y = z.y;
  var sum = vec2<f32>(0.0, 0.0);
  // at most ⌈R⌉ + 1 shifts (Re z > 0)
  for (var it = 0u; it < 32u; it++) {
    if (x * x + y * y >= R * R) { break; }
    let iw = dg_cinv(vec2<f32>(x, y));
    var pw = iw;
    for (var k = 0u; k < n; k++) { pw = dg_cmul(pw, iw); }
    sum += pw;
    x += 1.0;
  }
  let w = vec2<f32>(x, y);
  let iw = dg_cinv(w);
  let iw2 = dg_cmul(iw, iw);
  // Σ_k a_k w^−(2k+n): Horner in w^−2
  var h = vec2<f32>(0.0, 0.0);
  for (var kk = 0u; kk < DG_ASYM_TERMS; kk++) {
    let k = DG_ASYM_TERMS - 1u - kk;
    h = dg_cmul(h + vec2<f32>(DG_ASYM[n * DG_ASYM_TERMS + k], 0.0), iw2);
  }
  var v: vec2<f32>;
  if (n == 0u) {
    let s = max(abs(w.x), abs(w.y));
    let a = w / s;
    v = vec2<f32>(log(s) + 0.5 * log(dot(a, a)), atan2(w.y, w.x)) - 0.5 * iw + h;
  } else {
    var pw = vec2<f32>(1.0, 0.0);
    for (var k = 0u; k < n; k++) { pw = dg_cmul(pw, iw); }
    var sgn = -1.0;
    if ((n & 1u) == 1u) { sgn = 1.0; }
    let lead = sgn * (vec2<f32>(dg_factorial(n - 1u), 0.0) + 0.5 * dg_factorial(n) * iw) + h;
    v = dg_cmul(pw, lead);
  }
  var c = dg_factorial(n);
  if ((n & 1u) == 1u) { c = -c; }
  return v - c * sum;
}

/** A quiet NaN built from a runtime value (a constant NaN would be a shader-creation error). */
fn dg_nan(seed: f32) -> f32 { return bitcast<f32>(0x7fc00000u | (bitcast<u32>(seed) & 0u)); }

/** x − round(x), exact; |result| ≤ ½. */
fn dg_reduce(x: f32) -> f32 { return x - round(x); }

/** π cot(πr), |r| ≤ ½: cos/sin for |r| ≤ ¼, else ±π tan(π(½ − |r|)) with ½ − |r| exact (no cancellation at the zero of cot). */
fn dg_pi_cot(r: f32) -> f32 {
  if (abs(r) <= 0.25) { return DG_PI * cos(DG_PI * r) / sin(DG_PI * r); }
  let d = 0.5 - abs(r);
  return sign(r) * DG_PI * sin(DG_PI * d) / cos(DG_PI * d);
}

fn digamma_pos(x: f32) -> f32 {
  let d = x - DG_ROOT;
  if (abs(d) < DG_ROOT_WINDOW) {
    var s = 0.0;
    for (var kk = 0u; kk + 1u < DG_ROOT_TERMS; kk++) {
      let k = DG_ROOT_TERMS - 1u - kk;
      s = (s + DG_ROOT_TAYLOR[k]) * d;
    }
    return s + DG_ROOT_TAYLOR[0];
  }
  return polygamma_c(0u, vec2<f32>(x, 0.0)).x;
}

/** ψ(x) for every real x; NaN at the poles 0, −1, −2, … */
fn digamma_r(x: f32) -> f32 {
  if (x > 0.0) { return digamma_pos(x); }
  let r = dg_reduce(x);
  if (r == 0.0) { return dg_nan(x); }
  return digamma_pos(1.0 - x) - dg_pi_cot(r);
}

/** ψ′(x) for every real x; NaN at the poles. */
fn trigamma_r(x: f32) -> f32 {
  if (x > 0.0) { return polygamma_c(1u, vec2<f32>(x, 0.0)).x; }
  let r = dg_reduce(x);
  if (r == 0.0) { return dg_nan(x); }
  let s = sin(DG_PI * r);
  return -polygamma_c(1u, vec2<f32>(1.0 - x, 0.0)).x + DG_PI * DG_PI / (s * s);
}
