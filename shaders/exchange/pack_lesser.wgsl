// G^< on the energy grid, packed into the 8 complex rows per point that the principal-value
// transform takes (twin: packLesser in src/kernels/exchange/cpu.ts). Row r of point i starts at
// (i·PV_ROWS + r)·row_len; entries N..row_len−1 (the FFT's zero padding) are left to the transform.

@group(0) @binding(0) var<uniform> grid: Grid;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> rows: array<vec2<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * WG;
  if (idx >= grid.n * grid.points) { return; }
  let i = idx / grid.n; let k = idx - i * grid.n;
  let e = grid_energy(k);
  let dm = dimer_at(i * PARAM_STRIDE, e);
  let l11 = keldysh_block(dm, 0u, 0u, true);
  let l22 = keldysh_block(dm, 1u, 1u, true);
  let l12 = keldysh_block(dm, 0u, 1u, true);
  let r0 = (i * PV_ROWS) * grid.row_len + k;
  let L = grid.row_len;
  rows[r0] = vec2<f32>(l11.e00.y, l11.e11.y);
  rows[r0 + L] = l11.e01;
  rows[r0 + 2u * L] = vec2<f32>(l22.e00.y, l22.e11.y);
  rows[r0 + 3u * L] = l22.e01;
  rows[r0 + 4u * L] = l12.e00;
  rows[r0 + 5u * L] = l12.e01;
  rows[r0 + 6u * L] = l12.e10;
  rows[r0 + 7u * L] = l12.e11;
}
