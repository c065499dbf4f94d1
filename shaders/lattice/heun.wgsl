// Stochastic Heun (Stratonovich) with renormalisation for a lattice of grain macrospins, the scheme of
// shaders/llg/heun.wgsl with global state buffers: every stage needs its neighbours' orientations, so a step is
// two passes over all sites (predict, correct) and the host orders them (one dispatch each, or several over
// site ranges). Float64 twin: src/kernels/lattice/cpu.ts (same stages, same Philox counters, same order of
// operations). Problem and energy: src/models/lattice/problem.ts.
//
//   predict:  f0 = ṁ(m, h(m) + b),  mid = m + (dt/2) f0,  dst = m̃ = normalize(m + dt f0)     (src = m)
//   correct:  f1 = ṁ(m̃, h(m̃) + b), dst = m′ = normalize(mid + (dt/2) f1)                     (src = m̃)
//   ṁ(m, h) = w (m × h + α m × (m × h)),  w = −1/(ħS(1 + α²))   (scalar Gilbert damping in LL form)
//   h_i = Σ_j J_ij m_j + 2K (m_i·n_i) n_i + B_r,  b = σ_r ξ,  σ_r = √(2αħS k_BT_r/dt)
// States are vec4 per grain (w unused: one aligned 16-byte load per neighbour on a GPU).
// The host binds (src, dst) = (m, m̃) for predict and (m̃, m) for correct: ping-pong between two global buffers;
// correct reads its own `mid` and the neighbours' m̃ only, so it may overwrite m in place.
//
// Noise: Philox4x32-10 (rng/philox.wgsl), counter (global site g = (replicaOffset + r)·N + i split as g mod 2^32 =
// ctr0 + flat site and ⌊g/2^32⌋ = ctr_hi + carry, so word 2 is 0 below 2^32 grains: (g mod 2^32, ⌊step/2⌋,
// ⌊g/2^32⌋, STREAM_THERMAL)), key = seed; one block = six normals = the two steps 2p, 2p+1 of one site, the
// counter layout of the cluster kernel. The predict pass of an even step (or the first step of a run) draws the
// block and keeps all six normals in `zs`; the other three stages of the pair read them.
//
// Measure: per replica the sums over its sites of (m, e_i) (e_i the site's share of E: half its bonds) and of
// (|m × h|², 2 m·(h_ex + B) − 2K(1 − 3u²)) (configurational temperature, below), workgroup tree → two vec4 per
// workgroup and sample; the host folds them in float64. M, |M|, M², M⁴ of a sample are functions of the folded M.
// Configurational temperature: for any Boltzmann density on the spheres ⟨|∇_S E|²⟩ = k_BT ⟨Δ_S E⟩ (integration
// by parts; ∇_S the tangential gradient, Δ_S the Laplace–Beltrami operator of each site's sphere), with
// |∇_S E|² = |m × h|² per site and Δ_S E = 2 m·(h_ex + B) − 2K(1 − 3(m·n)²) (Δ_S m_a = −2 m_a, Δ_S u² = 2 − 6u²).
// Its ratio measures the temperature the discretised dynamics actually samples.
//
// Composed after rng/philox.wgsl with a header (src/kernels/lattice/webgpu.ts) defining LatticeRun and:
//   NS (sites per replica), LX, LY, LZ, OX, OY, OZ (bool: open boundary along x, y, z), NBR_LIST (bool),
//   NBR_PAIRS (offset of the (neighbour, J bits) pairs in `nbr`: NS + 1), ANISO (bool: K ≠ 0, per-site axes at
//   params[0 .. 3NS)), REP0 (offset of the replica rows in params), REP_SIGMA, REP_FIELD, REP_STRIDE (defineRow),
//   THERMAL (bool), STREAM_THERMAL, SPT (sites per invocation of measure), WPR (workgroups per replica of measure).
// Per-invocation loops: predict/correct one site (Philox rounds, ≤ MAX_DEGREE neighbours); measure SPT sites plus
// the tree: far below llvmpipe's 65535-iteration cap; measure still runs the probe loop of heun.wgsl and returns
// partial sums of 3e38 if the cap was reached, which the host refuses.

@group(0) @binding(0) var<uniform> run: LatticeRun;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> mid: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> zs: array<f32>;
@group(0) @binding(6) var<storage, read> nbr: array<u32>;
@group(0) @binding(7) var<storage, read_write> partial: array<vec4<f32>>;

// Every entry point references every binding, so all pipelines share one binding list (auto layouts).
fn use_all() {
  _ = arrayLength(&params); _ = arrayLength(&src); _ = arrayLength(&dst); _ = arrayLength(&mid);
  _ = arrayLength(&zs); _ = arrayLength(&nbr); _ = arrayLength(&partial);
}

fn ld(f: u32) -> vec3<f32> {
  return src[f].xyz;
}

fn axis(i: u32) -> vec3<f32> {
  let o = 3u * i;
  return vec3<f32>(params[o], params[o + 1u], params[o + 2u]);
}

struct Rep { sigma: f32, B: vec3<f32> }

fn replica(r: u32) -> Rep {
  let o = REP0 + r * REP_STRIDE;
  return Rep(params[o + REP_SIGMA], vec3<f32>(params[o + REP_FIELD], params[o + REP_FIELD + 1u], params[o + REP_FIELD + 2u]));
}

// The two neighbours of site i along one axis (coordinate c of L, index stride st): w₋ m₋ + w₊ m₊, with weight 0
// past an open end (the wrapped site is loaded and multiplied by 0: no branch).
fn axis_pair(base: u32, i: u32, c: u32, L: u32, st: u32, open: bool) -> vec3<f32> {
  let lo = c == 0u;
  let hi = c == L - 1u;
  let im = select(i - st, i + (L - 1u) * st, lo);
  let ip = select(i + st, i - (L - 1u) * st, hi);
  let wm = select(1.0, 0.0, lo & open);
  let wp = select(1.0, 0.0, hi & open);
  return wm * ld(base + im) + wp * ld(base + ip);
}

// Σ_j J_ij m_j of site i (flat index f = replica base + i), neighbour states from `src`.
fn exchange(f: u32, i: u32) -> vec3<f32> {
  let base = f - i;
  if (NBR_LIST) {
    var s = vec3<f32>(0.0);
    let k1 = nbr[i + 1u];
    for (var k = nbr[i]; k < k1; k++) {
      let e = NBR_PAIRS + 2u * k;
      s += bitcast<f32>(nbr[e + 1u]) * ld(base + nbr[e]);
    }
    return s;
  }
  var s = vec3<f32>(0.0);
  if (LX > 1u) { s += axis_pair(base, i, i % LX, LX, 1u, OX); }
  if (LY > 1u) { s += axis_pair(base, i, (i / LX) % LY, LY, LX, OY); }
  if (LZ > 1u) { s += axis_pair(base, i, i / (LX * LY), LZ, LX * LY, OZ); }
  return run.J * s;
}

fn rhs(m: vec3<f32>, h: vec3<f32>) -> vec3<f32> {
  let r = cross(m, h);
  return run.w * (r + run.alpha * cross(m, r));
}

// Deterministic field on site i at orientation m: exchange (from src) + anisotropy + Zeeman.
fn field(f: u32, i: u32, m: vec3<f32>, B: vec3<f32>) -> vec3<f32> {
  var h = exchange(f, i) + B;
  if (ANISO) {
    let n = axis(i);
    h += (2.0 * run.K * dot(m, n)) * n;
  }
  return h;
}

fn site_of(gid: vec3<u32>) -> u32 {
  return gid.x + gid.y * run.groups_x * WG;
}

// `draw`: this step's predict draws the Philox block of its pair (an even step, or the first step of a run).
fn predict_site(l: u32, draw: bool) {
  let f = run.first + l;
  let r = f / NS;
  let i = f - r * NS;
  let m = ld(f);
  let rp = replica(r);
  var h = field(f, i, m, rp.B);
  if (THERMAL) {
    let o = 6u * f;
    var xi: vec3<f32>;
    if (draw) {
      let lo = run.ctr0 + f;
      let hi = run.ctr_hi + select(0u, 1u, lo < f);
      let z = normals6(philox4x32(vec4<u32>(lo, run.step >> 1u, hi, STREAM_THERMAL), run.key));
      zs[o] = z.a.x; zs[o + 1u] = z.a.y; zs[o + 2u] = z.a.z;
      zs[o + 3u] = z.b.x; zs[o + 4u] = z.b.y; zs[o + 5u] = z.b.z;
      xi = select(z.a, z.b, (run.step & 1u) != 0u);
    } else {
      let q = o + 3u * (run.step & 1u);
      xi = vec3<f32>(zs[q], zs[q + 1u], zs[q + 2u]);
    }
    h += rp.sigma * xi;
  }
  let f0 = rhs(m, h);
  mid[f] = vec4<f32>(m + (0.5 * run.dt) * f0, 0.0);
  dst[f] = vec4<f32>(normalize(m + run.dt * f0), 0.0);
}

@compute @workgroup_size(WG)
fn predict_draw(@builtin(global_invocation_id) gid: vec3<u32>) {
  use_all();
  let l = site_of(gid);
  if (l < run.count) { predict_site(l, true); }
}

@compute @workgroup_size(WG)
fn predict_load(@builtin(global_invocation_id) gid: vec3<u32>) {
  use_all();
  let l = site_of(gid);
  if (l < run.count) { predict_site(l, false); }
}

@compute @workgroup_size(WG)
fn correct(@builtin(global_invocation_id) gid: vec3<u32>) {
  use_all();
  let l = site_of(gid);
  if (l < run.count) { correct_site(l); }
}

fn correct_site(l: u32) {
  let f = run.first + l;
  let r = f / NS;
  let i = f - r * NS;
  let mp = ld(f);
  let rp = replica(r);
  var h = field(f, i, mp, rp.B);
  if (THERMAL) {
    let q = 6u * f + 3u * (run.step & 1u);
    h += rp.sigma * vec3<f32>(zs[q], zs[q + 1u], zs[q + 2u]);
  }
  let f1 = rhs(mp, h);
  dst[f] = vec4<f32>(normalize(mid[f].xyz + (0.5 * run.dt) * f1), 0.0);
}

// Per-site sums of a sample: (m, e_i) and the configurational-temperature pair (|m × h|², Δ_S E), e_i the site's
// share of E (−½ m·h_ex − B·m − K u²), h the deterministic field.
struct SiteSums { a: vec4<f32>, b: vec4<f32> }

fn site_sums(f: u32, i: u32, m: vec3<f32>, B: vec3<f32>) -> SiteSums {
  let hx = exchange(f, i);
  var h = hx + B;
  var e = -0.5 * dot(m, hx) - dot(B, m);
  var lap = 2.0 * dot(m, h);
  if (ANISO) {
    let n = axis(i);
    let u = dot(m, n);
    e -= run.K * u * u;
    lap -= 2.0 * run.K * (1.0 - 3.0 * u * u);
    h += (2.0 * run.K * u) * n;
  }
  let t = cross(m, h);
  return SiteSums(vec4<f32>(m, e), vec4<f32>(dot(t, t), lap, 0.0, 0.0));
}

var<workgroup> red: array<vec4<f32>, WG>;
var<workgroup> red2: array<vec4<f32>, WG>;

// Grid: x = workgroups of one replica (WPR, each WG·SPT sites), y = replicas of this dispatch (from rep_first).
@compute @workgroup_size(WG)
fn measure(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  use_all();
  let r = run.rep_first + wid.y;
  let rp = replica(r);
  var acc = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  for (var k = 0u; k < SPT; k++) {
    let i = (wid.x * SPT + k) * WG + lid.x;
    if (i < NS) {
      let f = r * NS + i;
      let t = site_sums(f, i, ld(f), rp.B);
      acc += t.a;
      acc2 += t.b;
    }
  }
  red[lid.x] = acc;
  red2[lid.x] = acc2;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; red2[lid.x] += red2[lid.x + s]; }
    workgroupBarrier();
  }
  // loop-cap probe (heun.wgsl): a loop with runtime bound 2 runs only once if llvmpipe's cap was reached
  var probe = 0u;
  loop {
    probe++;
    if (probe >= run.probe_iters) { break; }
  }
  if (lid.x == 0u) {
    let bad = probe != run.probe_iters;
    let o = 2u * ((run.slot * run.n_rep + r) * WPR + wid.x);
    partial[o] = select(red[0], vec4<f32>(3.0e38), bad);
    partial[o + 1u] = red2[0];
  }
}
