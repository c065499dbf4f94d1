// Philox4x32-10, bit-identical to src/numerics/philox.ts. WGSL has no u64 or mul-hi: the high word of
// the 32x32 product is assembled from 16-bit halves.

fn mulhi32(a: u32, b: u32) -> u32 {
  // Hacker's Delight mulhu: every partial sum fits in 32 bits
  let aL = a & 0xffffu; let aH = a >> 16u; let bL = b & 0xffffu; let bH = b >> 16u;
  let t = aH * bL + ((aL * bL) >> 16u);
  let u = aL * bH + (t & 0xffffu);
  return aH * bH + (t >> 16u) + (u >> 16u);
}

fn philox4x32(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr;
  var k = key;
  for (var r = 0u; r < 10u; r = r + 1u) {
    if (r > 0u) { k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u); }
    let hi0 = mulhi32(0xd2511f53u, c.x); let lo0 = 0xd2511f53u * c.x;
    let hi1 = mulhi32(0xcd9e8d57u, c.z); let lo1 = 0xcd9e8d57u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}

// u32 -> (0,1) with 23 bits plus half a step: exact in f32, identical to the TypeScript recipe.
fn uniform_from_word(x: u32) -> f32 {
  return (f32(x >> 9u) + 0.5) * 1.1920928955078125e-7;
}

// (sin, cos)(2*pi*(u - 1/2)) for u in (0,1), to ~1e-7 on any adapter. WGSL only bounds the built-in
// sin/cos to 2^-11 absolute error (SwiftShader is that loose), which would make the GPU noise differ
// from the CPU twin's by ~1e-3. The reduction is exact: v = u - 1/2 in turns, q = round(4v), and
// f = v - q/4 in [-1/8, 1/8] are exact in f32; the polynomials cover r = 2*pi*f in [-pi/4, pi/4].
fn sincos_turns(u: f32) -> vec2<f32> {
  let v = u - 0.5;
  let q = round(4.0 * v);
  let r = 6.283185307179586 * (v - 0.25 * q);
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-1.6666666666666666e-1 + r2 * (8.333333333333333e-3 + r2 * (-1.984126984126984e-4 + r2 * 2.7557319223985893e-6))));
  let c = 1.0 + r2 * (-0.5 + r2 * (4.1666666666666664e-2 + r2 * (-1.388888888888889e-3 + r2 * (2.48015873015873e-5 - r2 * 2.755731922398589e-7))));
  let qi = (i32(q) + 4) % 4;   // q in {-2..2}: quarter turns to add
  if (qi == 0) { return vec2<f32>(s, c); }
  if (qi == 1) { return vec2<f32>(c, -s); }
  if (qi == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}

// Box-Muller radius sqrt(-2 ln u). WGSL bounds log only to 2^-21 absolute near 1, which the square
// root turns into errors up to ~1e-3 for u -> 1, so ln is evaluated here: u = 2^e f with f in
// [sqrt(1/2), sqrt(2)) (exact bit operations), ln f = 2 atanh(s), s = (f-1)/(f+1), |s| <= 0.172.
fn bm_radius(u: f32) -> f32 {
  let bits = bitcast<u32>(u);
  var e = i32(bits >> 23u) - 127;
  var f = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);   // mantissa in [1, 2)
  if (f > 1.4142135) { f = 0.5 * f; e = e + 1; }
  let s = (f - 1.0) / (f + 1.0);
  let s2 = s * s;
  let lnf = 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (0.2 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0))))));
  return sqrt(-2.0 * (f32(e) * 0.6931471805599453 + lnf));
}

// Box-Muller on both uniform pairs; the angle 2*pi*u - pi is evaluated by sincos_turns.
fn gaussian4(ctr: vec4<u32>, key: vec2<u32>) -> vec4<f32> {
  let w = philox4x32(ctr, key);
  let r0 = bm_radius(uniform_from_word(w.x));
  let a0 = sincos_turns(uniform_from_word(w.y));
  let r1 = bm_radius(uniform_from_word(w.z));
  let a1 = sincos_turns(uniform_from_word(w.w));
  return vec4<f32>(r0 * a0.y, r0 * a0.x, r1 * a1.y, r1 * a1.x);
}
