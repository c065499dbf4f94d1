// CPU (float64) path of the SOC-dimer coupling map: the twin formulas of
// src/models/socDimer/couplings.ts (couplingsRaw) evaluated point by point.
import { couplingsRaw, COUPLING_STRIDE, pointSpec, type CouplingRule } from '../../models/socDimer/couplings.ts';
import type { SocDimerParams } from '../../models/socDimer/params.ts';

export type MapProgress = (done: number, total: number) => void;

/** Raw couplings (COUPLING_STRIDE floats per point) for points sharing every parameter but μ_F, V, T. */
export function couplingsMapCpu(points: SocDimerParams[], rule: CouplingRule, progress?: MapProgress): Float64Array {
  const out = new Float64Array(points.length * COUPLING_STRIDE);
  const every = Math.max(1, Math.floor(points.length / 50));
  points.forEach((p, i) => {
    out.set(couplingsRaw(p, pointSpec(p), rule), i * COUPLING_STRIDE);
    if ((i + 1) % every === 0 || i + 1 === points.length) progress?.(i + 1, points.length);
  });
  return out;
}
