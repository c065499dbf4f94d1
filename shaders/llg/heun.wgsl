// Stochastic Heun (Stratonovich) integration of an LLG problem: trajectories of K-spin systems whose
// parameters come from shared point rows (trajectory t uses point ⌊t / tpp⌋), WS trajectories per
// invocation, many steps per dispatch. Float64 twin: src/kernels/llg/cpu.ts (same algorithm, same Philox
// counters). WS > 1 (scalar damping, or tensor damping with one free spin: ONE_FREE) interleaves the
// independent dependency chains of WS systems, which a CPU adapter (llvmpipe, latency-bound) overlaps;
// each system keeps its arithmetic and noise, so results agree across WS to float32 rounding (macrospins
// bit for bit). Composed after rng/philox.wgsl with a header (src/kernels/llg/webgpu.ts heunShader)
// defining the Run uniform struct and:
//   KS (K, spins per system), WS, NSPIN (WS·K: the spins one invocation integrates; spin w·K + i is spin i of
//   its w-th system), NPS (K(K-1)/2, pairs per system), NPAIR (WS·NPS), NPAIR1 (max(NPAIR,1)), DIMS (3K),
//   DIM (3·NSPIN), TENSOR (bool; WS = 1 unless ONE_FREE), SWITCH_BAND (f32), SSTRIDE (floats per trajectory
//   of `state`), STREAM_THERMAL; the point-row layout of src/llg/layout.ts: SLOT_<NAME> and SLOT_STRIDE (per
//   spin), PAIR_FORWARD, PAIR_REVERSE, PAIR_STRIDE (per pair), POINT_PAIRS, POINT_TENSOR, POINT_TABLES and
//   PSTRIDE (per point); NONRECIP (bool: some pair has a reverse tensor other than the forward one's
//   transpose), NPAIR_REV (NPAIR1 if NONRECIP else 1), ONSITE_TENSOR (bool: some spin has a non-zero on-site
//   anisotropy tensor Q), NSPIN_Q (NSPIN if ONSITE_TENSOR else 1), DRIFT (bool, TENSOR only: add the
//   noise-induced drift of tensor damping, derivation in src/kernels/llg/cpu.ts), NSPIN_D (NSPIN if DRIFT
//   else 1), ONE_FREE (bool, TENSOR only: every spin but FREE is pinned at every point, so the damping solve
//   and the drift reduce to 3×3 blocks of spin FREE, in closed form), FREE (u32), NOISE_FREE_ONLY (bool,
//   ONE_FREE only: the noise factor's rows of spin FREE vanish in the other spins' columns, so only spin
//   FREE's normals are drawn: the same numbers, the rest are multiplied by 0 in the CPU twin), NSPIN_LF
//   (ONE_FREE && !NOISE_FREE_ONLY: FREE + 1, else 1), NLF (WS·NSPIN_LF), NA (DIM*DIM with TENSOR and not
//   ONE_FREE, else 1), RECORD (bool: some trajectory is recorded), TORQUE (bool: some spin has a field- or
//   damping-like spin torque, constant or tabulated), TORQUE_TABLE (bool), NT (table nodes), TABLE_ZETA (bool: the
//   tables' grid variable is ζ = √(1+u) − √(1−u), else u), TABLE_SCALE (f32, (NT − 1)/2), TABLES_PER_SPIN (2, or 3
//   with readout tables), ANGLE / READOUT (bool: time-average the angle to p / the readout table), XS_ANGLE,
//   XS_READOUT (their offsets in a trajectory's state); OSCILLATOR (bool: one oscillator (Q, P) per system, coupled to
//   the spins, integrated jointly with m; generic path only, never with ONE_FREE; src/llg/model.ts OscillatorSpec),
//   OSC_<NAME> and OSC_STRIDE (its slots at POINT_OSC of a point row, the spins' coupling vectors after them),
//   NSPIN_O (NSPIN if OSCILLATOR else 1), XS_OSC (its offset in a trajectory's state), STREAM_OSCILLATOR, RECDIM
//   (floats per recorded sample: DIMS, + 2 for (Q, P) with OSCILLATOR).
// Point row (src/llg/layout.ts): K spin rows (field B, K, axis n, S, torque axis p, a_FL, a_DL, α, σ (per-step
//   noise std), pinned, on-site tensor Q (xx, yy, zz, xy, xz, yz), init m, initial side) | pairs i < j:
//   forward 𝕁_ij row-major (field on i = 𝕁_ij m_j), reverse 𝕁_ji (field on j = 𝕁_ji m_i; = 𝕁_ijᵀ unless
//   non-reciprocal) | tensor mode: damping α [DIMS²], noise factor L/√dt [DIMS²], k_BT of the drift correction
//   (0: none) | torque tables: per spin NT values of a_FL then NT of a_DL at u_k = −1 + 2k/(NT − 1)
//   | OSCILLATOR: ω0, Φ, γ, σ_P (per-step noise std of P), initial (Q, P), then Σ A e per spin [DIMS].
// State per trajectory (f32): m[DIMS] | window partial sum[DIMS] | initial side of m.n [KS] (+1, -1, 0 = pinned)
//   | ANGLE: window partial sum of the angle to p [KS] (at XS_ANGLE) | READOUT: of the readout g(m·p) [KS] (at XS_READOUT)
//   | OSCILLATOR: window partial sums of Q, Q², P², then Q, P (at XS_OSC)
// Flags per trajectory (u32): first-switch step+1 [KS] (0 = never) | loop-limit flag
// A spin has switched when s0 * (m.n) < -SWITCH_BAND: the band keeps float32 and float64 rounding of a
// start with m.n ~ 0 from counting as a switch (numerics: src/llg/layout.ts SWITCH_BAND).
// Mesa llvmpipe caps the total loop iterations of one invocation (65535) and then leaves every loop
// after one pass, silently. The host keeps dispatches far below that; the probe loop after the step
// loop (runtime bound 2) runs once instead of twice if the cap was hit, and raises the flag.


@group(0) @binding(0) var<uniform> run: Run;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;
@group(0) @binding(3) var<storage, read_write> rec: array<f32>;
@group(0) @binding(4) var<storage, read_write> flags: array<u32>;

const HBAR: f32 = 0.6582119569;

struct Spin {
  B: vec3<f32>, K2: f32,      // K2 = 2K
  n: vec3<f32>, w: f32,       // w = -1/(hbar S)
  wg: f32,                    // w / (1 + alpha^2): scalar Gilbert damping in Landau-Lifshitz form
  p: vec3<f32>, fl: f32,
  dl: f32, alpha: f32, sigma: f32, pinned: bool,
  tab: u32,                   // TORQUE_TABLE: index of this spin's a_FL table in params (a_DL at + NT)
}

var<private> sp: array<Spin, NSPIN>;
var<private> J: array<mat3x3<f32>, NPAIR1>;   // J[p] * v = 𝕁_ij v (row-major 𝕁_ij loaded transposed)
var<private> Jr: array<mat3x3<f32>, NPAIR_REV>; // v * Jr[p] = 𝕁_ji v (row-major 𝕁_ji loaded as is: columns = its rows); NONRECIP only
var<private> Q2: array<mat3x3<f32>, NSPIN_Q>;  // 2 Q_i (symmetric): on-site anisotropy field 2 Q m; ONSITE_TENSOR only
var<private> A: array<f32, NA>;               // damping tensor (TENSOR, not ONE_FREE)
var<private> L: array<f32, NA>;               // noise factor / sqrt(dt) (TENSOR, not ONE_FREE)
var<private> Aff: array<mat3x3<f32>, WS>;        // ONE_FREE: block (FREE, FREE) of α of system w (Aff[w] * v = α_ff v)
var<private> LF: array<mat3x3<f32>, NLF>;       // ONE_FREE: blocks (FREE, j ≤ FREE) of system w's noise factor at w·NSPIN_LF + j (NOISE_FREE_ONLY: only (FREE, FREE))
var<private> HS: array<f32, NSPIN_D>;          // ħ S_i (DRIFT)
var<private> kT: array<f32, WS>;               // k_BT of the drift correction of system w (DRIFT)
// OSCILLATOR: system w's (ω0/ħ, 6Φ/ħ, γ, σ_P) and the coupling vectors Σ A e of its spins (field −Q A e)
var<private> opar: array<vec4<f32>, WS>;
var<private> oc: array<vec3<f32>, NSPIN_O>;

// Row of the point of batch trajectory `sys` (those past the end use the last trajectory's point).
fn point_row(sys: u32) -> u32 {
  return ((min(sys, run.n_systems - 1u) + run.sys_offset) / run.tpp - run.point0) * PSTRIDE;
}

// Parameters of the invocation's systems first_sys … first_sys + WS − 1 (those past the end repeat the last
// system; their results are not written).
fn load_params(first_sys: u32) {
  for (var i = 0u; i < NSPIN; i++) {
    let row = point_row(first_sys + i / KS);
    let s = row + (i % KS) * SLOT_STRIDE;
    sp[i].B = vec3<f32>(params[s + SLOT_FIELD], params[s + SLOT_FIELD + 1u], params[s + SLOT_FIELD + 2u]);
    sp[i].K2 = 2.0 * params[s + SLOT_ANISOTROPY];
    sp[i].n = vec3<f32>(params[s + SLOT_AXIS], params[s + SLOT_AXIS + 1u], params[s + SLOT_AXIS + 2u]);
    sp[i].w = -1.0 / (HBAR * params[s + SLOT_S]);
    sp[i].p = vec3<f32>(params[s + SLOT_TORQUE_AXIS], params[s + SLOT_TORQUE_AXIS + 1u], params[s + SLOT_TORQUE_AXIS + 2u]);
    sp[i].fl = params[s + SLOT_FIELD_LIKE];
    sp[i].dl = params[s + SLOT_DAMPING_LIKE];
    sp[i].alpha = params[s + SLOT_ALPHA];
    sp[i].wg = sp[i].w / (1.0 + sp[i].alpha * sp[i].alpha);
    sp[i].sigma = params[s + SLOT_SIGMA];
    sp[i].pinned = params[s + SLOT_PINNED] != 0.0;
    sp[i].tab = row + POINT_TABLES + TABLES_PER_SPIN * NT * (i % KS);
    if (ONSITE_TENSOR) {
      let t = s + SLOT_TENSOR;  // xx, yy, zz, xy, xz, yz; symmetric, so columns = rows
      let xx = params[t]; let yy = params[t + 1u]; let zz = params[t + 2u];
      let xy = params[t + 3u]; let xz = params[t + 4u]; let yz = params[t + 5u];
      Q2[i] = 2.0 * mat3x3<f32>(xx, xy, xz, xy, yy, yz, xz, yz, zz);
    }
  }
  for (var q = 0u; q < NPAIR; q++) {
    let s = point_row(first_sys + q / max(NPS, 1u)) + POINT_PAIRS + (q % max(NPS, 1u)) * PAIR_STRIDE;
    // mat3x3 takes columns; passing the rows of 𝕁 gives 𝕁ᵀ, so transpose back.
    J[q] = transpose(mat3x3<f32>(params[s], params[s + 1u], params[s + 2u], params[s + 3u], params[s + 4u],
                                 params[s + 5u], params[s + 6u], params[s + 7u], params[s + 8u]));
    if (NONRECIP) {
      // (v * M)_k = dot(v, column k of M) = dot(row k of 𝕁_ji, v): no transpose. For a reciprocal
      // pair (𝕁_ji = 𝕁_ijᵀ) Jr[q] equals J[q] entry by entry: the same field on j as without NONRECIP.
      let r = s + PAIR_REVERSE;
      Jr[q] = mat3x3<f32>(params[r], params[r + 1u], params[r + 2u], params[r + 3u], params[r + 4u],
                          params[r + 5u], params[r + 6u], params[r + 7u], params[r + 8u]);
    }
  }
  if (OSCILLATOR) {
    for (var w = 0u; w < WS; w++) {
      let o = point_row(first_sys + w) + POINT_OSC;
      opar[w] = vec4<f32>(params[o + OSC_OMEGA0] / HBAR, 6.0 * params[o + OSC_CUBIC] / HBAR, params[o + OSC_DAMPING], params[o + OSC_SIGMA]);
      for (var i = 0u; i < KS; i++) {
        let c = o + OSC_STRIDE + 3u * i;
        oc[w * KS + i] = vec3<f32>(params[c], params[c + 1u], params[c + 2u]);
      }
    }
  }
  if (TENSOR) {
    for (var w = 0u; w < WS; w++) {   // WS = 1 unless ONE_FREE
      let o = point_row(first_sys + w);
      let t = o + POINT_TENSOR;
      if (ONE_FREE) {
        Aff[w] = pblock(t, FREE, FREE);
        if (NOISE_FREE_ONLY) {
          LF[w] = pblock(t + DIMS * DIMS, FREE, FREE);
        } else {
          for (var j = 0u; j <= FREE; j++) { LF[w * NSPIN_LF + j] = pblock(t + DIMS * DIMS, FREE, j); }
        }
      } else {
        for (var k = 0u; k < DIM * DIM; k++) { A[k] = params[t + k]; L[k] = params[t + DIM * DIM + k]; }
      }
      if (DRIFT) {
        kT[w] = params[t + 2u * DIMS * DIMS];
        for (var i = 0u; i < KS; i++) { HS[w * KS + i] = HBAR * params[o + i * SLOT_STRIDE + SLOT_S]; }
      }
    }
  }
}

// Block (i, j) of a system's row-major DIMS×DIMS matrix at params[o] as a mat3x3 (M * v = block · v).
fn pblock(o: u32, i: u32, j: u32) -> mat3x3<f32> {
  let e = o + 3u * i * DIMS + 3u * j;
  return mat3x3<f32>(params[e], params[e + DIMS], params[e + 2u * DIMS], params[e + 1u], params[e + DIMS + 1u], params[e + 2u * DIMS + 1u],
                     params[e + 2u], params[e + DIMS + 2u], params[e + 2u * DIMS + 2u]);
}

// Catmull–Rom value of the NT-node table at params[base] at u ∈ [−1, 1] (twin: src/llg/torqueTable.ts); the
// grid variable is u, or ζ = √(1+u) − √(1−u) ∈ [−√2, √2] with TABLE_ZETA.
fn table_at(base: u32, u: f32) -> f32 {
  let c = clamp(u, -1.0, 1.0);
  var g = c;
  if (TABLE_ZETA) { g = (sqrt(1.0 + c) - sqrt(1.0 - c)) * 0.70710678118654752; }
  let x = clamp((g + 1.0) * TABLE_SCALE, 0.0, f32(NT - 1u));
  let k = min(u32(x), NT - 2u);
  let t = x - f32(k);
  let y1 = params[base + k]; let y2 = params[base + k + 1u];
  // ghost nodes past the ends: quadratic extrapolation (linear with 2 nodes), as in the twin
  let e0 = select(2.0 * y1 - y2, 3.0 * (y1 - y2) + params[base + min(2u, NT - 1u)], NT > 2u);
  let e3 = select(2.0 * y2 - y1, 3.0 * (y2 - y1) + params[base + NT - min(3u, NT)], NT > 2u);
  let y0 = select(params[base + max(k, 1u) - 1u], e0, k == 0u);
  let y3 = select(params[base + min(k + 2u, NT - 1u)], e3, k + 2u >= NT);
  return y1 + 0.5 * t * ((y2 - y0) + t * ((2.0 * y0 - 5.0 * y1 + 4.0 * y2 - y3) + t * (3.0 * (y1 - y2) + y3 - y0)));
}

// Spin-torque amplitudes (a_FL, a_DL) of spin i at orientation mm: the constants plus the tables at u = m·p.
fn torque_amps(i: u32, mm: vec3<f32>) -> vec2<f32> {
  var a = vec2<f32>(sp[i].fl, sp[i].dl);
  if (TORQUE_TABLE) {
    let u = dot(mm, sp[i].p);
    a += vec2<f32>(table_at(sp[i].tab, u), table_at(sp[i].tab + NT, u));
  }
  return a;
}

// ONE_FREE: field on spin FREE of system w (all other spins are pinned; their own fields are never needed).
// Same terms and order of the pair contributions as dmdt: pairs (j, FREE) for j < FREE, then (FREE, j).
fn field_free(m: array<vec3<f32>, NSPIN>, bf: vec3<f32>, w: u32) -> vec3<f32> {
  let f = FREE;
  let o = w * KS;    // the system's first spin
  let qo = w * NPS;  // and first pair
  var h = sp[o + f].B + (sp[o + f].K2 * dot(m[o + f], sp[o + f].n)) * sp[o + f].n + bf;
  if (TORQUE) { h += torque_amps(o + f, m[o + f]).x * sp[o + f].p; }
  if (ONSITE_TENSOR) { h += Q2[o + f] * m[o + f]; }
  for (var j = 0u; j < KS; j++) {
    if (j < f) {
      let q = qo + j * KS - (j * (j + 1u)) / 2u + (f - j - 1u);
      if (NONRECIP) { h += m[o + j] * Jr[q]; } else { h += m[o + j] * J[q]; }
    } else if (j > f) {
      h += J[qo + f * KS - (f * (f + 1u)) / 2u + (j - f - 1u)] * m[o + j];
    }
  }
  return h;
}

// ONE_FREE: r_f = −(1/ħS)(m × h + a_DL m × (m × p)) of spin FREE of system w.
fn torque_free(m: array<vec3<f32>, NSPIN>, bf: vec3<f32>, w: u32) -> vec3<f32> {
  let f = w * KS + FREE;
  let mm = m[f];
  let h = field_free(m, bf, w);
  var t = cross(mm, h);
  if (TORQUE) { t += torque_amps(f, mm).y * cross(mm, cross(mm, sp[f].p)); }
  return sp[f].w * t;
}

// ONE_FREE: (1 − [m]× α_ff)⁻¹, the 3×3 block of the damping solve of spin FREE, in closed form: with rows
// g_k, G (g₁×g₂, g₂×g₀, g₀×g₁) = det G · 1. (Exactly the free block of dmdt's elimination: the pinned spins'
// rows are identity rows and their x = 0.)
fn gilbert_inv(mm: vec3<f32>, w: u32) -> mat3x3<f32> {
  let gt = transpose(mat3x3<f32>(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0) - crossmat(mm) * Aff[w]);
  let c0 = cross(gt[1], gt[2]);
  let c1 = cross(gt[2], gt[0]);
  let c2 = cross(gt[0], gt[1]);
  return mat3x3<f32>(c0, c1, c2) * (1.0 / dot(gt[0], c0));
}

// ONE_FREE: noise_drift reduced to spin FREE (X = g⁻¹Λ̃ vanishes outside the free block): X = g_ff⁻¹/ħS_f,
// W = X [m]×, κ = ½ ax(Γ_ff W − W Γ_ff), c = k_BT X κ. `gi` = gilbert_inv(m[FREE]).
fn noise_drift_free(mm: vec3<f32>, gi: mat3x3<f32>, w: u32) -> vec3<f32> {
  let f = w * KS + FREE;
  let X = gi * (1.0 / HS[f]);
  let W = X * crossmat(mm);
  let gam = HS[f] * Aff[w];
  let cm = gam * W - W * gam;
  let kap = 0.5 * vec3<f32>(cm[2][1] - cm[1][2], cm[0][2] - cm[2][0], cm[1][0] - cm[0][1]);
  return select(kT[w] * (X * kap), vec3<f32>(0.0), sp[f].pinned);
}

// Solve G x = r in place (Gaussian elimination, partial pivoting), as numerics/linalg.ts solveInPlace.
fn solve(g: ptr<function, array<f32, DIM * DIM>>, x: ptr<function, array<f32, DIM>>) {
  for (var col = 0u; col < DIM; col++) {
    var piv = col;
    var best = abs((*g)[col * DIM + col]);
    for (var r = col + 1u; r < DIM; r++) {
      let v = abs((*g)[r * DIM + col]);
      if (v > best) { best = v; piv = r; }
    }
    if (piv != col) {
      for (var c = 0u; c < DIM; c++) {
        let t = (*g)[col * DIM + c]; (*g)[col * DIM + c] = (*g)[piv * DIM + c]; (*g)[piv * DIM + c] = t;
      }
      let t = (*x)[col]; (*x)[col] = (*x)[piv]; (*x)[piv] = t;
    }
    let d = (*g)[col * DIM + col];
    for (var r = col + 1u; r < DIM; r++) {
      let f = (*g)[r * DIM + col] / d;
      if (f == 0.0) { continue; }
      for (var c = col; c < DIM; c++) { (*g)[r * DIM + c] -= f * (*g)[col * DIM + c]; }
      (*x)[r] -= f * (*x)[col];
    }
  }
  for (var rr = 0; rr < i32(DIM); rr++) {
    let r = DIM - 1u - u32(rr);
    var s = (*x)[r];
    for (var c = r + 1u; c < DIM; c++) { s -= (*g)[r * DIM + c] * (*x)[c]; }
    (*x)[r] = s / (*g)[r * DIM + r];
  }
}

// Solve G X = B in place for DIM right-hand-side columns (X holds B), as cpu.ts solveColumns. DRIFT only.
// (The elimination repeats solve's: WGSL has no generic array sizes, and routing the hot single-column
// solve through this one would cost DIM× the work.)
fn solve_cols(g: ptr<function, array<f32, DIM * DIM>>, X: ptr<function, array<f32, DIM * DIM>>) {
  for (var col = 0u; col < DIM; col++) {
    var piv = col;
    var best = abs((*g)[col * DIM + col]);
    for (var r = col + 1u; r < DIM; r++) {
      let v = abs((*g)[r * DIM + col]);
      if (v > best) { best = v; piv = r; }
    }
    if (piv != col) {
      for (var c = 0u; c < DIM; c++) {
        let t = (*g)[col * DIM + c]; (*g)[col * DIM + c] = (*g)[piv * DIM + c]; (*g)[piv * DIM + c] = t;
        let u = (*X)[col * DIM + c]; (*X)[col * DIM + c] = (*X)[piv * DIM + c]; (*X)[piv * DIM + c] = u;
      }
    }
    let d = (*g)[col * DIM + col];
    for (var r = col + 1u; r < DIM; r++) {
      let f = (*g)[r * DIM + col] / d;
      if (f == 0.0) { continue; }
      for (var c = col; c < DIM; c++) { (*g)[r * DIM + c] -= f * (*g)[col * DIM + c]; }
      for (var c = 0u; c < DIM; c++) { (*X)[r * DIM + c] -= f * (*X)[col * DIM + c]; }
    }
  }
  for (var rr = 0; rr < i32(DIM); rr++) {
    let r = DIM - 1u - u32(rr);
    let d = (*g)[r * DIM + r];
    for (var c = 0u; c < DIM; c++) {
      var s = (*X)[r * DIM + c];
      for (var k = r + 1u; k < DIM; k++) { s -= (*g)[r * DIM + k] * (*X)[k * DIM + c]; }
      (*X)[r * DIM + c] = s / d;
    }
  }
}

/** g = 1 − M A (3K×3K), M = blockdiag([m_i]×), rows of pinned spins the identity (their dm/dt = 0). */
fn gilbert_operator(m: array<vec3<f32>, NSPIN>) -> array<f32, DIM * DIM> {
  var g: array<f32, DIM * DIM>;
  for (var i = 0u; i < NSPIN; i++) {
    let e = 3u * i;
    let mm = m[i];
    let pin = sp[i].pinned;
    for (var c = 0u; c < DIM; c++) {
      let a0 = A[e * DIM + c]; let a1 = A[(e + 1u) * DIM + c]; let a2 = A[(e + 2u) * DIM + c];
      g[e * DIM + c] = select(-(-mm.z * a1 + mm.y * a2), 0.0, pin);
      g[(e + 1u) * DIM + c] = select(-(mm.z * a0 - mm.x * a2), 0.0, pin);
      g[(e + 2u) * DIM + c] = select(-(-mm.y * a0 + mm.x * a1), 0.0, pin);
    }
    for (var a = 0u; a < 3u; a++) { g[(e + a) * DIM + e + a] += 1.0; }
  }
  return g;
}

// dm/dt of all spins of the system for orientations m and thermal fields b.
fn dmdt(m: array<vec3<f32>, NSPIN>, b: array<vec3<f32>, NSPIN>) -> array<vec3<f32>, NSPIN> {
  var h: array<vec3<f32>, NSPIN>;
  var dl: array<f32, NSPIN>;
  for (var i = 0u; i < NSPIN; i++) {
    h[i] = sp[i].B + (sp[i].K2 * dot(m[i], sp[i].n)) * sp[i].n + b[i];
    if (TORQUE) { let a = torque_amps(i, m[i]); h[i] += a.x * sp[i].p; dl[i] = a.y; }
    if (ONSITE_TENSOR) { h[i] += Q2[i] * m[i]; }
    if (OSCILLATOR) { h[i] -= qh[i / KS] * oc[i]; }   // coupling A Q (m·e): field −Q A e
  }
  var q = 0u;
  for (var i = 0u; i < NSPIN; i++) {
    for (var j = i + 1u; j < (i / KS + 1u) * KS; j++) {   // pairs within i's system
      h[i] += J[q] * m[j];
      if (NONRECIP) {
        h[j] += m[i] * Jr[q];  // 𝕁_ji m_i
      } else {
        h[j] += m[i] * J[q];   // 𝕁_ijᵀ m_i (reciprocal pairs only)
      }
      q++;
    }
  }
  // precession and spin-torque directions, without the factor −1/(ħS)
  var r: array<vec3<f32>, NSPIN>;
  for (var i = 0u; i < NSPIN; i++) {
    r[i] = cross(m[i], h[i]);
    if (TORQUE) { r[i] += dl[i] * cross(m[i], cross(m[i], sp[i].p)); }
  }
  var out: array<vec3<f32>, NSPIN>;
  if (!TENSOR) {
    // scalar Gilbert damping in Landau-Lifshitz form: −(r + α m × r)/(ħS(1 + α²))
    for (var i = 0u; i < NSPIN; i++) {
      out[i] = select(sp[i].wg * (r[i] + sp[i].alpha * cross(m[i], r[i])), vec3<f32>(0.0), sp[i].pinned);
    }
    return out;
  }
  // (1 - M A) x = r with M = blockdiag([m_i]x): nonlocal Gilbert damping solved exactly.
  var g = gilbert_operator(m);
  var x: array<f32, DIM>;
  for (var i = 0u; i < NSPIN; i++) {
    for (var a = 0u; a < 3u; a++) { x[3u * i + a] = select(sp[i].w * r[i][a], 0.0, sp[i].pinned); }
  }
  solve(&g, &x);
  for (var i = 0u; i < NSPIN; i++) { out[i] = vec3<f32>(x[3u * i], x[3u * i + 1u], x[3u * i + 2u]); }
  return out;
}

// Noise-induced drift c = k_BT X κ of tensor damping at m (DRIFT; derivation in cpu.ts): g = 1 − M A as in
// dmdt, X = g⁻¹Λ (0 for pinned spins), W = X M, κ_i = ½ ax([Γ, W]_ii). Added to both Heun stages.
fn noise_drift(m: array<vec3<f32>, NSPIN>) -> array<vec3<f32>, NSPIN> {
  var g = gilbert_operator(m);
  var X: array<f32, DIM * DIM>;
  for (var i = 0u; i < NSPIN; i++) {
    for (var a = 0u; a < 3u; a++) { X[(3u * i + a) * DIM + 3u * i + a] = select(1.0 / HS[i], 0.0, sp[i].pinned); }
  }
  solve_cols(&g, &X);
  // κ_i = ½ ax(Σ_j Γ_ij W_ji − W_ij Γ_ji) with W_ji = X_ji [m_i]×, Γ_ij = ħS_i α_ij (3×3 blocks)
  var kap: array<vec3<f32>, NSPIN>;
  for (var i = 0u; i < NSPIN; i++) {
    var cm = mat3x3<f32>();
    for (var j = 0u; j < NSPIN; j++) {
      let wji = block(&X, j, i) * crossmat(m[i]);
      let wij = block(&X, i, j) * crossmat(m[j]);
      cm += (HS[i] * ablock(i, j)) * wji - wij * (HS[j] * ablock(j, i));
    }
    // mat[col][row]: ax(B) = (B_yz − B_zy, B_zx − B_xz, B_xy − B_yx)
    kap[i] = 0.5 * vec3<f32>(cm[2][1] - cm[1][2], cm[0][2] - cm[2][0], cm[1][0] - cm[0][1]);
  }
  var out: array<vec3<f32>, NSPIN>;
  for (var i = 0u; i < NSPIN; i++) {
    var v = vec3<f32>(0.0);
    for (var j = 0u; j < NSPIN; j++) { v += block(&X, i, j) * kap[j]; }
    out[i] = kT[0] * v;   // WS = 1
  }
  return out;
}

// Block (i, j) of a row-major DIM×DIM matrix as a mat3x3 (B * v = block · v).
fn block(B: ptr<function, array<f32, DIM * DIM>>, i: u32, j: u32) -> mat3x3<f32> {
  let o = 3u * i * DIM + 3u * j;
  return mat3x3<f32>((*B)[o], (*B)[o + DIM], (*B)[o + 2u * DIM], (*B)[o + 1u], (*B)[o + DIM + 1u], (*B)[o + 2u * DIM + 1u],
                     (*B)[o + 2u], (*B)[o + DIM + 2u], (*B)[o + 2u * DIM + 2u]);
}

// Block (i, j) of the damping tensor α.
fn ablock(i: u32, j: u32) -> mat3x3<f32> {
  let o = 3u * i * DIM + 3u * j;
  return mat3x3<f32>(A[o], A[o + DIM], A[o + 2u * DIM], A[o + 1u], A[o + DIM + 1u], A[o + 2u * DIM + 1u],
                     A[o + 2u], A[o + DIM + 2u], A[o + 2u * DIM + 2u]);
}

// [m]× (crossmat(m) * v = m × v).
fn crossmat(m: vec3<f32>) -> mat3x3<f32> {
  return mat3x3<f32>(0.0, m.z, -m.y, -m.z, 0.0, m.x, m.y, -m.x, 0.0);
}

// Per-invocation state of the system being integrated (advance reads and updates it).
var<private> m: array<vec3<f32>, NSPIN>;
var<private> tsw: array<u32, NSPIN>;         // first-switch step + 1 (0: not yet)
var<private> s0: array<f32, NSPIN>;          // initial side of m.n
var<private> blk: array<vec3<f32>, NSPIN>;   // time-average block (<= 32 steps)
var<private> blkx: array<vec2<f32>, NSPIN>;  // and of (angle to p, readout) with ANGLE / READOUT
var<private> accx: array<vec2<f32>, NSPIN>;
var<private> acc: array<vec3<f32>, NSPIN>;   // this dispatch's blocks
var<private> nblk: u32;
var<private> rec_idx: u32;                   // next trajectory sample's index
var<private> rec_next: u32;                  // and the step count at which it is due
var<private> first_sys: u32;                 // the invocation's first system (this batch's index)
var<private> first_gsys: u32;                // and its index in the whole ensemble
var<private> stream: array<PhiloxStream, NSPIN>;  // thermal noise of spin i: counters (its system, pair, i % KS, STREAM_THERMAL)
var<private> words: array<vec4<u32>, NSPIN>;  // Philox block of the next pair, per spin
var<private> xa: array<vec3<f32>, NSPIN>;    // standard normals of the pair's even step, per spin
var<private> xb: array<vec3<f32>, NSPIN>;    // and of its odd step
// OSCILLATOR, per system w: Q, P; the Q at which dmdt evaluates the coupling field; the noise stream (counters
// (its system, pair, 0, STREAM_OSCILLATOR)), the next pair's block, the pair's two normals and this step's;
// time-average block and this dispatch's blocks of (Q, Q², P²)
var<private> oq: array<f32, WS>;
var<private> op: array<f32, WS>;
var<private> qh: array<f32, WS>;
var<private> ostream: array<PhiloxStream, WS>;
var<private> owords: array<vec4<u32>, WS>;
var<private> oxa: array<f32, WS>;
var<private> oxb: array<f32, WS>;
var<private> oxi: array<f32, WS>;
var<private> oblk: array<vec3<f32>, WS>;
var<private> oacc: array<vec3<f32>, WS>;

// OSCILLATOR: (dQ/dt, dP/dt) of system w at spins mm and (q, p), with this step's normal oxi[w]:
// Q̇ = (ω0/ħ) P, Ṗ = −(ω0/ħ) Q − (6Φ/ħ) Q² − (2/ħ) Σ_i (A e)_i·m_i − γ P + σ_P ξ (twin: cpu.ts oscRate).
fn osc_rate(w: u32, mm: array<vec3<f32>, NSPIN>, q: f32, p: f32) -> vec2<f32> {
  var c = 0.0;
  for (var i = 0u; i < KS; i++) { c += dot(oc[w * KS + i], mm[w * KS + i]); }
  let a = opar[w];
  return vec2<f32>(a.x * p, -a.x * q - a.y * q * q - (2.0 / HBAR) * c - a.z * p + a.w * oxi[w]);
}

// The thermal noise of steps 2·pair and 2·pair + 1: one Philox block per spin gives six normals, three per
// step (CPU twin: cpu.ts). Only the spins whose normals are used are drawn (ONE_FREE: spins ≤ FREE, or
// FREE alone with NOISE_FREE_ONLY); T = 0 everywhere draws none. The Philox words are computed one pair
// ahead (`words`): the block of the next pair is an independent chain of integer work that the CPU
// (llvmpipe) overlaps with this pair's Heun steps, ~4 % faster than drawing and using in turn.
fn drawn(i: u32) -> bool {
  if (ONE_FREE) { return select(i % KS <= FREE, i % KS == FREE, NOISE_FREE_ONLY); }
  return true;
}

fn prefetch_pair(pair: u32) {
  for (var i = 0u; i < NSPIN; i++) {
    if (drawn(i) && run.thermal != 0u) { words[i] = philox_at(stream[i], pair, run.key); }
  }
  if (OSCILLATOR) {
    for (var w = 0u; w < WS; w++) {
      if (run.thermal != 0u) { owords[w] = philox_at(ostream[w], pair, run.key); }
    }
  }
}

fn draw_pair(pair: u32) {
  for (var i = 0u; i < NSPIN; i++) {
    if (drawn(i) && run.thermal != 0u) {
      let z = normals6(words[i]);
      xa[i] = z.a; xb[i] = z.b;
      words[i] = philox_at(stream[i], pair + 1u, run.key);
    }
  }
  if (OSCILLATOR) {
    // the oscillator's block: normal 0 (the first Box–Muller pair's cosine) for the even step, normal 1 for the odd
    for (var w = 0u; w < WS; w++) {
      if (run.thermal != 0u) {
        let z = normals6(owords[w]);
        oxa[w] = z.a.x; oxb[w] = z.a.y;
        owords[w] = philox_at(ostream[w], pair + 1u, run.key);
      }
    }
  }
}

// Records the first step after which spin i has switched. Branch-free: llvmpipe pays for an `if` (the
// short-circuit && makes two) whether taken or not, here ~9 % of a macrospin step.
fn note_switch(i: u32, done: u32) {
  let now = (tsw[i] == 0u) & (s0[i] * dot(m[i], sp[i].n) < -SWITCH_BAND);
  tsw[i] = select(tsw[i], done, now);
}

// One stochastic Heun step (global index `step`) of every spin, with standard normals xi, and its
// observables: switching, time average, trajectory sample.
fn advance(step: u32, xi: array<vec3<f32>, NSPIN>) {
  let done = step + 1u;
  let dt = run.dt;
  if (ONE_FREE) {
    // every other spin is pinned: only spin FREE moves (its noise, a 3×3 damping solve, its drift); the
    // pinned spins keep their start orientation exactly (the generic path renormalises them each step).
    // Each phase runs over the invocation's systems in turn (independent chains, see WS).
    var bf: array<vec3<f32>, WS>;
    var gi0: array<mat3x3<f32>, WS>;
    var v0: array<vec3<f32>, WS>;
    var cdf: array<vec3<f32>, WS>;
    var mp = m;
    for (var w = 0u; w < WS; w++) {
      let f = w * KS + FREE;
      if (NOISE_FREE_ONLY) {
        bf[w] = LF[w] * xi[f];
      } else {
        for (var j = 0u; j <= FREE; j++) { bf[w] += LF[w * NSPIN_LF + j] * xi[w * KS + j]; }
      }
      gi0[w] = gilbert_inv(m[f], w);
      v0[w] = select(gi0[w] * torque_free(m, bf[w], w), vec3<f32>(0.0), sp[f].pinned);
      if (DRIFT) { cdf[w] = noise_drift_free(m[f], gi0[w], w); v0[w] += cdf[w]; }
      mp[f] = normalize(m[f] + dt * v0[w]);
    }
    for (var w = 0u; w < WS; w++) {
      let f = w * KS + FREE;
      let v1 = select(gilbert_inv(mp[f], w) * torque_free(mp, bf[w], w), vec3<f32>(0.0), sp[f].pinned) + cdf[w];
      m[f] = normalize(m[f] + (0.5 * dt) * (v0[w] + v1));
      note_switch(f, done);
    }
  } else {
    var b: array<vec3<f32>, NSPIN>;
    if (!TENSOR) {
      for (var i = 0u; i < NSPIN; i++) { b[i] = sp[i].sigma * xi[i]; }
    } else {
      var xf: array<f32, DIM>;
      for (var i = 0u; i < NSPIN; i++) { xf[3u * i] = xi[i].x; xf[3u * i + 1u] = xi[i].y; xf[3u * i + 2u] = xi[i].z; }
      for (var i = 0u; i < NSPIN; i++) {
        var v = vec3<f32>(0.0);
        for (var a = 0u; a < 3u; a++) {
          let row = 3u * i + a;
          var s = 0.0;
          for (var c = 0u; c <= row; c++) { s += L[row * DIM + c] * xf[c]; }
          v[a] = s;
        }
        b[i] = v;
      }
    }
    if (OSCILLATOR) { qh = oq; }
    var f0 = dmdt(m, b);
    var cd: array<vec3<f32>, NSPIN>;
    if (DRIFT) {
      cd = noise_drift(m);
      for (var i = 0u; i < NSPIN; i++) { f0[i] += cd[i]; }
    }
    // OSCILLATOR: the same Heun stages for (Q, P): predictor (qp, pp), then the average of both slopes
    var g0: array<vec2<f32>, WS>;
    var qp: array<f32, WS>;
    var pp: array<f32, WS>;
    if (OSCILLATOR) {
      for (var w = 0u; w < WS; w++) {
        g0[w] = osc_rate(w, m, oq[w], op[w]);
        qp[w] = oq[w] + dt * g0[w].x;
        pp[w] = op[w] + dt * g0[w].y;
      }
      qh = qp;
    }
    var mp: array<vec3<f32>, NSPIN>;
    for (var i = 0u; i < NSPIN; i++) { mp[i] = normalize(m[i] + dt * f0[i]); }
    var f1 = dmdt(mp, b);
    if (DRIFT) {
      for (var i = 0u; i < NSPIN; i++) { f1[i] += cd[i]; }
    }
    if (OSCILLATOR) {
      for (var w = 0u; w < WS; w++) {
        let g1 = osc_rate(w, mp, qp[w], pp[w]);
        oq[w] = oq[w] + (0.5 * dt) * (g0[w].x + g1.x);
        op[w] = op[w] + (0.5 * dt) * (g0[w].y + g1.y);
      }
    }
    for (var i = 0u; i < NSPIN; i++) {
      m[i] = normalize(m[i] + (0.5 * dt) * (f0[i] + f1[i]));
      note_switch(i, done);
    }
  }
  let inside = done > run.avg_from;
  let w = select(0.0, 1.0, inside);
  for (var i = 0u; i < NSPIN; i++) { blk[i] += w * m[i]; }
  if (OSCILLATOR) {
    for (var s = 0u; s < WS; s++) { oblk[s] += w * vec3<f32>(oq[s], oq[s] * oq[s], op[s] * op[s]); }
  }
  if (ANGLE || READOUT) {
    for (var i = 0u; i < NSPIN; i++) {
      var v = vec2<f32>(0.0);
      // θ = 2 atan2(|m − p|, |m + p|): well conditioned at θ ≈ 0 and π (acos is not)
      if (ANGLE) { v.x = 2.0 * atan2(length(m[i] - sp[i].p), length(m[i] + sp[i].p)); }
      if (READOUT) { v.y = table_at(sp[i].tab + 2u * NT, dot(m[i], sp[i].p)); }
      blkx[i] += w * v;
    }
  }
  nblk += select(0u, 1u, inside);
  if (RECORD) {
    if (done == rec_next) {
      for (var i = 0u; i < NSPIN; i++) {
        let w = i / KS;
        if (first_gsys + w < run.rec_systems && first_sys + w < run.n_systems) {
          let ro = ((first_sys + w) * run.rec_samples + rec_idx) * RECDIM + 3u * (i % KS);
          rec[ro] = m[i].x; rec[ro + 1u] = m[i].y; rec[ro + 2u] = m[i].z;
        }
      }
      if (OSCILLATOR) {
        for (var s = 0u; s < WS; s++) {
          if (first_gsys + s < run.rec_systems && first_sys + s < run.n_systems) {
            let ro = ((first_sys + s) * run.rec_samples + rec_idx) * RECDIM + DIMS;
            rec[ro] = oq[s]; rec[ro + 1u] = op[s];
          }
        }
      }
      rec_next += run.rec_stride;
      rec_idx++;
    }
  }
}

// Time average, summed in three levels so float32 rounding stays ~1e-6 relative even for a static m:
// blocks of <= 32 steps, then this dispatch's blocks (<= 4096 steps), then the stored partial sum that
// the host folds into float64 every <= 65536 steps (src/kernels/llg/webgpu.ts).
fn fold_block(now: bool) {
  for (var i = 0u; i < NSPIN; i++) { acc[i] += select(vec3<f32>(0.0), blk[i], now); blk[i] = select(blk[i], vec3<f32>(0.0), now); }
  if (ANGLE || READOUT) {
    for (var i = 0u; i < NSPIN; i++) { accx[i] += select(vec2<f32>(0.0), blkx[i], now); blkx[i] = select(blkx[i], vec2<f32>(0.0), now); }
  }
  if (OSCILLATOR) {
    for (var w = 0u; w < WS; w++) { oacc[w] += select(vec3<f32>(0.0), oblk[w], now); oblk[w] = select(oblk[w], vec3<f32>(0.0), now); }
  }
  nblk = select(nblk, 0u, now);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  first_sys = (gid.x + gid.y * run.groups_x * WG) * WS;
  if (first_sys >= run.n_systems) { return; }
  first_gsys = first_sys + run.sys_offset;
  load_params(first_sys);
  for (var i = 0u; i < NSPIN; i++) {
    let sys = min(first_sys + i / KS, run.n_systems - 1u);
    let so = sys * SSTRIDE + 3u * (i % KS);
    if (run.init_state != 0u) {
      // first dispatch: start from the point's init (the state buffer is zero: no partial sum, no switch yet)
      let b = point_row(sys) + (i % KS) * SLOT_STRIDE;
      m[i] = vec3<f32>(params[b + SLOT_INIT], params[b + SLOT_INIT + 1u], params[b + SLOT_INIT + 2u]);
      s0[i] = params[b + SLOT_SIDE];
    } else {
      m[i] = vec3<f32>(state[so], state[so + 1u], state[so + 2u]);
      s0[i] = state[sys * SSTRIDE + 2u * DIMS + i % KS];
    }
    tsw[i] = flags[sys * (KS + 1u) + i % KS];
    // the noise of spin i of system gsys: counters (gsys, pair, i, STREAM_THERMAL)
    stream[i] = philox_stream(first_gsys + run.noise_offset + i / KS, i % KS, STREAM_THERMAL, run.key);
  }
  if (OSCILLATOR) {
    for (var w = 0u; w < WS; w++) {
      let sys = min(first_sys + w, run.n_systems - 1u);
      if (run.init_state != 0u) {
        let o = point_row(sys) + POINT_OSC + OSC_INIT;
        oq[w] = params[o]; op[w] = params[o + 1u];
      } else {
        oq[w] = state[sys * SSTRIDE + XS_OSC + 3u]; op[w] = state[sys * SSTRIDE + XS_OSC + 4u];
      }
      // the oscillator noise of system gsys: counters (gsys, pair, 0, STREAM_OSCILLATOR)
      ostream[w] = philox_stream(first_gsys + run.noise_offset + w, 0u, STREAM_OSCILLATOR, run.key);
    }
  }
  // trajectory sampling without an integer division per step (not vectorised on CPUs; llvmpipe also
  // executes the body of every branch, taken or not)
  rec_idx = run.step0 / run.rec_stride + 1u;
  rec_next = rec_idx * run.rec_stride;
  // Steps go in pairs that share one Philox block per spin. The host starts every dispatch at an even
  // step, so only the last dispatch can end with half a pair.
  let pair0 = run.step0 / 2u;
  prefetch_pair(pair0);
  for (var g = 0u; g < run.n_steps / 2u; g++) {
    let pair = pair0 + g;
    draw_pair(pair);
    if (OSCILLATOR) { oxi = oxa; }
    advance(2u * pair, xa);
    if (OSCILLATOR) { oxi = oxb; }
    advance(2u * pair + 1u, xb);
    fold_block(nblk >= 31u);
  }
  if ((run.n_steps & 1u) != 0u) {
    let pair = pair0 + run.n_steps / 2u;
    draw_pair(pair);
    if (OSCILLATOR) { oxi = oxa; }
    advance(2u * pair, xa);
  }
  // The cap, once reached, stays reached: a loop with a runtime bound of 2 then runs only once.
  var probe = 0u;
  loop {
    probe++;
    if (probe >= run.probe_iters) { break; }
  }
  fold_block(true);
  for (var i = 0u; i < NSPIN; i++) {
    let sys = first_sys + i / KS;
    if (sys < run.n_systems) {
      let so = sys * SSTRIDE + 3u * (i % KS);
      for (var a = 0u; a < 3u; a++) {
        state[so + a] = m[i][a];
        state[so + DIMS + a] += acc[i][a];
      }
      state[sys * SSTRIDE + 2u * DIMS + i % KS] = s0[i];
      if (ANGLE) { state[sys * SSTRIDE + XS_ANGLE + i % KS] += accx[i].x; }
      if (READOUT) { state[sys * SSTRIDE + XS_READOUT + i % KS] += accx[i].y; }
      flags[sys * (KS + 1u) + i % KS] = tsw[i];
    }
  }
  if (OSCILLATOR) {
    for (var w = 0u; w < WS; w++) {
      let sys = first_sys + w;
      if (sys < run.n_systems) {
        let so = sys * SSTRIDE + XS_OSC;
        for (var k = 0u; k < 3u; k++) { state[so + k] += oacc[w][k]; }
        state[so + 3u] = oq[w]; state[so + 4u] = op[w];
      }
    }
  }
  for (var w = 0u; w < WS; w++) {
    let sys = first_sys + w;
    if (sys < run.n_systems && probe != run.probe_iters) { flags[sys * (KS + 1u) + KS] = 1u; }
  }
}
