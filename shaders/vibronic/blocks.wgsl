// Block path: H commutes with M = S1^z + S2^z (no rhombic term), so each of the 4S + 1 blocks
// t = i1 + i2 = 2S − M (size n = 2S + 1 − |M|, tridiagonal in the states ordered by i1) is diagonalized on its
// own by cyclic Jacobi in private memory, one invocation per point. Needs pair_common.wgsl.
// Loop iterations per invocation ≤ blockLoopIterations(S) (src/kernels/vibronic/layout.ts), kept under
// llvmpipe's cap; the probe loop at the end (runtime bound 2) runs once if the cap was hit, and flags the point
// (residual −1).

@group(0) @binding(0) var<uniform> run: Run;
@group(0) @binding(1) var<storage, read> points: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;
@group(0) @binding(3) var<storage, read_write> spectrum: array<f32>;

var<private> a: array<f32, NS * NS>;   // block matrix, row stride NS
var<private> v: array<f32, NS * NS>;   // its eigenvectors (columns)

fn rotate(p: u32, q: u32, n: u32) {
  let apq = a[p * NS + q];
  let app = a[p * NS + p];
  let aqq = a[q * NS + q];
  let r = rotation(app, aqq, apq);
  if (r.x == 0.0) { return; }
  let t = r.x;
  let s = r.y;
  let tau = r.z;
  a[p * NS + p] = app - t * apq;
  a[q * NS + q] = aqq + t * apq;
  a[p * NS + q] = 0.0;
  a[q * NS + p] = 0.0;
  for (var k = 0u; k < n; k++) {
    if (k != p && k != q) {
      let g = a[k * NS + p];
      let h = a[k * NS + q];
      let gp = g - s * (h + g * tau);
      let hq = h + s * (g - h * tau);
      a[k * NS + p] = gp;
      a[p * NS + k] = gp;
      a[k * NS + q] = hq;
      a[q * NS + k] = hq;
    }
    let g = v[k * NS + p];
    let h = v[k * NS + q];
    v[k * NS + p] = g - s * (h + g * tau);
    v[k * NS + q] = h + s * (g - h * tau);
  }
}

/** Cyclic sweeps on the n × n block until float32 convergence or BLOCK_SWEEPS; returns the residual. */
fn jacobi(n: u32) -> f32 {
  var off = 0.0;
  var dg = 0.0;
  for (var sweep = 0u; sweep <= BLOCK_SWEEPS; sweep++) {
    off = 0.0;
    dg = 0.0;
    for (var p = 0u; p < n; p++) {
      dg += a[p * NS + p] * a[p * NS + p];
      for (var q = p + 1u; q < n; q++) { off += a[p * NS + q] * a[p * NS + q]; }
    }
    if (off <= F32_TOL2 * dg || sweep == BLOCK_SWEEPS) { break; }
    for (var p = 0u; p + 1u < n; p++) {
      for (var q = p + 1u; q < n; q++) { rotate(p, q, n); }
    }
  }
  return sqrt(2.0 * off / max(2.0 * off + dg, 1e-30));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x + id.y * run.stride_y;
  if (i >= run.count) { return; }
  let at = i * PT_STRIDE;
  let ex = points[at + PT_EXCHANGE];
  let dj = ex + points[at + PT_EXCHANGE_ZZ];
  let f1 = points[at + PT_FIELD1];
  let f2 = points[at + PT_FIELD2];
  let d1 = points[at + PT_AXIAL1];
  let d2 = points[at + PT_AXIAL2];
  var lvl = 0u;
  var residual = 0.0;
  for (var t = 0u; t <= 2u * S2; t++) {
    let first = select(0u, t - S2, t > S2);
    let n = min(t, S2) - first + 1u;
    let M = f32(S2) - f32(t);
    for (var r = 0u; r < n; r++) {
      for (var c = 0u; c < n; c++) {
        a[r * NS + c] = 0.0;
        v[r * NS + c] = select(0.0, 1.0, r == c);
      }
    }
    for (var k = 0u; k < n; k++) {
      let i1 = first + k;
      let m1 = m_of(i1);
      let m2 = m_of(t - i1);
      a[k * NS + k] = dj * m1 * m2 + f1 * m1 + f2 * m2 + d1 * m1 * m1 + d2 * m2 * m2;
      if (k + 1u < n) {
        // state k + 1 = (m1 − 1, m2 + 1): (exchange/2) S1^− S2^+
        let x = 0.5 * ex * LOWER[i1] * UPPER[t - i1];
        a[k * NS + k + 1u] = x;
        a[(k + 1u) * NS + k] = x;
      }
    }
    if (n > 1u) { residual = max(residual, jacobi(n)); }
    for (var k = 0u; k < n; k++) {
      var s = 0.0;
      for (var r = 0u; r < n; r++) {
        let x = v[r * NS + k];
        s += x * x * m_of(first + r);
      }
      en[lvl] = a[k * NS + k];
      s1[lvl] = s;
      s2[lvl] = M - s;
      lvl++;
    }
  }
  let th = thermal(points[at + PT_K_T]);
  if (SPECTRUM) {
    for (var k = 0u; k < D; k++) { spectrum[i * D + k] = en[k]; }
  }
  var probe = 0u;
  for (var j = 0u; j < run.probe_iters; j++) { probe++; }
  if (probe != run.probe_iters) { residual = -1.0; }
  let o = i * RES_STRIDE;
  result[o + RES_MOMENT1] = th.x;
  result[o + RES_MOMENT2] = th.y;
  result[o + RES_GROUND_ENERGY] = th.z;
  result[o + RES_RESIDUAL] = residual;
}
