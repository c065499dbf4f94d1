// The uniform energy grid of the exchange integrals and the Fermi function (float32); layout in
// src/kernels/exchange/layout.ts.

// mid = ε at k = N/2: energies are mid + (k − N/2)·h, so float32 rounds each ε at its own magnitude
// (near the levels), not at the window edge's (|lo| ~ 200 meV would jitter the samples by ~1e-5 meV).
// struct Grid (uniform: mid, h, n, points, row_len, chunks) comes from the host (src/kernels/exchange/layout.ts GRID_UNIFORM).

fn grid_energy(k: u32) -> f32 { return grid.mid + f32(i32(k) - i32(grid.n / 2u)) * grid.h; }

fn fermi(e: f32, mu: f32, kt: f32) -> f32 {
  let x = (e - mu) / kt;
  if (x > 0.0) { let t = exp(-x); return t / (1.0 + t); }
  return 1.0 / (1.0 + exp(x));
}

