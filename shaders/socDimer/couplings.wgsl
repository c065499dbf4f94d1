// Couplings, dampings, noise correlations and ⟨s_a⟩ of the biased SOC dimer (seed 001, Eq. A24),
// one invocation per (μ_F, V) point, float32. Twin of src/models/socDimer/couplings.ts (couplingsRaw):
// same formulas, same composite rule; the derivation is in that file's header.
// Needs common/complex2.wgsl (cmul, cconj, cinv). Host constants: STRIDE_IN (6), STRIDE_OUT (30).

struct Model {
  te: f32, tL: f32, tR: f32, t0: f32,
  t: f32, eps0: f32, panelWidth: f32, axisScale: f32,
  matsubara: u32, count: u32, pad0: u32, pad1: u32,
}
@group(0) @binding(0) var<uniform> model: Model;
// per point: μ_L, μ_R, k_BT_L, k_BT_R, band centre L, band centre R (meV)
@group(0) @binding(1) var<storage, read> points: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

const TWO_PI: f32 = 6.283185307179586;
const INV_2PI: f32 = 0.15915494309189535;
// 15-point Kronrod nodes and weights on [−1, 1] (src/numerics/quadrature.ts GK15_NODES/GK15_WEIGHTS)
const XGK = array<f32, 8>(0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945,
  0.5860872354676911, 0.4058451513773972, 0.2077849550078985, 0.0);
const WGK = array<f32, 8>(0.02293532201052922, 0.06309209262997855, 0.1047900103222502, 0.1406532597155259,
  0.1690047266392679, 0.1903505780647854, 0.2044329400752989, 0.2094821410847278);
const AXIS_BREAKS = array<f32, 9>(0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.88, 0.96, 1.0);
const FERMI_CUTS = array<f32, 9>(-40.0, -14.0, -6.0, -2.0, 0.0, 2.0, 6.0, 14.0, 40.0);

fn csqrt(a: vec2<f32>) -> vec2<f32> {
  let r = length(a);
  let re = sqrt(max(0.0, 0.5 * (r + a.x)));
  let im = sqrt(max(0.0, 0.5 * (r - a.x)));
  return vec2<f32>(re, select(im, -im, a.y < 0.0));
}

struct Lead { sigma: vec2<f32>, dsigma: vec2<f32> }
/** t_c² g(z − centre) of the semi-infinite chain and its derivative (Im z ≥ 0). */
fn chain(z: vec2<f32>, centre: f32, tc: f32) -> Lead {
  let te = model.te;
  let w = vec2<f32>(z.x - centre, z.y);
  let s = cmul(csqrt(vec2<f32>(w.x - 2.0 * te, w.y)), csqrt(vec2<f32>(w.x + 2.0 * te, w.y)));
  let g = (w - s) / (2.0 * te * te);
  let dg = cmul(g, cinv(2.0 * te * te * g - w));
  return Lead(tc * tc * g, tc * tc * dg);
}

// Channel Green's functions: r[3σ + e], σ = 0 (h = t0 + t), 1 (t0 − t); e = 0 (11), 1 (12 = 21), 2 (22)
struct Ch { r: array<vec2<f32>, 6>, dr: array<vec2<f32>, 6>, gamma: vec2<f32> }

fn channels(z: vec2<f32>, muL: f32, cL: f32, cR: f32, derivative: bool) -> Ch {
  let L = chain(z, cL, model.tL); let R = chain(z, cR, model.tR);
  let g1 = vec2<f32>(z.x - model.eps0, z.y) - L.sigma;
  let g2 = vec2<f32>(z.x - model.eps0, z.y) - R.sigma;
  let d1 = vec2<f32>(1.0, 0.0) - L.dsigma; let d2 = vec2<f32>(1.0, 0.0) - R.dsigma;
  var out: Ch;
  out.gamma = vec2<f32>(-2.0 * L.sigma.y, -2.0 * R.sigma.y);
  let g12 = cmul(g1, g2);
  for (var s = 0u; s < 2u; s++) {
    let h = model.t0 + select(model.t, -model.t, s == 1u);
    let inv = cinv(g12 - vec2<f32>(h * h, 0.0));
    let r11 = cmul(g2, inv); let r12 = -h * inv; let r22 = cmul(g1, inv);
    out.r[3u * s] = r11; out.r[3u * s + 1u] = r12; out.r[3u * s + 2u] = r22;
    if (derivative) {
      // ∂R = −R diag(d1, d2) R
      out.dr[3u * s] = -(cmul(cmul(r11, d1), r11) + cmul(cmul(r12, d2), r12));
      out.dr[3u * s + 1u] = -(cmul(cmul(r11, d1), r12) + cmul(cmul(r12, d2), r22));
      out.dr[3u * s + 2u] = -(cmul(cmul(r12, d1), r12) + cmul(cmul(r22, d2), r22));
    }
  }
  return out;
}

/** iso, an, dm spin-trace forms of x = X_ab, y = Y_ba given per channel (+, −). */
struct Tr { iso: vec2<f32>, an: vec2<f32>, dm: vec2<f32> }
fn traces(xp: vec2<f32>, xm: vec2<f32>, yp: vec2<f32>, ym: vec2<f32>) -> Tr {
  let pm = cmul(xp, ym); let mp = cmul(xm, yp);
  let d = mp - pm;
  return Tr(pm + mp, cmul(xp - xm, yp - ym), vec2<f32>(-d.y, d.x));
}

fn fermi_step(e: f32, mu: f32, kT: f32) -> f32 {
  if (kT == 0.0) { return select(select(0.5, 0.0, e > mu), 1.0, e < mu); }
  let x = (e - mu) / kT;
  if (x > 0.0) { let q = exp(-x); return q / (1.0 + q); }
  return 1.0 / (1.0 + exp(x));
}

fn entry(a: u32, b: u32) -> u32 { return a + b; }

/** M_c,σ,ab = Γ_c R_σ,ac conj(R_σ,bc) */
fn mc(ch: Ch, c: u32, s: u32, a: u32, b: u32) -> vec2<f32> {
  return ch.gamma[c] * cmul(ch.r[3u * s + entry(a, c)], cconj(ch.r[3u * s + entry(b, c)]));
}

var<private> acc: array<f32, 30>;
var<private> pt: array<f32, 6>;

fn add_axis(y: f32, w: f32) {
  let ch = channels(vec2<f32>(pt[1], y), pt[0], pt[4], pt[5], false);
  for (var k = 0u; k < 4u; k++) {
    let e = entry(k / 2u, k % 2u);
    let x = ch.r[e]; let v = ch.r[3u + e];
    // χ_eq = −½ Re Q
    acc[3u * k] += -0.5 * w * 2.0 * cmul(x, v).x;
    let d = x - v;
    acc[3u * k + 1u] += -0.5 * w * cmul(d, d).x;
  }
  // ⟨s_a⟩_eq = 2 Re Q_t, G^(t)_aa = (R₊ − R₋)/2
  acc[28] += w * (ch.r[0].x - ch.r[3].x);
  acc[29] += w * (ch.r[2].x - ch.r[5].x);
}

/** Node u of the map y = y0 + L u/(1 − u) of the imaginary axis. */
fn axis_node(u: f32, w: f32, y0: f32, ls: f32) {
  let v = 1.0 - u;
  add_axis(y0 + ls * u / v, w * ls / (v * v) * INV_2PI);
}

fn damping_fermi_surface(ch: Ch, scale: f32) {
  for (var k = 0u; k < 4u; k++) {
    let e = entry(k / 2u, k % 2u);
    let ap = vec2<f32>(-2.0 * ch.r[e].y, 0.0); let am = vec2<f32>(-2.0 * ch.r[3u + e].y, 0.0);
    let t = traces(ap, am, ap, am);
    acc[12u + 2u * k] += 0.125 * t.iso.x * scale;
    acc[12u + 2u * k + 1u] += 0.125 * t.an.x * scale;
  }
}

fn at_energy(e: f32, w: f32) {
  let fL = fermi_step(e, pt[0], pt[2]); let fR = fermi_step(e, pt[1], pt[3]);
  let win = (fL - fR) * w * INV_2PI;
  let wLL = 2.0 * fL * (1.0 - fL); let wRR = 2.0 * fR * (1.0 - fR); let wLR = fL * (1.0 - fR) + fR * (1.0 - fL);
  var fs = 0.0;
  if (pt[3] > 0.0) { fs = fR * (1.0 - fR) / pt[3] * w * INV_2PI; }
  if (win == 0.0 && wLL + wRR + wLR == 0.0 && fs == 0.0) { return; }
  let ch = channels(vec2<f32>(e, 0.0), pt[0], pt[4], pt[5], true);
  if (fs != 0.0) { damping_fermi_surface(ch, fs); }
  let wts = array<f32, 4>(wLL, wLR, wLR, wRR);
  for (var k = 0u; k < 4u; k++) {
    let a = k / 2u; let b = k % 2u; let ee = entry(a, b);
    let rp = ch.r[ee]; let rm = ch.r[3u + ee];
    if (win != 0.0) {
      let mlp = mc(ch, 0u, 0u, a, b); let mlm = mc(ch, 0u, 1u, a, b);
      let mbp = mc(ch, 0u, 0u, b, a); let mbm = mc(ch, 0u, 1u, b, a);
      let s1 = traces(rp, rm, mbp, mbm); let s2 = traces(mlp, mlm, cconj(rp), cconj(rm));
      acc[3u * k] += -0.25 * (s1.iso.x + s2.iso.x) * win;
      acc[3u * k + 1u] += -0.25 * (s1.an.x + s2.an.x) * win;
      acc[3u * k + 2u] += -0.25 * (s1.dm.x + s2.dm.x) * win;
      let dp = ch.dr[ee]; let dm = ch.dr[3u + ee];
      let d1 = traces(dp, dm, mbp, mbm); let d2 = traces(mlp, mlm, cconj(dp), cconj(dm));
      acc[12u + 2u * k] += -0.25 * (d1.iso.y - d2.iso.y) * win;
      acc[12u + 2u * k + 1u] += -0.25 * (d1.an.y - d2.an.y) * win;
    }
    for (var c = 0u; c < 2u; c++) {
      for (var d = 0u; d < 2u; d++) {
        let wcd = wts[2u * c + d] * w * INV_2PI;
        if (wcd == 0.0) { continue; }
        let t = traces(mc(ch, c, 0u, a, b), mc(ch, c, 1u, a, b), mc(ch, d, 0u, b, a), mc(ch, d, 1u, b, a));
        acc[20u + 2u * k] += 0.125 * t.iso.x * wcd;
        acc[20u + 2u * k + 1u] += 0.125 * t.an.x * wcd;
      }
    }
  }
  if (win != 0.0) {
    for (var a = 0u; a < 2u; a++) {
      acc[28u + a] += 0.5 * (mc(ch, 0u, 0u, a, a).x - mc(ch, 0u, 1u, a, a).x) * win;
    }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= model.count) { return; }
  for (var q = 0u; q < 6u; q++) { pt[q] = points[i * STRIDE_IN + q]; }
  for (var q = 0u; q < 30u; q++) { acc[q] = 0.0; }

  // (1) the f_R part on the imaginary axis
  var nm = 0u;
  if (pt[3] > 0.0) { nm = model.matsubara; }
  for (var n = 0u; n < nm; n++) { add_axis(f32(2u * n + 1u) * 3.141592653589793 * pt[3], pt[3]); }
  let y0 = TWO_PI * f32(nm) * pt[3]; let ls = model.axisScale;
  if (nm > 0u) {
    // Euler–Maclaurin correction of the Matsubara tail: (h²/24) X'(y0), h = 2πk_BT
    let h = TWO_PI * pt[3]; let c = h / 24.0 * INV_2PI;
    add_axis(y0 + 0.5 * h, c); add_axis(y0 - 0.5 * h, -c);
  }
  for (var p = 0u; p < 8u; p++) {
    let c = 0.5 * (AXIS_BREAKS[p] + AXIS_BREAKS[p + 1u]); let h = 0.5 * (AXIS_BREAKS[p + 1u] - AXIS_BREAKS[p]);
    axis_node(c, WGK[7] * h, y0, ls);
    for (var m = 0u; m < 7u; m++) { axis_node(c - h * XGK[m], WGK[m] * h, y0, ls); axis_node(c + h * XGK[m], WGK[m] * h, y0, ls); }
  }

  // (2) real-axis window and Fermi surfaces: panels cut at μ_c + k_BT_c·FERMI_CUTS
  var edges: array<f32, 18>;
  for (var q = 0u; q < 9u; q++) { edges[q] = pt[0] + FERMI_CUTS[q] * pt[2]; edges[9u + q] = pt[1] + FERMI_CUTS[q] * pt[3]; }
  for (var q = 1u; q < 18u; q++) {
    let x = edges[q]; var r = q;
    while (r > 0u && edges[r - 1u] > x) { edges[r] = edges[r - 1u]; r--; }
    edges[r] = x;
  }
  for (var q = 0u; q < 17u; q++) {
    let width = edges[q + 1u] - edges[q];
    if (!(width > 0.0)) { continue; }
    let np = u32(ceil(width / model.panelWidth));
    for (var j = 0u; j < np; j++) {
      let a = edges[q] + width * f32(j) / f32(np); let b = edges[q] + width * f32(j + 1u) / f32(np);
      let c = 0.5 * (a + b); let h = 0.5 * (b - a);
      at_energy(c, WGK[7] * h);
      for (var m = 0u; m < 7u; m++) { at_energy(c - h * XGK[m], WGK[m] * h); at_energy(c + h * XGK[m], WGK[m] * h); }
    }
  }
  if (pt[3] == 0.0) { damping_fermi_surface(channels(vec2<f32>(pt[1], 0.0), pt[0], pt[4], pt[5], false), INV_2PI); }

  for (var q = 0u; q < 30u; q++) { result[i * STRIDE_OUT + q] = acc[q]; }
}
