// The generalized stochastic LLG of seed 001 (Eqs. 3–6, and Eqs. 7–8 with spin 1 pinned) as an LLG
// model (src/llg/model.ts): a point is the couplings of one (μ_F, V); the LLG core already integrates dm_a/dt = −(1/ħS) m_a × B_a + m_a × Σ_b α_ab dm_b/dt
// with a 6×6 damping tensor solved exactly per Heun stage and a 6×6 noise covariance (Cholesky
// factor), so the SOC dimer only has to fill those in:
//   B_a   = −∂E0/∂m_a + F⟨s_a⟩ t̂ + X Σ_{b≠a} (χ^(i)_ab 1 + χ^(an)_ab t̂t̂ + χ^(dm)_ab [·×t̂]) m_b + X χ^(an)_aa (m_a·t̂) t̂
//   α_ab  = G (α^(i)_ab 1 + α^(an)_ab t̂t̂)            (Eq. 5; the antisymmetric damping is dropped, as in the paper)
//   C_ab  = ħN (j^(i)_ab 1 + j^(an)_ab t̂t̂)            (Eq. 6; j_ab = j_ba, symmetric and PSD)
// plus the core's noise-induced drift correction at k_BT_eff (see dimerModel).
// with F, X, G, N from spinModel.ts `scales` (reading 'physical' or 'literal'). The pair fields are
// non-reciprocal out of equilibrium (χ_12 ≠ χ_21ᵀ): stored as forward and reverse tensors.
import { HBAR } from '../../numerics/units.ts';
import type { Vec3 } from '../../numerics/vec3.ts';
import { uniaxialTensor, type LlgModel, type LlgPoint, type SpinSpec } from '../../llg/model.ts';
import type { SocCouplings, TensorParts } from './couplings.ts';
import { scales, zeemanField, type SpinModel } from './spinModel.ts';

export interface DimerSetup {
  spins: SpinModel;
  /** SOC direction t̂ (unit). */
  tHat: Vec3;
  /** Spin 1 pinned along m1 (Sec. IV) or free. */
  pinned: boolean;
  m1: Vec3;
  /** Initial orientation of spin 2. */
  init2: Vec3;
}

/** X (χ^(i) 1 + χ^(an) t̂t̂ + χ^(dm) [·×t̂]) as a row-major 3×3: field = tensor · m_b. */
function pairTensor(x: TensorParts, X: number, t: Vec3): Float64Array {
  const m = new Float64Array(9);
  // (m × t̂)_i = ε_ijk m_j t̂_k  ⇒  matrix E_ij = ε_ijk t̂_k
  const E = [0, t[2], -t[1], -t[2], 0, t[0], t[1], -t[0], 0];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    m[3 * i + j] = X * ((i === j ? x.iso : 0) + x.an * t[i] * t[j] + x.dm * E[3 * i + j]);
  }
  return m;
}

/** Isotropic + t̂t̂ block s_iso 1 + s_an t̂t̂ written into the 6×6 row-major matrix at block (a, b). */
function putBlock(M: Float64Array, a: number, b: number, iso: number, an: number, t: Vec3): void {
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) M[(3 * a + i) * 6 + 3 * b + j] = (i === j ? iso : 0) + an * t[i] * t[j];
}

/** The dimer at the couplings of one (μ_F, V) point: spins, non-reciprocal pair fields, 6×6 damping and noise. */
export function dimerModel(d: DimerSetup): LlgModel<SocCouplings> {
  return { describe: c => dimerPoint(c, d) };
}

export function dimerPoint(c: SocCouplings, d: DimerSetup): LlgPoint {
  const sm = d.spins, sc = scales(sm), t = d.tHat, S2 = sm.S * sm.S, zee = zeemanField(sm);
  const spins: SpinSpec[] = [0, 1].map(a => {
    const q = uniaxialTensor(sm.Keasy * S2, sm.easyAxis);
    const h = uniaxialTensor(-sm.Khard * S2, sm.hardAxis);
    const k = uniaxialTensor(0.5 * sc.exchange * c.exchange[a][a].an, t);
    const s = sc.field * c.spin[a];
    return {
      S: sm.S, field: [zee[0] + s * t[0], zee[1] + s * t[1], zee[2] + s * t[2]],
      anisotropyTensor: q.map((v, i) => v + h[i] + k[i]), easyAxis: sm.easyAxis,
      pinned: a === 0 && d.pinned, init: a === 0 ? d.m1 : d.init2,
      // the local χ^(dm)_aa field X χ (m_a × t̂) is a damping-like torque −(Xχ/ħS) m×(m×t̂) along t̂
      torqueAxis: t, dampingLikeTorque: sm.selfTorque ? sc.exchange * c.exchange[a][a].dm : 0,
    };
  });
  const alpha = new Float64Array(36), cov = new Float64Array(36);
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    putBlock(alpha, a, b, sc.gilbert * c.damping[a][b].iso, sc.gilbert * c.damping[a][b].an, t);
    // symmetrised (j_ab = j_ba up to rounding) so the 6×6 covariance is exactly symmetric
    const jIso = 0.5 * (c.noise[a][b].iso + c.noise[b][a].iso), jAn = 0.5 * (c.noise[a][b].an + c.noise[b][a].an);
    const free = !(d.pinned && (a === 0 || b === 0));
    putBlock(cov, a, b, free ? HBAR * sc.noise * jIso : 0, free ? HBAR * sc.noise * jAn : 0, t);
  }
  // The noise-induced drift that makes the Heun (Stratonovich) scheme Boltzmann-exact for a tensor damping
  // (LLG core) needs a temperature; the bath's is k_BT_eff = j^(i)/2α^(i) (mean over the free spins): exact
  // at V = 0 (j = 2k_BT α), the Fokker–Planck approximation's own assumption out of equilibrium.
  const free = d.pinned ? [1] : [0, 1];
  const kT = free.reduce((s, a) => s + (sc.kTeffPerJoverAlpha * c.noise[a][a].iso) / c.damping[a][a].iso, 0) / free.length;
  return {
    temperature: 0, spins,
    couplings: [{ i: 0, j: 1, tensor: pairTensor(c.exchange[0][1], sc.exchange, t), reverse: pairTensor(c.exchange[1][0], sc.exchange, t) }],
    damping: alpha, noiseCovariance: cov, driftTemperature: Number.isFinite(kT) ? kT : undefined,
  };
}

/**
 * Smallest eigenvalue of the symmetric part of the free spins' Gilbert tensor (dimensionless). Negative:
 * the electrons inject energy into the spins along that direction (Fig. 2c of the paper).
 */
export function minDampingEigenvalue(c: SocCouplings, d: DimerSetup): number {
  const G = scales(d.spins).gilbert, da = c.damping;
  if (d.pinned) return G * Math.min(da[1][1].iso, da[1][1].iso + da[1][1].an);
  // along t̂ the blocks are α^(i) + α^(an), perpendicular α^(i): 2×2 symmetric parts, smallest eigenvalue
  const eig = (p: number, q: number, r: number) => 0.5 * (p + r) - Math.sqrt(0.25 * (p - r) ** 2 + q * q);
  const perp = eig(da[0][0].iso, 0.5 * (da[0][1].iso + da[1][0].iso), da[1][1].iso);
  const par = eig(da[0][0].iso + da[0][0].an, 0.5 * (da[0][1].iso + da[0][1].an + da[1][0].iso + da[1][0].an), da[1][1].iso + da[1][1].an);
  return G * Math.min(perp, par);
}
