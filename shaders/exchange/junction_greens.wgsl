// Green's functions of the junction dimer (seed 000) in float32: twin of src/models/junction/greens.ts.
// Per-point parameters (PARAM_STRIDE f32, layout in src/kernels/exchange/layout.ts):
//   0..3  ε1↑ ε1↓ ε2↑ ε2↓ (meV)   4 T_c   5..8 Γ^L as (g00, g11, Re g01, Im g01)   9..12 Γ^R
//   13 μ_L  14 μ_R  15 k_B T_L  16 k_B T_R

fn lead_gamma(base: u32, o: u32) -> C2 {
  let g00 = params[base + o]; let g11 = params[base + o + 1u];
  let off = vec2<f32>(params[base + o + 2u], params[base + o + 3u]);
  return C2(vec2<f32>(g00, 0.0), off, cconj(off), vec2<f32>(g11, 0.0));
}

struct Dimer { g: array<C2, 4>, gl: C2, gr: C2, fl: f32, fr: f32 }

/** Retarded blocks [11, 12, 21, 22] by the Schur complement of the site-2 block. */
fn dimer_at(base: u32, e: f32) -> Dimer {
  let gl = lead_gamma(base, 5u); let gr = lead_gamma(base, 9u); let tc = params[base + 4u];
  let half_i = vec2<f32>(0.0, 0.5);
  var a = m2_scale(gl, half_i); a.e00.x += e - params[base]; a.e11.x += e - params[base + 1u];
  var d = m2_scale(gr, half_i); d.e00.x += e - params[base + 2u]; d.e11.x += e - params[base + 3u];
  let dinv = m2_inv(d);
  let g11 = m2_inv(m2_sub(a, m2_scale(dinv, vec2<f32>(tc * tc, 0.0))));
  let g12 = m2_scale(m2_mul(g11, dinv), vec2<f32>(tc, 0.0));
  let g21 = m2_scale(m2_mul(dinv, g11), vec2<f32>(tc, 0.0));
  let g22 = m2_add(dinv, m2_scale(m2_mul(g21, dinv), vec2<f32>(tc, 0.0)));
  var out: Dimer;
  out.g = array<C2, 4>(g11, g12, g21, g22);
  out.gl = gl; out.gr = gr;
  out.fl = fermi(e, params[base + 13u], params[base + 15u]);
  out.fr = fermi(e, params[base + 14u], params[base + 16u]);
  return out;
}

/** Lead-resolved spectral pieces A^χ_mn = Gʳ_mχ Γ^χ (Gʳ_nχ)† for block (m, n). */
fn spectral(dm: Dimer, m: u32, n: u32, chi: u32) -> C2 {
  var gam = dm.gr;
  if (chi == 0u) { gam = dm.gl; }
  return m2_mul(m2_mul(dm.g[2u * m + chi], gam), m2_dagger(dm.g[2u * n + chi]));
}

/** G^< (lesser = true) or G^> of block (m, n). */
fn keldysh_block(dm: Dimer, m: u32, n: u32, lesser: bool) -> C2 {
  let al = spectral(dm, m, n, 0u); let ar = spectral(dm, m, n, 1u);
  if (lesser) { return m2_add(m2_scale(al, vec2<f32>(0.0, dm.fl)), m2_scale(ar, vec2<f32>(0.0, dm.fr))); }
  return m2_add(m2_scale(al, vec2<f32>(0.0, dm.fl - 1.0)), m2_scale(ar, vec2<f32>(0.0, dm.fr - 1.0)));
}
