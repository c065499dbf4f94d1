// Device layout of the junction exchange kernel: per-point parameters and the grid uniform.
// Must match shaders/exchange/junction_greens.wgsl.
import { leadCoupling, reservoirs, type JunctionParams } from '../../models/junction/params.ts';
import type { EnergyGrid } from './grid.ts';

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

/** Grid uniform: mid = lo + (N/2)h, h (f32); N, points, row length, chunks (u32); padded to 32 bytes. */
export function packGrid(g: EnergyGrid, points: number, rowLen: number, chunks: number): ArrayBuffer {
  const buf = new ArrayBuffer(32), f = new Float32Array(buf), u = new Uint32Array(buf);
  f[0] = g.lo + (g.N / 2) * g.h; f[1] = g.h; u[2] = g.N; u[3] = points; u[4] = rowLen; u[5] = chunks;
  return buf;
}

/** Energy chunks per (point, block): each thread then sums ≤ 64 energies (llvmpipe's loop cap allows far more). */
export function chunksFor(N: number): number { return Math.max(1, N / 4096); }
