// Spin-pair exact diagonalization, shared part (seed 003; host: src/kernels/vibronic/webgpu.ts, float64 twin:
// src/kernels/vibronic/cpu.ts). Basis |m1 m2⟩, index i1·NS + i2, m = S − i.
// Host constants: S2 (= 2S), NS (= 2S + 1), D (= NS², levels per pair), LOWER[i] = ⟨m_i − 1|S^−|m_i⟩,
// UPPER[i] = ⟨m_i + 1|S^+|m_i⟩, PT_* (point row: exchange, exchangeZZ, field1, field2, axial1, axial2, rhombic1,
// rhombic2, k_BT), RES_* (result row), F32_TOL2, DEG_TOL, THETA_BIG, SPECTRUM (bool).
// Operator (meV): H = exchange S1·S2 + exchangeZZ S1^zS2^z + field1 S1^z + field2 S2^z + Σ_m axial_m (S_m^z)²
//                     + Σ_m rhombic_m ((S_m^x)² − (S_m^y)²)   (real symmetric in this basis).

// Levels of the current point: energy, ⟨S1^z⟩, ⟨S2^z⟩.
var<private> en: array<f32, D>;
var<private> s1: array<f32, D>;
var<private> s2: array<f32, D>;

fn m_of(i: u32) -> f32 { return 0.5 * f32(S2) - f32(i); }

/** Jacobi rotation (t, s, τ) annihilating a_pq (twin: src/numerics/jacobi.ts); t = 0 means skip. */
fn rotation(app: f32, aqq: f32, apq: f32) -> vec3<f32> {
  if (abs(apq) <= 1e-30 + 1e-20 * (abs(app) + abs(aqq))) { return vec3<f32>(0.0, 0.0, 0.0); }
  let theta = (aqq - app) / (2.0 * apq);
  var t: f32;
  if (abs(theta) > THETA_BIG) {
    t = 0.5 / theta;
  } else {
    t = 1.0 / (abs(theta) + sqrt(theta * theta + 1.0));
    if (theta < 0.0) { t = -t; }
  }
  let c = 1.0 / sqrt(t * t + 1.0);
  let s = t * c;
  return vec3<f32>(t, s, s / (1.0 + c));
}

/**
 * Thermal reduction of the D levels at k_BT = kT (meV): weights exp(−(E − E0)/kT) with the ground energy
 * subtracted (all ≤ 1); kT = 0: equal weights on the levels within DEG_TOL·(E_max − E0) of E0.
 * Returns (⟨S1^z⟩, ⟨S2^z⟩, E0).
 */
fn thermal(kT: f32) -> vec3<f32> {
  var e0 = en[0];
  var emax = en[0];
  for (var k = 1u; k < D; k++) { e0 = min(e0, en[k]); emax = max(emax, en[k]); }
  let tol = DEG_TOL * (emax - e0);
  var z = 0.0;
  var a = 0.0;
  var b = 0.0;
  for (var k = 0u; k < D; k++) {
    let x = en[k] - e0;
    var w = 0.0;
    if (kT > 0.0) { w = exp(-x / kT); } else if (x <= tol) { w = 1.0; }
    z += w;
    a += w * s1[k];
    b += w * s2[k];
  }
  return vec3<f32>(a / z, b / z, e0);
}
