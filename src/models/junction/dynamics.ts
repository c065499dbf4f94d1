// The junction's spin dimer as an LLG model (beyond seed 000): at each point of a bias (or gate, or ΔT)
// sweep the exchange fields of the biased junction drive two classical spins. A point is the pair's LLG
// tensors (fields on unit vectors, meV): forward S²·C_12 (field on m_1) and reverse S²·C_21 (field on m_2);
// see src/runs/junctionDynamics.ts for the conversion and the reciprocal comparison.
import type { LlgModel } from '../../llg/model.ts';
import type { Vec3 } from '../../numerics/vec3.ts';

export interface JunctionDimerSpins {
  /** Spin length S, Gilbert damping α, bath temperature (K), local uniaxial anisotropy K (meV) along easyAxis. */
  S: number;
  alpha: number;
  temperature: number;
  anisotropy: number;
  easyAxis: Vec3;
}

export interface PairFields { forward: ArrayLike<number>; reverse: ArrayLike<number> }

/** Spins start perpendicular (m_1 = ẑ, m_2 = x̂): neither the parallel nor the antiparallel state is favoured. */
export function junctionDimerModel(sp: JunctionDimerSpins): LlgModel<PairFields> {
  return {
    describe: ({ forward, reverse }) => ({
      temperature: sp.temperature,
      spins: [0, 1].map(i => ({ S: sp.S, alpha: sp.alpha, anisotropy: sp.anisotropy, easyAxis: sp.easyAxis, init: (i === 0 ? [0, 0, 1] : [1, 0, 0]) as Vec3 })),
      couplings: [{ i: 0, j: 1, tensor: forward, reverse }],
    }),
  };
}
