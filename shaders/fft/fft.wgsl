// One Stockham pass (radix 2, 4 or 8) of a batched complex FFT over rows of L = 2^LOG_L vec2<f32>,
// ping-pong from `src` to `dst`, one dispatch per pass; used by the principal-value transform
// (host: src/kernels/hilbert/webgpu.ts, float64 twin: src/kernels/hilbert/cpu.ts).
// Composed with a header defining:
//   LOG_L (u32)     log2 of the row length L
//   INVERSE (bool)  sign +1 in the exponent (no 1/L here: the host folds it into the spectrum)
//   PAD_INPUT (bool) the upper half of every input row is zero padding: it is not read
//   HALF_OUTPUT (bool) only outputs j < L/2 are stored (the upper half of each row is left as it was)
//   SPECTRUM (bool) each input x_j is first multiplied by i·s_j (s: kernel spectrum / L, f32 per j)
// Stockham pass at stage p (sub-transforms of length p done), radix R, thread i in [0, L/R):
//   k = i mod p, a_m = x[i + mL/R] · w^{mk}, w = exp(∓2πi/(Rp)), y = R-point DFT of a,
//   out[(i − k)R + k + mp] = y_m.
// Twiddles come from a table of exp(−2πi t/L), t < L/2, built in float64 on the host: WGSL's sin/cos
// are only bounded to ~2^-11 absolute on some adapters (llvmpipe, SwiftShader).

// struct Pass (uniform: p, tw_stride = L/(R p), threads = rows·L/R, stride_y = groups_x·WG) comes from the
// host (src/kernels/hilbert/webgpu.ts PASS_UNIFORM).

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> twiddle: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> spectrum: array<f32>;

const L: u32 = 1u << LOG_L;

/** w^t with w = exp(∓2πi/L), t < L (upper half from w^{t+L/2} = −w^t). */
fn tw(t: u32) -> vec2<f32> {
  let upper = t >= (L >> 1u);
  var w = twiddle[select(t, t - (L >> 1u), upper)];
  w = select(w, -w, upper);
  if (INVERSE) { w.y = -w.y; }
  return w;
}

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

/** x_j as this pass sees it: zero in the padding half, times i·s_j in the spectrum pass. */
fn load(base: u32, j: u32) -> vec2<f32> {
  let v = src[base + j];
  if (SPECTRUM) {
    let s = spectrum[j];
    return vec2<f32>(-v.y * s, v.x * s);
  }
  return v;
}

/** Global invocation index in the 2D dispatch grid (indices ≥ pass_.threads do nothing). */
fn thread_index(gid: vec3<u32>) -> u32 {
  return gid.x + gid.y * pass_.stride_y;
}

@compute @workgroup_size(WG)
fn radix2(@builtin(global_invocation_id) gid: vec3<u32>) {
  let g = thread_index(gid);
  if (g >= pass_.threads) { return; }
  const T = L >> 1u;                   // invocations per row
  let row = g >> (LOG_L - 1u);
  let i = g & (T - 1u);
  let base = row << LOG_L;
  let k = i & (pass_.p - 1u);
  let a0 = load(base, i);
  var a1 = vec2<f32>(0.0);
  if (!PAD_INPUT) { a1 = cmul(load(base, i + T), tw(k * pass_.tw_stride)); }
  let j = base + ((i - k) << 1u) + k;
  dst[j] = a0 + a1;
  if (!HALF_OUTPUT) { dst[j + pass_.p] = a0 - a1; }
}

@compute @workgroup_size(WG)
fn radix4(@builtin(global_invocation_id) gid: vec3<u32>) {
  let g = thread_index(gid);
  if (g >= pass_.threads) { return; }
  const Q = L >> 2u;                   // invocations per row
  let row = g >> (LOG_L - 2u);
  let i = g & (Q - 1u);
  let base = row << LOG_L;
  let k = i & (pass_.p - 1u);
  let t = k * pass_.tw_stride;
  let a0 = load(base, i);
  let a1 = cmul(load(base, i + Q), tw(t));
  var a2 = vec2<f32>(0.0);
  var a3 = vec2<f32>(0.0);
  if (!PAD_INPUT) {
    a2 = cmul(load(base, i + 2u * Q), tw(2u * t));
    a3 = cmul(load(base, i + 3u * Q), tw(3u * t));
  }
  let t0 = a0 + a2;
  let t1 = a0 - a2;
  let t2 = a1 + a3;
  let d = a1 - a3;
  // d·(∓i): forward multiplies by −i, inverse by +i
  var t3 = vec2<f32>(d.y, -d.x);
  if (INVERSE) { t3 = -t3; }
  let j = base + ((i - k) << 2u) + k;
  let p = pass_.p;
  dst[j] = t0 + t2;
  dst[j + p] = t1 + t3;
  if (!HALF_OUTPUT) {
    dst[j + 2u * p] = t0 - t2;
    dst[j + 3u * p] = t1 - t3;
  }
}

/** 4-point DFT (sign of the exponent from INVERSE). */
fn dft4(a0: vec2<f32>, a1: vec2<f32>, a2: vec2<f32>, a3: vec2<f32>) -> array<vec2<f32>, 4> {
  let t0 = a0 + a2;
  let t1 = a0 - a2;
  let t2 = a1 + a3;
  let d = a1 - a3;
  var t3 = vec2<f32>(d.y, -d.x);
  if (INVERSE) { t3 = -t3; }
  return array<vec2<f32>, 4>(t0 + t2, t1 + t3, t0 - t2, t1 - t3);
}

const SQRT_HALF: f32 = 0.70710678118654752;

@compute @workgroup_size(WG)
fn radix8(@builtin(global_invocation_id) gid: vec3<u32>) {
  let g = thread_index(gid);
  if (g >= pass_.threads) { return; }
  // (clamped so the module also compiles for L = 4, where this entry point is not used)
  const E = max(L >> 3u, 1u);          // invocations per row
  let row = g >> (max(LOG_L, 3u) - 3u);
  let i = g & (E - 1u);
  let base = row << LOG_L;
  let k = i & (pass_.p - 1u);
  let t = k * pass_.tw_stride;
  var a: array<vec2<f32>, 8>;
  a[0] = load(base, i);
  for (var m = 1u; m < 8u; m++) {
    if (PAD_INPUT && m >= 4u) { a[m] = vec2<f32>(0.0); }
    else { a[m] = cmul(load(base, i + m * E), tw(m * t)); }
  }
  // 8-point DFT as two 4-point DFTs (even, odd inputs) combined with w8^m = exp(∓2πi m/8)
  let e = dft4(a[0], a[2], a[4], a[6]);
  let o = dft4(a[1], a[3], a[5], a[7]);
  let s = select(-1.0, 1.0, INVERSE);  // sign of the imaginary part of w8
  let o1 = SQRT_HALF * vec2<f32>(o[1].x - s * o[1].y, o[1].y + s * o[1].x);
  let o2 = vec2<f32>(-s * o[2].y, s * o[2].x);
  let o3 = SQRT_HALF * vec2<f32>(-o[3].x - s * o[3].y, -o[3].y + s * o[3].x);
  let j = base + ((i - k) << 3u) + k;
  let p = pass_.p;
  dst[j] = e[0] + o[0];
  dst[j + p] = e[1] + o1;
  dst[j + 2u * p] = e[2] + o2;
  dst[j + 3u * p] = e[3] + o3;
  if (!HALF_OUTPUT) {
    dst[j + 4u * p] = e[0] - o[0];
    dst[j + 5u * p] = e[1] - o1;
    dst[j + 6u * p] = e[2] - o2;
    dst[j + 7u * p] = e[3] - o3;
  }
}
