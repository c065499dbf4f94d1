// Host ↔ shader layouts of the dot-valve kernels (one source for both sides): the Model uniform, the output
// row per (point, angle), and the shader constants (digamma tables from src/numerics/digamma.ts, the scalar
// slots from src/models/dotValve/transport.ts).
import { defineRow, defineStruct } from '../../backends/layout.ts';
import type { ShaderConstant } from '../../backends/shaders.ts';
import {
  ASYMPTOTIC_COEFFS, ASYMPTOTIC_RADIUS, BERNOULLI_2K, DIGAMMA_ROOT_HI, DIGAMMA_ROOT_LO, MAX_POLYGAMMA_ORDER, ROOT_WINDOW, rootTaylorAbout,
} from '../../numerics/digamma.ts';
import { EQUAL_MU_WINDOW, SCALARS } from '../../models/dotValve/transport.ts';

/** Uniform of shaders/dotValve/torque_table.wgsl. order: 0 sequential, 1 cotunnelling. */
export const MODEL = defineStruct('Model', {
  u: 'f32', t: 'f32', gamma_s: 'f32', gamma_d: 'f32', p_s: 'f32', p_d: 'f32',
  /** |sin θ| below which the kernel uses the exact θ → 0, π limits of I_FL, I_DL. */
  limit_sin: 'f32',
  order: 'u32', n_points: 'u32', n_angles: 'u32',
});

/** Uniform of shaders/dotValve/special_eval.wgsl. */
export const EVAL = defineStruct('Eval', { mode: 'u32', count: 'u32' });

/** One output row per (point, angle): Eq. 2 amplitudes, drain particle current, ⟨n⟩, P0..P2, dot spin S (frame n_S = e_z). */
export const ROW = defineRow({ tauFL: 1, tauDL: 1, current: 1, occupation: 1, p0: 1, p1: 1, p2: 1, spin: 3 });

/** Digamma tables and constants for shaders/common/digamma.wgsl. */
export function digammaConstants(): Record<string, ShaderConstant> {
  // Taylor form about the float32 number next to the zero x₀ of ψ (src/numerics/digamma.ts rootTaylorAbout)
  const h = Math.fround(DIGAMMA_ROOT_HI + DIGAMMA_ROOT_LO), taylor = rootTaylorAbout(h);
  const K = BERNOULLI_2K.length;
  if (ASYMPTOTIC_COEFFS.length !== K * (MAX_POLYGAMMA_ORDER + 1)) throw new Error('digamma tables: unexpected asymptotic table size');
  return {
    DG_ASYM: { f32array: ASYMPTOTIC_COEFFS },
    DG_ASYM_TERMS: K,
    DG_ROOT_TAYLOR: { f32array: taylor },
    DG_ROOT_TERMS: taylor.length,
    DG_ROOT: { f32: h },
    DG_ROOT_WINDOW: { f32: ROOT_WINDOW },
    DG_RADIUS: { f32: ASYMPTOTIC_RADIUS },
    DG_MAX_ORDER: MAX_POLYGAMMA_ORDER,
  };
}

/** Every constant shaders/dotValve/torque_table.wgsl needs. */
export function torqueTableConstants(): Record<string, ShaderConstant> {
  return {
    ...digammaConstants(),
    ...SCALARS.constants('SC'),
    ...ROW.constants('ROW'),
    EQUAL_MU_WINDOW: { f32: EQUAL_MU_WINDOW },
  };
}
