// LLG torque tables of the quantum-dot spin valve for many (ε̃, V) points at once, on any backend (the torque-table
// kernel over the core's u grid, or the ζ grid): per point {fieldLike, dampingLike} at u_k = −1 + 2k/(n−1), in the LLG core's
// convention (src/models/dotValve/llg.ts): a_FL(u) = I_FL(arccos u), a_DL(u) = −I_DL(arccos u), Γ units
// (multiply by drainLlgSpin(…).torqueScale for meV). The float64 single-point version is llgTorqueTable
// (src/models/dotValve/torqueTable.ts).
import type { Backend } from '../backends/index.ts';
import { torqueTableKernel, uGridAngles, ROW } from '../kernels/dotValve/index.ts';
import type { DotValveParams } from '../models/dotValve/params.ts';
import { gridNodes, type TableGrid } from '../models/dotValve/torqueTable.ts';

export interface LlgTorqueTables {
  grid: TableGrid;
  /** The nodes in the grid variable (u_k, or ζ_k for the 'zeta' grid). */
  nodes: Float64Array;
  /** One table pair per point, in the order of `points`. */
  tables: { fieldLike: Float64Array; dampingLike: Float64Array }[];
}

/** Tables for the (ε̃, V) pairs in `points` (every other parameter from `base`). */
export async function llgTorqueTables(backend: Backend, base: DotValveParams, points: Float64Array, n = 65, grid: TableGrid = 'u', onProgress?: (done: number, total: number) => void): Promise<LlgTorqueTables> {
  const nodes = gridNodes(grid, n);
  const rows = await backend.run(torqueTableKernel, { base, points, angles: uGridAngles(n, grid), onProgress });
  const o = ROW.offsets, tables: LlgTorqueTables['tables'] = [];
  for (let i = 0; i < points.length / 2; i++) {
    const fieldLike = new Float64Array(n), dampingLike = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const at = (i * n + k) * ROW.stride;
      fieldLike[k] = rows[at + o.tauFL];
      dampingLike[k] = -rows[at + o.tauDL];
    }
    tables.push({ fieldLike, dampingLike });
  }
  return { grid, nodes, tables };
}
