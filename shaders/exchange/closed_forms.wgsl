// Eqs. 7, 8, 9 of seed 000 and the derived DM fields (Dz, κ) as trapezoid sums on the energy grid,
// batched over parameter points (twin: src/models/junction/closedForms.ts, adaptive float64). The
// integrands are smooth at T > 0, so the uniform-grid sum converges spectrally like the keldysh grid.
// Per point (CLOSED_STRIDE f32): ε0, T_c, Γ^L↑, Γ^L↓, Γ^R↑, Γ^R↓, μ_L, μ_R, k_BT_L, k_BT_R.
// Output per (point, chunk): the five bare sums I7, I8, I9, I_Dz, I_κ (the host multiplies by h and
// the prefactors and folds the chunks in float64).

@group(0) @binding(0) var<uniform> grid: Grid;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;

var<workgroup> red: array<f32, WG * 5u>;

/** |(x + iw)² − T_c²|², the printed resonances E = ε0 ± T_c − iw. */
fn denom_printed(x: f32, w: f32, tc: f32) -> f32 { let re = x * x - w * w - tc * tc; let im = 2.0 * x * w; return re * re + im * im; }
/** |(x + iΓ^L/2)(x + iΓ^R/2) − T_c²|², the exact poles. */
fn denom_exact(x: f32, gl: f32, gr: f32, tc: f32) -> f32 { let re = x * x - 0.25 * gl * gr - tc * tc; let im = 0.5 * x * (gl + gr); return re * re + im * im; }

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = wid.x + wid.y * nwg.x;
  let total = grid.points * grid.chunks;
  let live = w < total;
  let wc = min(w, total - 1u);
  let c = wc % grid.chunks; let i = wc / grid.chunks; let b = i * CLOSED_STRIDE;
  let e0 = params[b]; let tc = params[b + 1u];
  let gl = vec2<f32>(params[b + 2u], params[b + 3u]); let gr = vec2<f32>(params[b + 4u], params[b + 5u]);
  let g = gl + gr; let wsp = 0.25 * g;
  let per = grid.n / grid.chunks;
  var acc: array<f32, 5>;
  var comp: array<f32, 5>;
  for (var k = c * per + lid.x; k < (c + 1u) * per; k += WG) {
    let e = grid_energy(k); let x = e - e0;
    let fl = fermi(e, params[b + 6u], params[b + 8u]); let fr = fermi(e, params[b + 7u], params[b + 9u]);
    let d = vec2<f32>(denom_printed(x, wsp.x, tc), denom_printed(x, wsp.y, tc));
    let num = x * (x * x - tc * tc - wsp * wsp);   // per σ' (Eq. 7, 8 numerators)
    let i7 = (fl + fr) * (g.x * num.x / (d.x * d.x) + g.y * num.y / (d.y * d.y));
    // Eq. 8: Σ_σσ' s_σ s_σ' Γ_σ num_σ' / (D_σ D_σ') = (Γ↑/D↑ − Γ↓/D↓)(num↑/D↑ − num↓/D↓)
    let i8 = (fl + fr) * (g.x / d.x - g.y / d.y) * (num.x / d.x - num.y / d.y);
    let i9 = (fl - fr) * x * x / (d.x * d.y);
    let ex = denom_exact(x, gl.x, gr.x, tc) * denom_exact(x, gl.y, gr.y, tc);
    var v = array<f32, 5>(i7, i8, i9, (fl - fr) * (x * x - tc * tc) / ex, (fl - fr) * x * x / ex);
    for (var q = 0u; q < 5u; q++) {
      let y = v[q] - comp[q]; let t = acc[q] + y; comp[q] = (t - acc[q]) - y; acc[q] = t;
    }
  }
  for (var q = 0u; q < 5u; q++) { red[lid.x * 5u + q] = acc[q] - comp[q]; }
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid.x < stride) { for (var q = 0u; q < 5u; q++) { red[lid.x * 5u + q] += red[(lid.x + stride) * 5u + q]; } }
    workgroupBarrier();
  }
  if (live && lid.x < 5u) { partial[wc * 5u + lid.x] = red[lid.x]; }
}
