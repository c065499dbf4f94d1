// Torque tables for the LLG core (float64, one point), in the core's convention (./llg.ts): a_FL = I_FL(θ),
// a_DL = −I_DL(θ), Γ units, on one of two node sets:
//   'u'    — u_k = −1 + 2k/(n−1), uniform in u = cos θ: the grid of src/llg/torqueTable.ts (the core's default);
//   'zeta' — ζ_k = −√2 + 2√2 k/(n−1) with ζ = √(1 + u) − √(1 − u) = 2 cos(θ/2 + π/4), nearly uniform in θ
//            (dζ/dθ ∈ [−1, −1/√2]) yet computed from u with two square roots (no acos on the device).
// Why the second: near the antiparallel state the amplitudes vary on an angular scale set by the ratio of the
// cotunnelling rates to the exchange field (|B| → |b_S − b_D| at θ → π), i.e. on a scale ∝ (π − θ)² ∝ 1 + u in u.
// A uniform u grid puts the whole feature into its last interval: with 65 nodes the Catmull–Rom error of I_FL is
// 47 % of max|I_FL| at the Fig. 4 point (U/4, −0.15U), 0.47 → 0.19 → 0.033 for n = 65, 257, 1025; the ζ grid gives
// 0.063, 0.0058, 3.5e-4 (docs/models/dotValve.md, "Torque tables"). On the resonance line itself no table of ≤ 1025
// nodes is better than a few per cent next to θ = π.
// The grid version over many (ε̃, V) points runs the torque-table kernel (src/runs/dotValveTables.ts).
import type { DotValveParams } from './params.ts';
import { pointScalars, stateAt } from './transport.ts';
import { checkNodes, nodeAngle, type TableGrid } from '../../llg/torqueTable.ts';

export { TABLE_GRIDS, type TableGrid } from '../../llg/torqueTable.ts';

/** The grid variable of each node: u_k, or ζ_k = √(1+u_k) − √(1−u_k). */
export function gridNodes(grid: TableGrid, n: number): Float64Array {
  checkNodes(n);
  return Float64Array.from({ length: n }, (_, k) => { const [, u] = nodeAngle(grid, k, n); return grid === 'u' ? u : k === 0 ? -Math.SQRT2 : k === n - 1 ? Math.SQRT2 : -Math.SQRT2 + (2 * Math.SQRT2 * k) / (n - 1); });
}

export interface LlgTorqueTable {
  grid: TableGrid;
  /** The node positions in the grid variable (u or ζ). */
  nodes: Float64Array;
  /** u_k = cos θ_k of every node (= nodes for the u grid). */
  u: Float64Array;
  fieldLike: Float64Array;
  dampingLike: Float64Array;
}

/** The table of one point (sin θ_k from the node: exact at θ = 0, π, where the limits of Eq. 2 are used). */
export function llgTorqueTable(p: DotValveParams, n = 65, grid: TableGrid = 'u'): LlgTorqueTable {
  const nodes = gridNodes(grid, n), sc = pointScalars(p);
  const u = new Float64Array(n), fieldLike = new Float64Array(n), dampingLike = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [s, c] = nodeAngle(grid, k, n);
    const st = stateAt(p, sc, s, c);
    u[k] = c;
    fieldLike[k] = st.tauFL;
    dampingLike[k] = -st.tauDL;
  }
  return { grid, nodes, u, fieldLike, dampingLike };
}
