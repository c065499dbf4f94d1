// The drain magnet of the quantum-dot spin valve as an LLG-core model (seed 004, Fig. 2 and Fig. 3): one macrospin with
// easy axis e_z (K = KV/2), Gilbert α, the thermal field σ² (k_BT_eff = σ²/2αS) and the transport torques of its
// (ε̃, V) point as tables a_FL(u), a_DL(u) over u = m·p = cos θ, p = +ẑ the (moment of the) fixed source, start
// parallel (m = +ẑ). The charge current into the drain, J_D(θ), rides along as the readout table g(u), so the core
// time-averages the current along every trajectory (the "dynamic" readout of Fig. 3). Conventions: ./llg.ts
// (m = −n for both magnets, a_FL = +I_FL, a_DL = −I_DL; the problem is even under m → −m, so p = +ẑ, start +ẑ).
// Every table is in Γ units (the model is dimensionless); the core's meV/ps/K follow from Γ = gammaMeV meV.
//
// Also here: the Boltzmann reference for the torque-free drain (p → 0), and the interpolation error of a table.
import type { LlgModel, LlgPoint } from '../../llg/model.ts';
import { checkNodes, nodeAngle, tableValue, type TableGrid } from '../../llg/torqueTable.ts';
import { drainLlgSpin, PAPER_MAGNET, type MagnetParams } from './llg.ts';
import type { DotValveParams } from './params.ts';
import { pointScalars, stateAt } from './transport.ts';
import { integrate } from '../../numerics/quadrature.ts';

/** One (ε̃, V) point of a switching diagram with its tables (Γ units, core convention; all on one grid). */
export interface DrainPoint {
  eps: number;
  V: number;
  grid: TableGrid;
  /** a_FL(u_k) = I_FL(θ_k). */
  fieldLike: ArrayLike<number>;
  /** a_DL(u_k) = −I_DL(θ_k). */
  dampingLike: ArrayLike<number>;
  /** J_D(θ_k), particle current into the drain (the readout). */
  current: ArrayLike<number>;
}

/** The drain model: every point one macrospin (the magnet's parameters shared, the tables per point). */
export function drainModel(magnet: MagnetParams = PAPER_MAGNET, gammaMeV = 1): LlgModel<DrainPoint> {
  const spin = drainLlgSpin(magnet, gammaMeV);
  return {
    describe(pt: DrainPoint): LlgPoint {
      const n = pt.fieldLike.length;
      if (pt.dampingLike.length !== n || pt.current.length !== n) throw new RangeError(`drain point (${pt.eps}, ${pt.V}): the a_FL, a_DL and current tables must have the same length, got ${n}, ${pt.dampingLike.length}, ${pt.current.length}`);
      const g = spin.torqueScale;
      return {
        temperature: spin.temperature,
        spins: [{
          S: spin.S, alpha: spin.alpha, anisotropy: spin.anisotropy, easyAxis: spin.easyAxis, torqueAxis: spin.torqueAxis, init: spin.init,
          torqueTable: { grid: pt.grid, fieldLike: Float64Array.from(pt.fieldLike, x => x * g), dampingLike: Float64Array.from(pt.dampingLike, x => x * g) },
          // the readout stays in Γ units (a particle current e·Γ/ħ): it is averaged, never fed back
          readoutTable: pt.current,
        }],
      };
    },
  };
}

/**
 * Boltzmann mean angle of the torque-free drain in the well it starts in: E(θ) = −(KV/2) cos²θ, k_BT = kT, over the
 * upper hemisphere θ ∈ [0, π/2] (the barrier KV/2 is crossed on a time scale ~e^{KV/2kT}/(αω_K), much longer than a run
 * at the paper's KV/2kT = 10), ⟨θ⟩ = ∫θ sin θ e^{(KV/2kT)cos²θ} dθ / ∫ sin θ e^{(KV/2kT)cos²θ} dθ.
 */
export function boltzmannMeanAngle(KV: number, kT: number): number {
  if (!(KV > 0) || !(kT > 0)) throw new RangeError(`boltzmannMeanAngle: KV and kT must be > 0, got ${KV}, ${kT}`);
  const b = KV / (2 * kT);
  // weights relative to θ = 0 (e^{b(cos²θ − 1)} = e^{−b sin²θ}), so large b does not overflow
  const w = (t: number) => Math.sin(t) * Math.exp(-b * Math.sin(t) ** 2);
  const opts = { relTol: 1e-12, absTol: 0 };
  const num = integrate(t => t * w(t), 0, Math.PI / 2, opts).value, den = integrate(w, 0, Math.PI / 2, opts).value;
  return num / den;
}

/**
 * Catmull–Rom interpolation error of a point's tables against the float64 steady state at `angles` angles spread
 * uniformly over θ ∈ (0, π) (off the nodes): max |a_table(u) − a(u)| per amplitude, relative to the table's max |a|.
 */
export function tableInterpolationError(p: DotValveParams, table: { grid: TableGrid; fieldLike: ArrayLike<number>; dampingLike: ArrayLike<number> }, angles = 997): { fieldLike: number; dampingLike: number } {
  const n = table.fieldLike.length, sc = pointScalars(p);
  let eFL = 0, eDL = 0, sFL = 0, sDL = 0;
  for (let k = 0; k < n; k++) { sFL = Math.max(sFL, Math.abs(table.fieldLike[k])); sDL = Math.max(sDL, Math.abs(table.dampingLike[k])); }
  for (let j = 0; j < angles; j++) {
    const th = (Math.PI * (j + 0.5)) / angles, st = stateAt(p, sc, Math.sin(th), Math.cos(th)), u = Math.cos(th);
    eFL = Math.max(eFL, Math.abs(tableValue(table.fieldLike, 0, n, u, table.grid) - st.tauFL));
    eDL = Math.max(eDL, Math.abs(tableValue(table.dampingLike, 0, n, u, table.grid) + st.tauDL));
  }
  return { fieldLike: sFL > 0 ? eFL / sFL : eFL, dampingLike: sDL > 0 ? eDL / sDL : eDL };
}

/** One drain point with float64 tables (the steady state at every node, ./transport.ts): for single points and tests. */
export function drainPointCpu(p: DotValveParams, n: number, grid: TableGrid): DrainPoint {
  checkNodes(n);
  const sc = pointScalars(p), fieldLike = new Float64Array(n), dampingLike = new Float64Array(n), current = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [s, c] = nodeAngle(grid, k, n), st = stateAt(p, sc, s, c);
    fieldLike[k] = st.tauFL; dampingLike[k] = -st.tauDL; current[k] = st.current;
  }
  return { eps: p.eps, V: p.V, grid, fieldLike, dampingLike, current };
}
