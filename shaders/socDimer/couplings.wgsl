// Couplings, dampings, noise correlations and ⟨s_a⟩ of the biased SOC dimer (seed 001, Eq. A24),
// one invocation per (μ_F, V) point, float32. Twin of src/models/socDimer/couplings.ts (couplingsRaw):
// same formulas, same composite rule; the derivation is in that file's header.
// Needs common/complex2.wgsl (cmul, cconj, cinv). Host constants: STRIDE_IN (6), STRIDE_OUT (30).

// struct Model (uniform) and the tables XGK, WGK (GK15), AXIS_BREAKS, FERMI_CUTS come from the host
// (src/kernels/socCouplings/webgpu.ts, from their single TypeScript sources).
@group(0) @binding(0) var<uniform> model: Model;
// per point: μ_L, μ_R, k_BT_L, k_BT_R, band centre L, band centre R (meV)
@group(0) @binding(1) var<storage, read> points: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

const TWO_PI: f32 = 6.283185307179586;
const INV_2PI: f32 = 0.15915494309189535;

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

// Singlet (r[e]) and triplet (r[3 + e]) parts of the channel Green's functions, e = 0 (11), 1 (12 = 21),
// 2 (22); the triplet part without the cancellation R₊ − R₋: 1/d₊ − 1/d₋ = 4 t0 t/(d₊ d₋).
struct Ch { r: array<vec2<f32>, 6>, dr: array<vec2<f32>, 6>, gamma: vec2<f32> }

fn rdr(x: Ch, xo: u32, yo: u32, a: u32, b: u32, d1: vec2<f32>, d2: vec2<f32>) -> vec2<f32> {
  return cmul(cmul(x.r[xo + a], d1), x.r[yo + b]) + cmul(cmul(x.r[xo + a + 1u], d2), x.r[yo + b + 1u]);
}

fn channels(z: vec2<f32>, muL: f32, cL: f32, cR: f32, derivative: bool) -> Ch {
  let L = chain(z, cL, model.tL); let R = chain(z, cR, model.tR);
  let g1 = vec2<f32>(z.x - model.eps0, z.y) - L.sigma;
  let g2 = vec2<f32>(z.x - model.eps0, z.y) - R.sigma;
  var out: Ch;
  out.gamma = vec2<f32>(-2.0 * L.sigma.y, -2.0 * R.sigma.y);
  let hp = model.t0 + model.t; let hm = model.t0 - model.t;
  let P = cmul(g1, g2);
  let ip = cinv(P - vec2<f32>(hp * hp, 0.0)); let im = cinv(P - vec2<f32>(hm * hm, 0.0));
  let k = 4.0 * model.t0 * model.t; let di = cmul(ip, im);
  let sum = 0.5 * (ip + im); let dif = 0.5 * k * di;
  out.r[0] = cmul(g2, sum); out.r[1] = -0.5 * (hp * ip + hm * im); out.r[2] = cmul(g1, sum);
  out.r[3] = cmul(g2, dif); out.r[4] = -0.5 * (2.0 * model.t * im + hp * k * di); out.r[5] = cmul(g1, dif);
  if (derivative) {
    let d1 = vec2<f32>(1.0, 0.0) - L.dsigma; let d2 = vec2<f32>(1.0, 0.0) - R.dsigma;
    // −(R D R): singlet s d s + t d t, triplet s d t + t d s; entries (a, b) = (0,0), (0,1), (1,1)
    for (var e = 0u; e < 3u; e++) {
      let a = select(0u, 1u, e == 2u); let b = select(0u, 1u, e >= 1u);
      out.dr[e] = -(rdr(out, 0u, 0u, a, b, d1, d2) + rdr(out, 3u, 3u, a, b, d1, d2));
      out.dr[3u + e] = -(rdr(out, 0u, 3u, a, b, d1, d2) + rdr(out, 3u, 0u, a, b, d1, d2));
    }
  }
  return out;
}

/** iso, an, dm spin-trace forms (A19) of x = X_ab, y = Y_ba given as singlet and triplet parts. */
struct Tr { iso: vec2<f32>, an: vec2<f32>, dm: vec2<f32> }
fn traces(xs: vec2<f32>, xt: vec2<f32>, ys: vec2<f32>, yt: vec2<f32>) -> Tr {
  let ss = cmul(xs, ys); let tt = cmul(xt, yt); let d = cmul(xs, yt) - cmul(xt, ys);
  return Tr(2.0 * (ss - tt), 4.0 * tt, 2.0 * vec2<f32>(-d.y, d.x));
}

fn fermi_step(e: f32, mu: f32, kT: f32) -> f32 {
  if (kT == 0.0) { return select(select(0.5, 0.0, e > mu), 1.0, e < mu); }
  let x = (e - mu) / kT;
  if (x > 0.0) { let q = exp(-x); return q / (1.0 + q); }
  return 1.0 / (1.0 + exp(x));
}

fn entry(a: u32, b: u32) -> u32 { return a + b; }

/** M_c = Rʳ Γ_c Rᵃ on lead c's site: singlet (kind 0) Γ(s s̄ + t t̄), triplet (kind 1) Γ(s t̄ + t s̄), entry ab */
fn mc(ch: Ch, c: u32, kind: u32, a: u32, b: u32) -> vec2<f32> {
  let s1 = ch.r[entry(a, c)]; let t1 = ch.r[3u + entry(a, c)];
  let s2 = cconj(ch.r[entry(b, c)]); let t2 = cconj(ch.r[3u + entry(b, c)]);
  if (kind == 0u) { return ch.gamma[c] * (cmul(s1, s2) + cmul(t1, t2)); }
  return ch.gamma[c] * (cmul(s1, t2) + cmul(t1, s2));
}

var<private> acc: array<f32, 30>;
var<private> pt: array<f32, 6>;

fn add_axis(y: f32, w: f32) {
  let ch = channels(vec2<f32>(pt[1], y), pt[0], pt[4], pt[5], false);
  for (var k = 0u; k < 4u; k++) {
    let e = entry(k / 2u, k % 2u);
    let t = traces(ch.r[e], ch.r[3u + e], ch.r[e], ch.r[3u + e]);
    // χ_eq = −½ Re Q
    acc[3u * k] += -0.5 * w * t.iso.x;
    acc[3u * k + 1u] += -0.5 * w * t.an.x;
  }
  // ⟨s_a⟩_eq = 2 Re Q_t, Q_t from the triplet G^(t)_aa
  acc[28] += 2.0 * w * ch.r[3].x;
  acc[29] += 2.0 * w * ch.r[5].x;
}

/** Node v of the map y = y0 + L (1 − v)/v of the imaginary axis. */
fn axis_node(v: f32, w: f32, y0: f32, ls: f32) {
  add_axis(y0 + ls * (1.0 - v) / v, w * ls / (v * v) * INV_2PI);
}

fn damping_fermi_surface(ch: Ch, scale: f32) {
  for (var k = 0u; k < 4u; k++) {
    let e = entry(k / 2u, k % 2u);
    let as_ = vec2<f32>(-2.0 * ch.r[e].y, 0.0); let at_ = vec2<f32>(-2.0 * ch.r[3u + e].y, 0.0);
    let t = traces(as_, at_, as_, at_);
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
    let rs = ch.r[ee]; let rt = ch.r[3u + ee];
    if (win != 0.0) {
      let mlp = mc(ch, 0u, 0u, a, b); let mlm = mc(ch, 0u, 1u, a, b);
      let mbp = mc(ch, 0u, 0u, b, a); let mbm = mc(ch, 0u, 1u, b, a);
      let s1 = traces(rs, rt, mbp, mbm); let s2 = traces(mlp, mlm, cconj(rs), cconj(rt));
      acc[3u * k] += -0.25 * (s1.iso.x + s2.iso.x) * win;
      acc[3u * k + 1u] += -0.25 * (s1.an.x + s2.an.x) * win;
      acc[3u * k + 2u] += -0.25 * (s1.dm.x + s2.dm.x) * win;
      let dps = ch.dr[ee]; let dpt = ch.dr[3u + ee];
      let d1 = traces(dps, dpt, mbp, mbm); let d2 = traces(mlp, mlm, cconj(dps), cconj(dpt));
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
      acc[28u + a] += mc(ch, 0u, 1u, a, a).x * win;
    }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
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
    let c = 0.5 * (AXIS_BREAKS[p] + AXIS_BREAKS[p + 1u]); let h = 0.5 * (AXIS_BREAKS[p] - AXIS_BREAKS[p + 1u]);
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
