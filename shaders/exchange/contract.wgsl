// Contraction of the Keldysh exchange integrand into Pauli bilinears (twin: contractAt in
// src/kernels/exchange/cpu.ts). One workgroup per (point i, block (m, n), energy chunk c); each
// thread sums its energies with Kahan compensation, the workgroup reduces pairwise, and the host
// adds the chunks in float64. Kinds: P1 = x[G^>_mn]⊗y[K^<_nm], P2 = x[G^<_mn]⊗y[K^>_nm],
// δ1 = x[G^>_mn]⊗y[G^<_nm], δ2 = x[G^<_mn]⊗y[G^>_nm]; K = P∫ G(ε')/(ε' − ε) dε' from the rows.

@group(0) @binding(0) var<uniform> grid: Grid;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> rows: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> partial: array<vec2<f32>>;

const PI: f32 = 3.14159265358979;
var<workgroup> red: array<vec2<f32>, WG * 16u>;

/** K^<_nm at grid index k from the transformed rows of point i (G^<_21 = −(G^<_12)†). */
fn lesser_pv(i: u32, nm: u32, k: u32) -> C2 {
  let L = grid.row_len; let r0 = (i * PV_ROWS) * L + k;
  if (nm == 0u || nm == 3u) {
    let o = select(0u, 2u * L, nm == 3u);
    let d = rows[r0 + o]; let x = rows[r0 + o + L];
    return C2(vec2<f32>(0.0, d.x), x, -cconj(x), vec2<f32>(0.0, d.y));
  }
  let a = rows[r0 + 4u * L]; let b = rows[r0 + 5u * L]; let c = rows[r0 + 6u * L]; let d = rows[r0 + 7u * L];
  if (nm == 1u) { return C2(a, b, c, d); }
  return C2(-cconj(a), -cconj(c), -cconj(b), -cconj(d));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = wid.x + wid.y * nwg.x;
  let total = grid.points * 4u * grid.chunks;
  // every invocation of a workgroup takes the same branch, so the barriers below stay uniform
  let live = w < total;
  let wc = min(w, total - 1u);
  let c = wc % grid.chunks; let blk = (wc / grid.chunks) % 4u; let i = wc / (grid.chunks * 4u);
  let m = blk >> 1u; let n = blk & 1u; let nm = 2u * n + m;
  let per = grid.n / grid.chunks;
  let base = i * PARAM_STRIDE;
  var acc: array<vec2<f32>, 64>;   // 4 kinds × 16 Pauli pairs
  var comp: array<vec2<f32>, 64>;
  for (var k = c * per + lid.x; k < (c + 1u) * per; k += WG) {
    let e = grid_energy(k);
    let dm = dimer_at(base, e);
    let gl = m2_pauli(keldysh_block(dm, m, n, true));
    let gg = m2_pauli(keldysh_block(dm, m, n, false));
    let yl = m2_pauli(keldysh_block(dm, n, m, true));
    let yg = m2_pauli(keldysh_block(dm, n, m, false));
    let kl = lesser_pv(i, nm, k);
    // K^> = K^< + iπ(Gʳ_nm + Gᵃ_nm): the principal value of Gʳ − Gᵃ is known in closed form
    let kg = m2_add(kl, m2_scale(m2_add(dm.g[nm], m2_dagger(dm.g[blk])), vec2<f32>(0.0, PI)));
    let ykl = m2_pauli(kl); let ykg = m2_pauli(kg);
    for (var p = 0u; p < 4u; p++) {
      for (var q = 0u; q < 4u; q++) {
        let j = 4u * p + q;
        var v = array<vec2<f32>, 4>(cmul(gg[p], ykl[q]), cmul(gl[p], ykg[q]), cmul(gg[p], yl[q]), cmul(gl[p], yg[q]));
        for (var kind = 0u; kind < 4u; kind++) {
          let s = kind * 16u + j;
          let y = v[kind] - comp[s];
          let t = acc[s] + y;
          comp[s] = (t - acc[s]) - y;
          acc[s] = t;
        }
      }
    }
  }
  let out = wc * 64u;   // 64 outputs (4 kinds × 16) per workgroup
  for (var kind = 0u; kind < 4u; kind++) {
    for (var j = 0u; j < 16u; j++) { red[lid.x * 16u + j] = acc[kind * 16u + j] - comp[kind * 16u + j]; }
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
      if (lid.x < stride) {
        for (var j = 0u; j < 16u; j++) { red[lid.x * 16u + j] += red[(lid.x + stride) * 16u + j]; }
      }
      workgroupBarrier();
    }
    if (live && lid.x < 16u) { partial[out + kind * 16u + lid.x] = red[lid.x]; }
    workgroupBarrier();
  }
}
