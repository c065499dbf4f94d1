// Intergrain exchange of two ferromagnetic grains (seed 002), every contribution of a whole sweep in one
// dispatch: one workgroup per row (one outer node k₁ of one band pair of one term at one sweep point; rows
// built on the host in float64, src/kernels/granular/rows.ts), its invocations over the inner k₂ nodes, for
// I_ex each running the q rule with the truncated sine series of ω̂. Float32 transcription of the twin
// src/kernels/granular/cpu.ts and of the integrands in src/models/granular/integrands.ts (derivations there).
// All integrands are scaled by e^{2κ₀d} (the host restores the Fermi-level decay in float64), so every
// exponential here is e^{−x}, x ≥ 0: no underflow of the tunnelling factors in float32.
//
// Host-injected (composeShader): WG; node tables LU, LW (inner piece 1), GU, GC, GW (inner piece 2, graded),
// QLU, QLW (q piece 1), QS, QC, QW (lens piece); INNER_N, Q_N; ACOS_C (8, A&S 4.4.46), SEG_C (10), SEG_BELOW;
// OMEGA_MAX; SLOT_TERM, SLOT_B1, SLOT_B2 (22 band-pair slots); PT_* and ROW_* row offsets, ROW_U_STRIDE; struct Run.
// Mesa llvmpipe caps the total loop iterations of one invocation (65535) and then leaves every loop after one
// pass, silently: the host sizes the rule far below that (loopIterationsPerInvocation), and the probe loop at
// the end (runtime bound 2) runs once instead of twice if the cap was hit, which raises flags[0].

@group(0) @binding(0) var<uniform> run: Run;
@group(0) @binding(1) var<storage, read> points: array<f32>;
@group(0) @binding(2) var<storage, read> rowF: array<f32>;
@group(0) @binding(3) var<storage, read> rowU: array<u32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;
@group(0) @binding(5) var<storage, read_write> flags: array<atomic<u32>>;

const PI: f32 = 3.141592653589793;

var<workgroup> red: array<f32, WG>;
var<private> hn: array<f32, OMEGA_MAX>;
var<private> kn2: array<f32, OMEGA_MAX>;

struct Node { k: f32, fd: f32, kap: f32 }
struct Pt { kF: vec2<f32>, kmax: vec2<f32>, kappa0: f32, d: f32, W: vec2<f32>, epsC: f32, nOmega: u32 }

fn load_point(p: u32) -> Pt {
  let o = p * PT_STRIDE;
  return Pt(vec2<f32>(points[o + PT_K_F], points[o + PT_K_F + 1u]), vec2<f32>(points[o + PT_KMAX], points[o + PT_KMAX + 1u]),
    points[o + PT_KAPPA0], points[o + PT_D], vec2<f32>(points[o + PT_W], points[o + PT_W + 1u]), points[o + PT_EPS_C],
    u32(points[o + PT_N_OMEGA] + 0.5));
}

fn tau2(k: f32, kmax: f32) -> f32 { return 4.0 * k * k / (kmax * kmax); }
fn decay2(P: Pt, kap: f32) -> f32 { return exp(-2.0 * (kap - P.kappa0) * P.d); }

fn acos_poly(x: f32) -> f32 {
  let ax = abs(x);
  var p = ACOS_C[7];
  for (var k = 6; k >= 0; k--) { p = p * ax + ACOS_C[k]; }
  let r = sqrt(max(0.0, 1.0 - ax)) * p;
  return select(PI - r, r, x >= 0.0);
}

/** R² seg(α), seg = α − sin α cos α, sin α = sn, cos α = c (series in sn where c > SEG_BELOW). */
fn segment(R: f32, sn: f32, c: f32) -> f32 {
  if (c > SEG_BELOW) {
    let s2 = sn * sn;
    var p = SEG_C[9];
    for (var n = 8; n >= 0; n--) { p = p * s2 + SEG_C[n]; }
    return R * R * p * s2 * sn;
  }
  return R * R * (acos_poly(clamp(c, -1.0, 1.0)) - sn * c);
}

/** Overlap of discs R1, R2 at distance q; top = R1 + R2 − q, low = q − |R1 − R2| (both from the q map). */
fn lens(q: f32, R1: f32, R2: f32, top: f32, low: f32) -> f32 {
  if (!(top > 0.0)) { return 0.0; }
  if (!(low > 0.0)) { let r = min(R1, R2); return PI * r * r; }
  let rk = sqrt(top * low * (q + abs(R1 - R2)) * (q + R1 + R2));
  let c1 = (q * q + R1 * R1 - R2 * R2) / (2.0 * q * R1);
  let c2 = (q * q + R2 * R2 - R1 * R1) / (2.0 * q * R2);
  return segment(R1, rk / (2.0 * q * R1), c1) + segment(R2, rk / (2.0 * q * R2), c2);
}

/** Tail of the scaled sine series (src/models/granular/omega.ts omegaTail). */
fn omega_tail(A: f32, Q: f32, e1: f32, d: f32, N: u32) -> f32 {
  let X = (f32(N) + 0.5) * PI / d; let X2 = X * X; let iX2 = 1.0 / X2; let iX3 = iX2 / X;
  let c1 = 2.0 * A + Q; let c2 = 3.0 * A * A + 2.0 * A * Q + Q * Q; let c3 = 4.0 * A * A * A + 3.0 * A * A * Q + 2.0 * A * Q * Q + Q * Q * Q;
  let I = iX3 * (1.0 / 3.0 - iX2 * (c1 / 5.0 - iX2 * (c2 / 7.0 - iX2 * c3 / 9.0)));
  let g = X2 / ((A + X2) * (A + X2) * (X2 + Q));
  return (1.0 + e1 * e1) * (d / PI) * I + select(-e1, e1, (N % 2u) == 0u) * g;
}

/** ∫ q ω̂(q, a) ½A_lens dq on the fixed q rule (twin: lensOmegaFixed). */
fn lens_omega(R1: f32, R2: f32, a: f32, d: f32, N: u32) -> f32 {
  let e1 = exp(-a * d); let A = a * a; let step = PI / d;
  for (var n = 0u; n < N; n++) {
    let k = f32(n + 1u) * step; let k2 = k * k;
    let f = 1.0 - select(e1, -e1, (n % 2u) == 0u);   // n + 1 odd ↔ n even: 1 + e1
    let den = A + k2;
    hn[n] = k2 * f * f / (den * den); kn2[n] = k2;
  }
  let lo = abs(R1 - R2); let span = R1 + R2 - lo;
  var sum = 0.0;
  for (var m = 0u; m < 2u * Q_N; m++) {
    var q: f32; var w: f32; var area: f32;
    if (m < Q_N) {
      if (!(lo > 0.0)) { continue; }
      q = lo * QLU[m]; w = lo * QLW[m]; let r = min(R1, R2); area = PI * r * r;
    } else {
      let j = m - Q_N;
      let low = span * QS[j]; q = lo + low; w = span * QW[j];
      area = lens(q, R1, R2, span * QC[j], low);
    }
    let Q = q * q;
    var s = 0.0;
    for (var n = 0u; n < N; n++) { s += hn[n] / (kn2[n] + Q); }
    let om = (8.0 / d) * (s + omega_tail(A, Q, e1, d, N));
    sum += w * q * om * 0.5 * area;
  }
  return sum;
}

fn gap_overlap(P: Pt, k1: f32, k2: f32) -> f32 {
  let x = 0.5 * (k1 - k2) * P.d;
  if (abs(x) < 0.5) {
    let x2 = x * x;
    return P.d * exp(-(0.5 * (k1 + k2) - P.kappa0) * P.d) * (1.0 + x2 / 6.0 * (1.0 + x2 / 20.0 * (1.0 + x2 / 42.0)));
  }
  return (exp(-(k2 - P.kappa0) * P.d) - exp(-(k1 - P.kappa0) * P.d)) / (k1 - k2);
}

fn bracket_b(kap1: f32, k2: f32, kap2: f32) -> f32 {
  let k = k2 * k2;
  return k * (k + kap1 * kap1 + (kap1 + kap2) * (kap1 + kap2)) / (kap1 * (k + kap2 * kap2) * (k + kap1 * kap1));
}

fn integrand(term: u32, b1: u32, b2: u32, P: Pt, n1: Node, n2: Node, dEF: f32) -> f32 {
  let d = P.d; let k0 = P.kappa0;
  switch term {
    case 0u: { // H_V
      return n2.fd * tau2(n2.k, P.kmax[b1]) / n2.kap * decay2(P, n2.kap);
    }
    case 1u: { // H_P
      let delta = min(n1.fd, n2.fd);
      if (!(delta > 0.0)) { return 0.0; }
      let t12 = tau2(n1.k, P.kmax[b1]) * tau2(n2.k, P.kmax[b2]);
      let ks = n1.kap + n2.kap;
      let e2 = exp(-(n2.kap - k0) * d); let e1 = exp(-(n1.kap - k0) * d);
      let g21 = ks / (n1.k * n1.k + n2.kap * n2.kap); let g12 = ks / (n2.k * n2.k + n1.kap * n1.kap);
      return delta * P.W[b1] * t12 * g21 * (g12 * e1 * e2 + g21 * e2 * e2 + gap_overlap(P, n1.kap, n2.kap) * e2);
    }
    case 2u: { // H_hε
      let w = n2.fd - max(0.0, n1.fd);
      if (!(w > 0.0)) { return 0.0; }
      let dE = HBAR2_2M * (n2.fd - n1.fd) + dEF + P.epsC;
      let g = (n1.kap + n2.kap) / (n1.k * n1.k + n2.kap * n2.kap);
      let W = P.W[b1];
      return w * W * W * tau2(n1.k, P.kmax[b1]) * tau2(n2.k, P.kmax[b2]) * g * g * decay2(P, n2.kap) / dE;
    }
    case 3u: { // L_loc
      let t1 = tau2(n1.k, P.kmax[b1]); let t2 = tau2(n2.k, P.kmax[b2]);
      return n1.fd * n2.fd * (t1 * decay2(P, n1.kap) / n1.kap * bracket_b(n1.kap, n2.k, n2.kap) +
        t2 * decay2(P, n2.kap) / n2.kap * bracket_b(n2.kap, n1.k, n1.kap));
    }
    case 4u: { // L_Ec
      let delta = min(n1.fd, n2.fd);
      if (!(delta > 0.0)) { return 0.0; }
      let ks = n1.kap + n2.kap;
      let g1 = n2.k * n2.k + n1.kap * n1.kap; let g2 = n1.k * n1.k + n2.kap * n2.kap;
      let e1 = decay2(P, n1.kap); let e2 = decay2(P, n2.kap);
      let X = tau2(n1.k, P.kmax[b1]) * tau2(n2.k, P.kmax[b2]) * ks * ks *
        (e1 / (g1 * g1 * n1.kap) + e2 / (g2 * g2 * n2.kap) + 2.0 * sqrt(e1 * e2) / (g1 * g2 * max(n1.kap, n2.kap)));
      return delta * X;
    }
    default: { // I_ex
      let pf = tau2(n1.k, P.kmax[b1]) * tau2(n2.k, P.kmax[b2]) / (n1.kap + n2.kap) * decay2(P, min(n1.kap, n2.kap));
      return pf * lens_omega(sqrt(max(0.0, n1.fd)), sqrt(max(0.0, n2.fd)), abs(n1.kap - n2.kap), d, P.nOmega);
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * run.gx;
  var acc = 0.0;
  var w1 = 0.0;
  if (row < run.rows) {
    let o = row * ROW_STRIDE;
    let p = rowU[row * ROW_U_STRIDE]; let slot = rowU[row * ROW_U_STRIDE + 1u];
    let term = SLOT_TERM[slot]; let b1 = SLOT_B1[slot]; let b2 = SLOT_B2[slot];
    let P = load_point(p);
    let n1 = Node(rowF[o + ROW_K1], rowF[o + ROW_FD1], rowF[o + ROW_KAP1]);
    w1 = rowF[o + ROW_W1];
    let mid = rowF[o + ROW_MID]; let fdMid = rowF[o + ROW_FD_MID];
    let hi = rowF[o + ROW_HI]; let fdHi = rowF[o + ROW_FD_HI]; let dEF = rowF[o + ROW_SHIFT];
    let k0sq = P.kappa0 * P.kappa0;
    let L = hi - mid;
    for (var j = lid; j < 2u * INNER_N; j += WG) {
      var k: f32; var fd: f32; var w: f32;
      if (j < INNER_N) {
        if (!(mid > 0.0)) { continue; }
        k = mid * LU[j]; fd = (mid - k) * (mid + k) + fdMid; w = mid * LW[j];
      } else {
        if (!(L > 0.0)) { continue; }
        let m = j - INNER_N;
        k = mid + L * GU[m]; fd = L * GC[m] * (hi + k) + fdHi; w = L * GW[m];
      }
      acc += w * integrand(term, b1, b2, P, n1, Node(k, fd, sqrt(k0sq + fd)), dEF);
    }
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  var probe = 0u;
  for (var i = 0u; i < run.probe; i++) { probe++; }
  if (lid == 0u && row < run.rows) {
    partial[row] = red[0] * w1;
    if (probe != run.probe) { atomicOr(&flags[0], 1u); }
  }
}
