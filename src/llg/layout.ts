// The packed row of one parameter point, as both kernels read it (float64 on the CPU twin, float32 on
// the device): K spin rows, P = K(K−1)/2 pair rows, then (tensor damping) the 3K×3K damping tensor, the
// noise factor L (L Lᵀ = C; scaled by 1/√dt when packed for a run) and the k_BT of the drift correction,
// then (torque tables) n_T nodes of a_FL and n_T of a_DL per spin, then (oscillator) OSC_ROW and the spins'
// coupling vectors. The same offsets reach shaders/llg/heun.wgsl as SLOT_*/PAIR_*/OSC_*/POINT_* constants, so
// this file is their one source.
import { defineRow } from '../backends/layout.ts';
import type { TableGrid } from './torqueTable.ts';

/** Per-spin slots. `side`: +1/−1 initial side of m·n (0 pinned); `sigma`: per-step noise std (filled per run). */
export const SPIN_ROW = defineRow({
  field: 3, anisotropy: 1, axis: 3, S: 1, torqueAxis: 3, fieldLike: 1, dampingLike: 1, alpha: 1, sigma: 1, pinned: 1,
  tensor: 6, init: 3, side: 1,
});
export const SPIN = SPIN_ROW.offsets;
export const SPIN_STRIDE = SPIN_ROW.stride;

/** Per-pair slots: forward 𝕁_ij then reverse 𝕁_ji, both row-major. */
export const PAIR_ROW = defineRow({ forward: 9, reverse: 9 });
export const PAIR = PAIR_ROW.offsets;
export const PAIR_STRIDE = PAIR_ROW.stride;

/**
 * Oscillator slots (points with an oscillator, after everything else): ω0 (meV), Φ (meV), γ (1/ps), σ_P (per-step
 * noise std √(4γk_BT/(ω0 dt)), filled per run), initial (Q, P); then the coupling vector Σ_c A_c e_c of each of
 * the K spins (3K slots, spin i at OSC_STRIDE + 3i).
 */
export const OSC_ROW = defineRow({ omega0: 1, cubic: 1, damping: 1, sigma: 1, init: 2 });
export const OSC = OSC_ROW.offsets;
export const OSC_STRIDE = OSC_ROW.stride;

/**
 * A spin has switched when s0·(m·n) < −SWITCH_BAND, s0 its initial side. The band keeps float32 vs
 * float64 rounding of a start with m·n ≈ 0 from counting as a switch on one backend only.
 */
export const SWITCH_BAND = 1e-5;

export interface PointShape {
  /** Spins per system K. */
  spins: number;
  /** Damping as a 3K×3K tensor and noise as a 3K×3K covariance. */
  tensorDamping: boolean;
  /** Nodes of the torque tables (0: none). */
  torqueNodes: number;
  /** Their grid variable: u = cos θ or ζ (src/llg/torqueTable.ts); default 'u'. */
  torqueGrid?: TableGrid;
  /** Spins carry a readout table g(u) after their two torque tables. */
  readout?: boolean;
  /** Every point has an oscillator (OSC_ROW slots and K coupling vectors at the end of the row). */
  oscillator?: boolean;
}

/** Offsets within a point row and its length. */
export interface PointLayout {
  spin(i: number): number;
  pair(q: number): number;
  /** Damping tensor (tensor mode); the noise factor follows it (+ D²), then the drift k_BT (+ 2D²). */
  damping: number;
  noise: number;
  driftKT: number;
  /** a_FL table of spin i; its a_DL table follows at + torqueNodes, its readout table (if any) at + 2·torqueNodes. */
  table(i: number): number;
  /** Tables per spin (2, or 3 with a readout). */
  tablesPerSpin: number;
  /** Oscillator slots (OSC_ROW; = the end of the row without an oscillator); spin i's coupling vector at oscillator + OSC_STRIDE + 3i. */
  oscillator: number;
  stride: number;
  /** Constants for the shader: POINT_PAIRS, POINT_TENSOR, POINT_TABLES, POINT_OSC, PSTRIDE. */
  constants: Record<string, number>;
}

export function pointLayout(shape: PointShape): PointLayout {
  const K = shape.spins, P = (K * (K - 1)) / 2, D = 3 * K, NT = shape.torqueNodes;
  const pairs = K * SPIN_STRIDE, tensor = pairs + P * PAIR_STRIDE;
  const tables = tensor + (shape.tensorDamping ? 2 * D * D + 1 : 0);
  const per = shape.readout ? 3 : 2;
  const osc = tables + (NT > 0 ? per * K * NT : 0);
  const stride = osc + (shape.oscillator ? OSC_STRIDE + 3 * K : 0);
  return {
    spin: i => i * SPIN_STRIDE, pair: q => pairs + q * PAIR_STRIDE,
    damping: tensor, noise: tensor + D * D, driftKT: tensor + 2 * D * D,
    table: i => tables + per * i * NT, tablesPerSpin: per, oscillator: osc, stride,
    constants: { POINT_PAIRS: pairs, POINT_TENSOR: tensor, POINT_TABLES: tables, POINT_OSC: osc, PSTRIDE: stride },
  };
}

/** Index of pair (i, j), i < j, among the K(K−1)/2 pairs (row by row). */
export function pairIndex(i: number, j: number, K: number): number {
  if (!Number.isInteger(i) || !Number.isInteger(j) || !(0 <= i && i < j && j < K)) throw new RangeError(`coupling pair (${i},${j}) must be integers with 0 ≤ i < j < ${K}`);
  return i * K - (i * (i + 1)) / 2 + (j - i - 1);
}
