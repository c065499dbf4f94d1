// Complex numbers (vec2<f32>: re, im) and 2×2 complex matrices (spin space), float32.
// Twin of src/numerics/complex.ts.

struct C2 { e00: vec2<f32>, e01: vec2<f32>, e10: vec2<f32>, e11: vec2<f32> }

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
fn cconj(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x, -a.y); }
/** i·a */
fn cmuli(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(-a.y, a.x); }
fn cinv(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x, -a.y) / dot(a, a); }

fn m2_mul(a: C2, b: C2) -> C2 {
  return C2(cmul(a.e00, b.e00) + cmul(a.e01, b.e10), cmul(a.e00, b.e01) + cmul(a.e01, b.e11),
            cmul(a.e10, b.e00) + cmul(a.e11, b.e10), cmul(a.e10, b.e01) + cmul(a.e11, b.e11));
}
fn m2_inv(a: C2) -> C2 {
  let d = cinv(cmul(a.e00, a.e11) - cmul(a.e01, a.e10));
  return C2(cmul(a.e11, d), -cmul(a.e01, d), -cmul(a.e10, d), cmul(a.e00, d));
}
fn m2_dagger(a: C2) -> C2 { return C2(cconj(a.e00), cconj(a.e10), cconj(a.e01), cconj(a.e11)); }
fn m2_scale(a: C2, s: vec2<f32>) -> C2 { return C2(cmul(a.e00, s), cmul(a.e01, s), cmul(a.e10, s), cmul(a.e11, s)); }
fn m2_add(a: C2, b: C2) -> C2 { return C2(a.e00 + b.e00, a.e01 + b.e01, a.e10 + b.e10, a.e11 + b.e11); }
fn m2_sub(a: C2, b: C2) -> C2 { return C2(a.e00 - b.e00, a.e01 - b.e01, a.e10 - b.e10, a.e11 - b.e11); }

/** Pauli components x_p = Tr(σᵖ X)/2, p = 0, x, y, z. */
fn m2_pauli(a: C2) -> array<vec2<f32>, 4> {
  return array<vec2<f32>, 4>(0.5 * (a.e00 + a.e11), 0.5 * (a.e01 + a.e10), 0.5 * cmuli(a.e01 - a.e10), 0.5 * (a.e00 - a.e11));
}
