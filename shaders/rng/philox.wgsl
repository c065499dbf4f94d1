// Philox4x32-10, bit-identical to src/numerics/philox.ts. WGSL has no u64 or mul-hi: the high word of
// the 32x32 product is assembled from 16-bit halves.

fn mulhi32(a: u32, b: u32) -> u32 {
  let aL = a & 0xffffu; let aH = a >> 16u; let bL = b & 0xffffu; let bH = b >> 16u;
  let ll = aL * bL; let lh = aL * bH; let hl = aH * bL; let hh = aH * bH;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
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

// Box-Muller on both uniform pairs; angle in [-pi, pi] where WGSL sin/cos accuracy is specified.
fn gaussian4(ctr: vec4<u32>, key: vec2<u32>) -> vec4<f32> {
  let w = philox4x32(ctr, key);
  let TWO_PI = 6.283185307179586;
  let PI = 3.141592653589793;
  let r0 = sqrt(-2.0 * log(uniform_from_word(w.x)));
  let t0 = TWO_PI * uniform_from_word(w.y) - PI;
  let r1 = sqrt(-2.0 * log(uniform_from_word(w.z)));
  let t1 = TWO_PI * uniform_from_word(w.w) - PI;
  return vec4<f32>(r0 * cos(t0), r0 * sin(t0), r1 * cos(t1), r1 * sin(t1));
}
