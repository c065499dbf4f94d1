// Torque tables of the quantum-dot spin valve (seed 004), float32: one workgroup per (ε̃, V) point, all drain
// angles of the point in the same dispatch. Twin of src/models/dotValve/transport.ts (pointScalars, assemble,
// solveFramed, leadCurrents, stateAt, thetaLimit), step by step; the float64 CPU twin is src/kernels/dotValve/cpu.ts.
//   1. lanes 0–19 each evaluate one member of the digamma family h⁽ᵏ⁾(E − μ) (common/digamma.wgsl) into workgroup memory;
//   2. lane 0 assembles the θ-independent scalars (Fermi factors, b_S, b_D, w-weighted cotunnelling integrals);
//   3. every lane solves the 6×6 steady state for its angles (a = lid, lid + WG, …) in the field frame of
//      B = b_S n_S + b_D n_D and writes one ROW_STRIDE row per (point, angle).
// Host constants: SC_* (src/models/dotValve/transport.ts SCALARS), ROW_* (src/kernels/dotValve/layout.ts),
// EQUAL_MU_WINDOW; struct Model (defineStruct in src/kernels/dotValve/layout.ts).

@group(0) @binding(0) var<uniform> model: Model;
// per point: ε̃, V (Γ)
@group(0) @binding(1) var<storage, read> points: array<f32>;
// per angle: sin θ, cos θ
@group(0) @binding(2) var<storage, read> angles: array<f32>;
@group(0) @binding(3) var<storage, read_write> rows: array<f32>;

const INV_PI: f32 = 0.3183098861837907;
const INV_2PI: f32 = 0.15915494309189535;

var<workgroup> hv: array<f32, 20>;
var<workgroup> sc: array<f32, SC_STRIDE>;

/** h⁽ᵏ⁾(y) = Re[iᵏ ψ⁽ᵏ⁾(½ + iy/2πT)]/(2πT)ᵏ. */
fn h_k(y: f32, k: u32) -> f32 {
  let s = INV_2PI / model.t;
  let w = polygamma_c(k, vec2<f32>(0.5, y * s));
  var v = w.x;
  if (k % 4u == 1u) { v = -w.y; } else if (k % 4u == 2u) { v = -w.x; } else if (k % 4u == 3u) { v = w.y; }
  var scale = 1.0;
  for (var j = 0u; j < k; j++) { scale *= s; }
  return v * scale;
}

fn fermi_plus(E: f32, mu: f32) -> f32 {
  let x = clamp((E - mu) / model.t, -80.0, 80.0);
  if (x > 0.0) { let e = exp(-x); return e / (1.0 + e); }
  return 1.0 / (1.0 + exp(x));
}
fn fermi_minus(E: f32, mu: f32) -> f32 { return fermi_plus(-E, -mu); }

/** Task t of step 1: which argument and order (see the host docs in src/kernels/dotValve/webgpu.ts). */
fn family_task(t: u32, E1: f32, E2: f32, muS: f32, muD: f32) -> f32 {
  if (t < 8u) {
    let a = t / 2u;
    var y = E1 - muS;
    if (a == 1u) { y = E1 - muD; } else if (a == 2u) { y = E2 - muS; } else if (a == 3u) { y = E2 - muD; }
    return h_k(y, t % 2u);
  }
  if (t < 16u) {
    // midpoint m = (μ_S + μ_D)/2 of the S–D pairs
    let m = 0.5 * (muS + muD);
    var y = E1 - m;
    if ((t - 8u) / 4u == 1u) { y = E2 - m; }
    return h_k(y, 1u + (t - 8u) % 4u);
  }
  var y = E1 - muS;
  let a = t - 16u;
  if (a == 1u) { y = E1 - muD; } else if (a == 2u) { y = E2 - muS; } else if (a == 3u) { y = E2 - muD; }
  return h_k(y, 2u);
}

/** h⁽ᵏ⁾ at E_a − μ_r, k ≤ 2, from the family (a = 0: E1, 1: E2). */
fn hval(a: u32, r: u32, k: u32) -> f32 {
  if (k == 2u) { return hv[16u + 2u * a + r]; }
  return hv[2u * (2u * a + r) + k];
}

fn point_scalars(E1: f32, E2: f32, muS: f32, muD: f32) {
  var mu = array<f32, 2>(muS, muD);
  let T = model.t;
  let U = model.u;
  var gam = array<f32, 2>(model.gamma_s, model.gamma_d);
  var pol = array<f32, 2>(model.p_s, model.p_d);
  for (var r = 0u; r < 2u; r++) {
    sc[SC_FERMI + 4u * r] = fermi_plus(E1, mu[r]);
    sc[SC_FERMI + 4u * r + 1u] = fermi_minus(E1, mu[r]);
    sc[SC_FERMI + 4u * r + 2u] = fermi_plus(E2, mu[r]);
    sc[SC_FERMI + 4u * r + 3u] = fermi_minus(E2, mu[r]);
    sc[SC_EXCH + r] = pol[r] * gam[r] * INV_PI * (hval(1u, r, 0u) - hval(0u, r, 0u));
  }
  for (var k = 0u; k < 4u; k++) {
    let r = k / 2u;
    let q = k % 2u;
    let delta = mu[r] - mu[q];
    let x = delta / T;
    var Iaa: f32; var Ikk: f32; var Iak: f32;
    if (abs(x) < EQUAL_MU_WINDOW) {
      // N δ = T x/(eˣ − 1), series (|x| < 0.05: truncation x⁶/30240 < 1e-12)
      let Nd = T * (1.0 - 0.5 * x + x * x / 12.0 - x * x * x * x / 720.0);
      let eta = 0.5 * delta;
      let e2 = eta * eta / 6.0;
      if (r == q) {
        Iaa = -Nd * hval(0u, r, 2u);
        Ikk = -Nd * hval(1u, r, 2u);
        Iak = Nd / U * (hval(0u, r, 1u) - hval(1u, r, 1u));
      } else {
        // h′…h⁗ at E1 − m (hv[8..11]) and E2 − m (hv[12..15])
        Iaa = Nd * (-hv[9] - e2 * hv[11]);
        Ikk = Nd * (-hv[13] - e2 * hv[15]);
        Iak = Nd / U * (hv[8] - hv[12] + e2 * (hv[10] - hv[14]));
      }
    } else {
      var N: f32;
      if (x > 0.0) { let e = exp(-min(x, 80.0)); N = e / (1.0 - e); } else { N = -1.0 / (1.0 - exp(max(x, -80.0))); }
      Iaa = N * (hval(0u, r, 1u) - hval(0u, q, 1u));
      Ikk = N * (hval(1u, r, 1u) - hval(1u, q, 1u));
      let Gr = (hval(1u, r, 0u) - hval(0u, r, 0u)) / U;
      let Gq = (hval(1u, q, 0u) - hval(0u, q, 0u)) / U;
      Iak = N * (Gr - Gq);
    }
    let w = gam[r] * gam[q] * INV_2PI;
    sc[SC_COT + 3u * k] = w * (Iaa - 2.0 * Iak + Ikk);
    sc[SC_COT + 3u * k + 1u] = w * (Iak - Ikk);
    sc[SC_COT + 3u * k + 2u] = w * Ikk;
  }
}

// ---- the 6×6 steady state ----------------------------------------------------------------------------

struct Geo { nS: vec3<f32>, nD: vec3<f32>, B: vec3<f32> }

fn lead_n(g: Geo, r: u32) -> vec3<f32> { if (r == 0u) { return g.nS; } return g.nD; }

/** W[S rows, S cols] += M with M S = S × v. */
fn add_cross(W: ptr<function, array<f32, 36>>, v: vec3<f32>) {
  (*W)[22] += v.z; (*W)[23] -= v.y;
  (*W)[29] += v.x; (*W)[27] -= v.z;
  (*W)[33] += v.y; (*W)[34] -= v.x;
}

fn assemble(W: ptr<function, array<f32, 36>>, g: Geo, normalise: bool) {
  for (var i = 0u; i < 36u; i++) { (*W)[i] = 0.0; }
  var gam = array<f32, 2>(model.gamma_s, model.gamma_d);
  var pol = array<f32, 2>(model.p_s, model.p_d);
  for (var r = 0u; r < 2u; r++) {
    let f1p = sc[SC_FERMI + 4u * r]; let f1m = sc[SC_FERMI + 4u * r + 1u];
    let f2p = sc[SC_FERMI + 4u * r + 2u]; let f2m = sc[SC_FERMI + 4u * r + 3u];
    let G = gam[r]; let pr = pol[r]; let nr = lead_n(g, r);
    (*W)[0] += -2.0 * G * f1p; (*W)[1] += G * f1m;
    (*W)[13] += G * f2p; (*W)[14] += -2.0 * G * f2m;
    for (var c = 0u; c < 3u; c++) {
      (*W)[3u + c] += 2.0 * G * f1m * pr * nr[c];
      (*W)[15u + c] += -2.0 * G * f2p * pr * nr[c];
      let row = (3u + c) * 6u;
      (*W)[row] += G * pr * nr[c] * f1p;
      (*W)[row + 1u] += 0.5 * G * pr * nr[c] * (f2p - f1m);
      (*W)[row + 2u] += -G * pr * nr[c] * f2m;
      (*W)[row + 3u + c] += -G * (f1m + f2p);
    }
  }
  add_cross(W, g.B);
  if (model.order == 1u) {
    for (var k = 0u; k < 4u; k++) {
      let r = k / 2u; let q = k % 2u;
      let wJ = sc[SC_COT + 3u * k]; let wC = sc[SC_COT + 3u * k + 1u];
      let nr = lead_n(g, r); let nq = lead_n(g, q); let pr = pol[r]; let pq = pol[q];
      for (var i = 0u; i < 3u; i++) {
        let row = (3u + i) * 6u;
        (*W)[row + 1u] += wJ * (pq * nq[i] - pr * nr[i]);
        for (var j = 0u; j < 3u; j++) { (*W)[row + 3u + j] += 2.0 * wJ * pq * pr * nq[i] * nr[j]; }
        (*W)[row + 3u + i] += -2.0 * wJ;
      }
      add_cross(W, 2.0 * pr * pq * wC * cross(nq, nr));
    }
  }
  if (normalise) { for (var c = 0u; c < 6u; c++) { (*W)[6u + c] = select(0.0, 1.0, c < 3u); } }
}

/** Gaussian elimination with partial pivoting, the steps of src/numerics/linalg.ts solveInPlace. */
fn solve6(A: ptr<function, array<f32, 36>>, b: ptr<function, array<f32, 6>>) {
  for (var col = 0u; col < 6u; col++) {
    var piv = col;
    var best = abs((*A)[col * 6u + col]);
    for (var r = col + 1u; r < 6u; r++) { let v = abs((*A)[r * 6u + col]); if (v > best) { best = v; piv = r; } }
    if (piv != col) {
      for (var c = 0u; c < 6u; c++) { let t = (*A)[col * 6u + c]; (*A)[col * 6u + c] = (*A)[piv * 6u + c]; (*A)[piv * 6u + c] = t; }
      let t = (*b)[col]; (*b)[col] = (*b)[piv]; (*b)[piv] = t;
    }
    let d = (*A)[col * 6u + col];
    for (var r = col + 1u; r < 6u; r++) {
      let f = (*A)[r * 6u + col] / d;
      if (f == 0.0) { continue; }
      for (var c = col; c < 6u; c++) { (*A)[r * 6u + c] -= f * (*A)[col * 6u + c]; }
      (*b)[r] -= f * (*b)[col];
    }
  }
  for (var rr = 0u; rr < 6u; rr++) {
    let r = 5u - rr;
    var s = (*b)[r];
    for (var c = r + 1u; c < 6u; c++) { s -= (*A)[r * 6u + c] * (*b)[c]; }
    (*b)[r] = s / (*A)[r * 6u + r];
  }
}

struct Drain { J: f32, I: vec3<f32> }

/** Particle and spin current into the drain (the D part of transport.ts leadCurrents). */
fn drain_currents(g: Geo, y: array<f32, 6>) -> Drain {
  var gam = array<f32, 2>(model.gamma_s, model.gamma_d);
  var pol = array<f32, 2>(model.p_s, model.p_d);
  let P0 = y[0]; let P1 = y[1]; let P2 = y[2];
  let S = vec3<f32>(y[3], y[4], y[5]);
  var out: Drain;
  {
    let f1p = sc[SC_FERMI + 4u]; let f1m = sc[SC_FERMI + 5u]; let f2p = sc[SC_FERMI + 6u]; let f2m = sc[SC_FERMI + 7u];
    let G = gam[1]; let pr = pol[1]; let nr = g.nD; let b = sc[SC_EXCH + 1u];
    let nS = dot(nr, S);
    out.J = G * (f1m * (P1 + 2.0 * pr * nS) - 2.0 * f1p * P0 + 2.0 * f2m * P2 - f2p * (P1 - 2.0 * pr * nS));
    let acc = f1p * P0 - 0.5 * f1m * P1 + 0.5 * f2p * P1 - f2m * P2;
    out.I = -G * pr * acc * nr + G * (f1m + f2p) * S - b * cross(S, nr);
  }
  if (model.order == 1u) {
    for (var k = 0u; k < 4u; k++) {
      let r = k / 2u; let q = k % 2u;
      if (r != 1u && q != 1u) { continue; }
      let wJ = sc[SC_COT + 3u * k]; let wC = sc[SC_COT + 3u * k + 1u]; let wK = sc[SC_COT + 3u * k + 2u];
      let nr = lead_n(g, r); let nq = lead_n(g, q); let pr = pol[r]; let pq = pol[q];
      let nrS = dot(nr, S); let nqS = dot(nq, S);
      if (r == 1u) {
        out.I += 2.0 * wJ * S + wC * (pq * P1 * nq + 2.0 * S) + wK * pq * P1 * nq + pr * ((wJ + wK) * P1 + wC * (P1 + 2.0 * pq * nqS)) * nr;
      }
      if (q == 1u) {
        out.I -= 2.0 * wC * S + pr * P1 * (wC + wK) * nr + pq * ((wJ + wK + wC) * P1 + 2.0 * pr * (wJ + wC) * nrS) * nq;
      }
      let part = 2.0 * P1 * (wJ + wK + wC + pr * pq * dot(nr, nq) * (wC + wK)) + 4.0 * (wJ + wC) * pr * nrS + 4.0 * wC * pq * nqS;
      if (r == 1u) { out.J += part; }
      if (q == 1u) { out.J -= part; }
    }
  }
  return out;
}

/** Columns of the field frame [B̂, e1, e2] (transport.ts fieldFrame). */
struct Frame { u: vec3<f32>, e1: vec3<f32>, e2: vec3<f32> }

fn field_frame(B: vec3<f32>) -> Frame {
  let b = length(B);
  if (!(b > 0.0)) { return Frame(vec3<f32>(1.0, 0.0, 0.0), vec3<f32>(0.0, 1.0, 0.0), vec3<f32>(0.0, 0.0, 1.0)); }
  let u = B / b;
  let a = abs(u);
  var ax = vec3<f32>(0.0, 0.0, 1.0);
  if (a.x <= a.y && a.x <= a.z) { ax = vec3<f32>(1.0, 0.0, 0.0); } else if (a.y <= a.z) { ax = vec3<f32>(0.0, 1.0, 0.0); }
  let e1 = normalize(cross(u, ax));
  return Frame(u, e1, cross(u, e1));
}
fn to_frame(f: Frame, v: vec3<f32>) -> vec3<f32> { return vec3<f32>(dot(f.u, v), dot(f.e1, v), dot(f.e2, v)); }
fn from_frame(f: Frame, v: vec3<f32>) -> vec3<f32> { return v.x * f.u + v.y * f.e1 + v.z * f.e2; }

fn solve_angle(point: u32, a: u32) {
  let sinT = angles[2u * a];
  let cosT = angles[2u * a + 1u];
  let bS = sc[SC_EXCH]; let bD = sc[SC_EXCH + 1u];
  let nD0 = vec3<f32>(sinT, 0.0, cosT);
  let B = bS * vec3<f32>(0.0, 0.0, 1.0) + bD * nD0;
  let fr = field_frame(B);
  let eZ = to_frame(fr, vec3<f32>(0.0, 0.0, 1.0));
  let g = Geo(eZ, to_frame(fr, nD0), vec3<f32>(length(B), 0.0, 0.0));
  var W: array<f32, 36>;
  assemble(&W, g, true);
  var y = array<f32, 6>(0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
  solve6(&W, &y);
  let c = drain_currents(g, y);
  let nd = g.nD;
  let tau = c.I - dot(nd, c.I) * nd;
  var tauFL: f32; var tauDL: f32;
  if (abs(sinT) >= model.limit_sin) {
    let av = cross(nd, eZ);
    let bv = cross(nd, av);
    let s2 = sinT * sinT;
    tauFL = dot(tau, av) / s2;
    tauDL = dot(tau, bv) / s2;
  } else {
    // transport.ts thetaLimit at θ0 = 0 or π (c0 = sign cos θ), in the field frame of the collinear state
    let c0 = select(-1.0, 1.0, cosT > 0.0);
    let z3 = vec3<f32>(0.0, 0.0, c0);
    let fr0 = field_frame(bS * vec3<f32>(0.0, 0.0, 1.0) + bD * z3);
    let eZ0 = to_frame(fr0, vec3<f32>(0.0, 0.0, 1.0));
    let xh = to_frame(fr0, vec3<f32>(1.0, 0.0, 0.0));
    let yh = to_frame(fr0, vec3<f32>(0.0, 1.0, 0.0));
    let n0 = to_frame(fr0, z3);
    let g0 = Geo(eZ0, n0, vec3<f32>(length(bS * vec3<f32>(0.0, 0.0, 1.0) + bD * z3), 0.0, 0.0));
    var W0: array<f32, 36>;
    assemble(&W0, g0, true);
    var y0 = array<f32, 6>(0.0, 1.0, 0.0, 0.0, 0.0, 0.0);
    solve6(&W0, &y0);
    let d = c0 * xh;
    let gp = Geo(eZ0, n0 + d, bS * eZ0 + bD * (n0 + d));
    let gm = Geo(eZ0, n0 - d, bS * eZ0 + bD * (n0 - d));
    var Wp: array<f32, 36>;
    var Wm: array<f32, 36>;
    assemble(&Wp, gp, false);
    assemble(&Wm, gm, false);
    var yp: array<f32, 6>;
    for (var i = 0u; i < 6u; i++) {
      var s = 0.0;
      for (var j = 0u; j < 6u; j++) { s += 0.5 * (Wp[i * 6u + j] - Wm[i * 6u + j]) * y0[j]; }
      yp[i] = -s;
    }
    yp[1] = 0.0;
    assemble(&W0, g0, true);
    solve6(&W0, &yp);
    let d1 = drain_currents(g0, yp).I;
    let ip = drain_currents(gp, y0).I;
    let im = drain_currents(gm, y0).I;
    let Ip = d1 + 0.5 * (ip - im);
    let I0 = drain_currents(g0, y0).I;
    tauFL = -dot(Ip, yh) / c0;
    tauDL = dot(Ip, xh) - dot(I0, eZ0);
  }
  let o = (point * model.n_angles + a) * ROW_STRIDE;
  let S = from_frame(fr, vec3<f32>(y[3], y[4], y[5]));
  rows[o + ROW_TAU_FL] = tauFL;
  rows[o + ROW_TAU_DL] = tauDL;
  rows[o + ROW_CURRENT] = c.J;
  rows[o + ROW_OCCUPATION] = y[1] + 2.0 * y[2];
  rows[o + ROW_P0] = y[0];
  rows[o + ROW_P1] = y[1];
  rows[o + ROW_P2] = y[2];
  rows[o + ROW_SPIN] = S.x;
  rows[o + ROW_SPIN + 1u] = S.y;
  rows[o + ROW_SPIN + 2u] = S.z;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let point = wid.x + wid.y * nwg.x;
  if (point >= model.n_points) { return; }
  let eps = points[2u * point];
  let V = points[2u * point + 1u];
  let E1 = eps - 0.5 * model.u;
  let E2 = eps + 0.5 * model.u;
  let muS = 0.5 * V;
  let muD = -0.5 * V;
  if (lid < 20u) { hv[lid] = family_task(lid, E1, E2, muS, muD); }
  workgroupBarrier();
  if (lid == 0u) { point_scalars(E1, E2, muS, muD); }
  workgroupBarrier();
  for (var a = lid; a < model.n_angles; a += WG) { solve_angle(point, a); }
}
