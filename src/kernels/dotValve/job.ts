// The torque-table job shared by the CPU twin and the WebGPU host: points sharing every parameter but ε̃ and V,
// and a list of drain angles given as (sin θ, cos θ) pairs (so θ = 0, π and the u-grid nodes u = cos θ are exact).
import type { DotValveParams } from '../../models/dotValve/params.ts';
import { gridNodes, type TableGrid } from '../../models/dotValve/torqueTable.ts';
import { nodeAngle } from '../../llg/torqueTable.ts';

export interface TorqueTableJob {
  /** Everything but ε̃, V (which come from `points`). */
  base: DotValveParams;
  /** ε̃, V pairs (Γ), one per point. */
  points: Float64Array;
  /** sin θ, cos θ pairs, one per angle (sin θ ≥ 0: θ ∈ [0, π]). */
  angles: Float64Array;
  /** Progress: points done of the total. */
  onProgress?: (done: number, total: number) => void;
}

export function checkJob(job: TorqueTableJob): { nPoints: number; nAngles: number } {
  if (job.points.length % 2 !== 0) throw new RangeError('torque table: points must hold (ε̃, V) pairs');
  if (job.angles.length % 2 !== 0) throw new RangeError('torque table: angles must hold (sin θ, cos θ) pairs');
  const nPoints = job.points.length / 2, nAngles = job.angles.length / 2;
  if (nAngles < 1) throw new RangeError('torque table: at least one angle is needed');
  for (let a = 0; a < nAngles; a++) {
    const s = job.angles[2 * a], c = job.angles[2 * a + 1];
    if (!(s >= 0) || Math.abs(s * s + c * c - 1) > 1e-12) throw new RangeError(`torque table: angle ${a} is not (sin θ ≥ 0, cos θ) of θ ∈ [0, π]: (${s}, ${c})`);
  }
  for (let i = 0; i < job.points.length; i++) if (!Number.isFinite(job.points[i])) throw new RangeError(`torque table: ε̃ and V must be finite, got ${job.points[i]} (point ${i >> 1})`);
  return { nPoints, nAngles };
}

/**
 * (sin θ, cos θ) pairs of LLG table nodes: grid 'u' — u_k = −1 + 2k/(n−1) (the core's grid, θ_k = arccos u_k, exact at
 * u = ±1); grid 'zeta' — ζ_k uniform in ζ = √(1 + u) − √(1 − u) (src/models/dotValve/torqueTable.ts).
 */
export function uGridAngles(n: number, grid: TableGrid = 'u'): Float64Array {
  const nodes = gridNodes(grid, n), out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const [s, c] = nodeAngle(grid, k, n);
    out[2 * k] = s;
    out[2 * k + 1] = c;
  }
  return out;
}

/** (sin θ, cos θ) pairs of angles θ (rad, in [0, π]); exact at 0, π/2, π. */
export function thetaAngles(thetas: ArrayLike<number>): Float64Array {
  const out = new Float64Array(2 * thetas.length);
  for (let a = 0; a < thetas.length; a++) {
    const t = thetas[a];
    if (!(t >= 0 && t <= Math.PI * (1 + 1e-15))) throw new RangeError(`theta must be in [0, π], got ${t}`);
    const [s, c] = t === 0 ? [0, 1] : Math.abs(t - Math.PI) <= 1e-15 * Math.PI ? [0, -1] : Math.abs(t - Math.PI / 2) <= 1e-16 ? [1, 0] : [Math.sin(t), Math.cos(t)];
    out[2 * a] = s; out[2 * a + 1] = c;
  }
  return out;
}
