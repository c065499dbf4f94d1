// Philox4x32-10, bit-identical to src/numerics/philox.ts. WGSL has no u64 or mul-hi: the high word of
// the 32x32 product is assembled from 16-bit halves.

// Full 64-bit product a·b as (high word, low word), from 16-bit halves (Hacker's Delight mulhu; every
// partial sum fits in 32 bits). The low word is reassembled from the same partial products: four
// multiplies per product, which measured faster on llvmpipe than a fifth native multiply or than carries
// recovered by unsigned comparison.
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let aL = a & 0xffffu; let aH = a >> 16u; let bL = b & 0xffffu; let bH = b >> 16u;
  let ll = aL * bL;
  let t = aH * bL + (ll >> 16u);
  let u = aL * bH + (t & 0xffffu);
  return vec2<u32>(aH * bH + (t >> 16u) + (u >> 16u), (u << 16u) | (ll & 0xffffu));
}

// A stream of Philox blocks whose counters (x, y, z, w) differ only in y (in the LLG: the pair of steps).
// y enters round 1 only through an xor, so both products of round 1, the z-product of round 2 and the
// x-product of round 3 are the same for every y of a stream: 4 of the 20 products are evaluated once per
// stream. philox_at(philox_stream(x, z, w, key), y, key) is exactly philox4x32((x, y, z, w), key).
struct PhiloxStream {
  e: u32,    // round 2 x-input without y: hi(M1·z) ^ k0.x
  f: u32,    // round 2: lo(M0·x) ^ k1.y
  g: u32,    // round 3: lo(M1·c1.z) ^ k2.x
  rh: u32,   // round 3: hi(M0·c2.x) ^ k2.y
  rl: u32,   // round 3: lo(M0·c2.x)
}

const PHILOX_M0: u32 = 0xd2511f53u;
const PHILOX_M1: u32 = 0xcd9e8d57u;
const PHILOX_W: vec2<u32> = vec2<u32>(0x9e3779b9u, 0xbb67ae85u);

fn philox_stream(x: u32, z: u32, w: u32, key: vec2<u32>) -> PhiloxStream {
  let k1 = key + PHILOX_W;
  let k2 = k1 + PHILOX_W;
  let p0 = mulhilo(PHILOX_M0, x);            // round 1
  let p1 = mulhilo(PHILOX_M1, z);
  let c1z = p0.x ^ w ^ key.y;                // c1 = (hi(M1 z) ^ y ^ k0.x, lo(M1 z), c1z, lo(M0 x))
  let q1 = mulhilo(PHILOX_M1, c1z);          // round 2, z half
  let c2x = q1.x ^ p1.y ^ k1.x;
  let r0 = mulhilo(PHILOX_M0, c2x);          // round 3, x half
  return PhiloxStream(p1.x ^ key.x, p0.y ^ k1.y, q1.y ^ k2.x, r0.x ^ k2.y, r0.y);
}

fn philox_at(st: PhiloxStream, y: u32, key: vec2<u32>) -> vec4<u32> {
  let s = mulhilo(PHILOX_M0, st.e ^ y);      // round 2, x half: c2 = (c2x, lo(M1 c1z), s.hi ^ f, s.lo)
  let t = mulhilo(PHILOX_M1, s.x ^ st.f);    // round 3, z half
  var c = vec4<u32>(t.x ^ st.g, t.y, st.rh ^ s.y, st.rl);
  var k = key + 2u * PHILOX_W;
  for (var r = 3u; r < 10u; r = r + 1u) {
    k = k + PHILOX_W;
    let q0 = mulhilo(PHILOX_M0, c.x);
    let q1 = mulhilo(PHILOX_M1, c.z);
    c = vec4<u32>(q1.x ^ c.y ^ k.x, q1.y, q0.x ^ c.w ^ k.y, q0.y);
  }
  return c;
}

fn philox4x32(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  return philox_at(philox_stream(ctr.x, ctr.z, ctr.w, key), ctr.y, key);
}

// 21-bit field -> (0,1): (x + 1/2) 2^-21, exact in f32, identical to the TypeScript recipe.
fn uniform21(x: u32) -> f32 {
  return (f32(x) + 0.5) * 4.76837158203125e-7;
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
  // add q quarter turns, q in {-2..2}: odd q swaps sin and cos; the signs follow the quadrant (exact)
  let sw = abs(q) == 1.0;
  let sn = select(s, c, sw) * select(-1.0, 1.0, q == 0.0 || q == 1.0);
  let cs = select(c, s, sw) * select(-1.0, 1.0, q == 0.0 || q == -1.0);
  return vec2<f32>(sn, cs);
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

// Six standard normals from one block of Philox words (src/numerics/philox.ts gaussian6): six 21-bit
// uniforms (the top 21 bits of each word, then bits 0-10 of x with bits 1-10 of y, and the same of z, w),
// three Box-Muller pairs z = sqrt(-2 ln u1) (cos, sin)(2 pi u2 - pi). `a` holds normals 0-2, `b` 3-5.
struct Normals6 { a: vec3<f32>, b: vec3<f32> }

fn normals6(w: vec4<u32>) -> Normals6 {
  let r0 = bm_radius(uniform21(w.x >> 11u));
  let a0 = sincos_turns(uniform21(w.y >> 11u));
  let r1 = bm_radius(uniform21(w.z >> 11u));
  let a1 = sincos_turns(uniform21(w.w >> 11u));
  let r2 = bm_radius(uniform21(((w.x & 0x7ffu) << 10u) | ((w.y & 0x7ffu) >> 1u)));
  let a2 = sincos_turns(uniform21(((w.z & 0x7ffu) << 10u) | ((w.w & 0x7ffu) >> 1u)));
  return Normals6(vec3<f32>(r0 * a0.y, r0 * a0.x, r1 * a1.y), vec3<f32>(r1 * a1.x, r2 * a2.y, r2 * a2.x));
}

fn gaussian6(ctr: vec4<u32>, key: vec2<u32>) -> Normals6 {
  return normals6(philox4x32(ctr, key));
}
