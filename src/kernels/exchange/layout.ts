// Device layout of the junction exchange kernel: per-point parameters and the grid uniform.
// Must match shaders/exchange/junction_greens.wgsl.
import { leadCoupling, reservoirs, type JunctionParams } from '../../models/junction/params.ts';
import type { EnergyGrid } from './grid.ts';
import { defineStruct } from '../../backends/layout.ts';

export const PARAM_STRIDE = 20;

/** f32 parameters of each point (see the WGSL header comment for the slots). */
export function packJunctionParams(points: JunctionParams[]): Float32Array {
  const out = new Float32Array(points.length * PARAM_STRIDE);
  points.forEach((p, i) => {
    const o = i * PARAM_STRIDE, r = reservoirs(p);
    out.set([p.eps[0][0], p.eps[0][1], p.eps[1][0], p.eps[1][1], p.Tc], o);
    // Hermitian Γ^χ as (g00, g11, Re g01, Im g01)
    [leadCoupling(p.GammaL, p.pL, p.dirL), leadCoupling(p.GammaR, p.pR, p.dirR)].forEach((g, c) => out.set([g[0], g[6], g[2], g[3]], o + 5 + 4 * c));
    out.set([r.L.mu, r.R.mu, r.L.kT, r.R.kT], o + 13);
  });
  return out;
}

/** Grid uniform: mid = lo + (N/2)h and h (meV), N energies, points, row length, chunks. */
export const GRID_UNIFORM = defineStruct('Grid', { mid: 'f32', h: 'f32', n: 'u32', points: 'u32', row_len: 'u32', chunks: 'u32' });

export function packGrid(g: EnergyGrid, points: number, rowLen: number, chunks: number): ArrayBuffer {
  return GRID_UNIFORM.pack({ mid: g.lo + (g.N / 2) * g.h, h: g.h, n: g.N, points, row_len: rowLen, chunks });
}

/** Energy chunks per (point, block): each thread then sums ≤ 64 energies (llvmpipe's loop cap allows far more). */
export function chunksFor(N: number): number { return Math.max(1, N / 4096); }
