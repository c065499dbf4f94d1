// Green's functions of the dimer in site ⊗ spin space (4×4 as 2×2 blocks of 2×2 spin matrices),
// wide-band leads: Σʳ = −(i/2) diag(Γ^L, Γ^R) in site space, Γ^χ the 2×2 lead coupling matrices.
//   Gʳ(ε) = (ε − H_M − Σʳ)⁻¹ by the Schur complement of the site-2 block (only 2×2 inverses),
//   G^<_mn = i Σ_χ f_χ Gʳ_mχ Γ^χ (Gʳ_nχ)†,   G^>_mn = −i Σ_χ (1 − f_χ) Gʳ_mχ Γ^χ (Gʳ_nχ)†
// (the kinetic equation G^≶ = Gʳ Σ^≶ Gᵃ with Σ^< = i Σ_χ f_χ Γ^χ, Σ^> = −i Σ_χ (1−f_χ) Γ^χ).
// The WGSL twin is shaders/exchange/junction_greens.wgsl.
import { axpby2, c2, dagger2, inv2, mul2, type C2 } from '../../numerics/complex.ts';
import { fermi, leadCoupling, reservoirs, type JunctionParams, type Reservoir } from './params.ts';

/** Block index of (m, n), sites 0 (molecule 1) and 1 (molecule 2): 2m + n. */
export const B11 = 0, B12 = 1, B21 = 2, B22 = 3;

export interface DimerGreens {
  /** Gʳ blocks [11, 12, 21, 22], each 2×2 in spin space. */
  retarded: C2[];
  /** Spectral pieces A^χ_mn = Gʳ_mχ Γ^χ (Gʳ_nχ)† for χ = L (index 0) and R (1), blocks as above. */
  spectral: [C2[], C2[]];
}

export class JunctionGreens {
  readonly gammaL: C2;
  readonly gammaR: C2;
  readonly res: { L: Reservoir; R: Reservoir };
  constructor(readonly p: JunctionParams) {
    this.gammaL = leadCoupling(p.GammaL, p.pL, p.dirL);
    this.gammaR = leadCoupling(p.GammaR, p.pR, p.dirR);
    this.res = reservoirs(p);
  }

  /** Retarded Green's function blocks at real energy ε (meV⁻¹). */
  retarded(e: number): C2[] {
    const { eps, Tc } = this.p;
    // A = ε − ε₁ + (i/2)Γ^L,  D = ε − ε₂ + (i/2)Γ^R  (diagonal level energies in spin space)
    const A = axpby2(0, 0.5, this.gammaL, null, 0); A[0] += e - eps[0][0]; A[6] += e - eps[0][1];
    const D = axpby2(0, 0.5, this.gammaR, null, 0); D[0] += e - eps[1][0]; D[6] += e - eps[1][1];
    const Dinv = inv2(D);
    const S = axpby2(-Tc * Tc, 0, Dinv, A, 1); // A − T_c² D⁻¹
    const g11 = inv2(S);
    const g12 = axpby2(Tc, 0, mul2(g11, Dinv), null, 0);
    const g21 = axpby2(Tc, 0, mul2(Dinv, g11), null, 0);
    const g22 = axpby2(Tc * Tc, 0, mul2(mul2(Dinv, g11), Dinv), Dinv, 1);
    return [g11, g12, g21, g22];
  }

  /** Gʳ and the lead-resolved spectral pieces A^χ_mn. */
  at(e: number): DimerGreens {
    const r = this.retarded(e);
    const col = (chi: 0 | 1) => [r[chi], r[2 + chi]]; // Gʳ_{mχ} for m = 0, 1
    const spectral = ([0, 1] as const).map(chi => {
      const [g0, g1] = col(chi), gam = chi === 0 ? this.gammaL : this.gammaR;
      const left = [mul2(g0, gam), mul2(g1, gam)], right = [dagger2(g0), dagger2(g1)];
      return [mul2(left[0], right[0]), mul2(left[0], right[1]), mul2(left[1], right[0]), mul2(left[1], right[1])];
    }) as [C2[], C2[]];
    return { retarded: r, spectral };
  }

  /** Lesser and greater blocks at ε: G^< = i Σ f_χ A^χ, G^> = −i Σ (1 − f_χ) A^χ. */
  keldysh(e: number): { lesser: C2[]; greater: C2[]; retarded: C2[] } {
    const g = this.at(e), fL = fermi(e, this.res.L), fR = fermi(e, this.res.R);
    const lesser: C2[] = [], greater: C2[] = [];
    for (let b = 0; b < 4; b++) {
      lesser.push(axpby2(0, fL, g.spectral[0][b], axpby2(0, fR, g.spectral[1][b], null, 0), 1));
      greater.push(axpby2(0, -(1 - fL), g.spectral[0][b], axpby2(0, -(1 - fR), g.spectral[1][b], null, 0), 1));
    }
    return { lesser, greater, retarded: g.retarded };
  }
}

/** Exact resonances of the collinear dimer for spin σ (Eq. 6): E_σ± = (ε₁σ + ε₂σ ± Ω_σ − iΓ_σ/2)/2. */
export function resonances(p: JunctionParams, sigma: 0 | 1): { plus: [number, number]; minus: [number, number] } {
  const s = sigma === 0 ? 1 : -1;
  const gL = (p.GammaL * (1 + s * p.pL * p.dirL[2])) / 2, gR = (p.GammaR * (1 + s * p.pR * p.dirR[2])) / 2;
  const delta = p.eps[0][sigma] - p.eps[1][sigma], gamma = gL - gR, G = gL + gR;
  // Ω² = (Δ − iγ/2)² + 4T_c²  (principal square root)
  const re = delta * delta - (gamma * gamma) / 4 + 4 * p.Tc * p.Tc, im = -delta * gamma;
  const mod = Math.hypot(re, im);
  const or = Math.sqrt((mod + re) / 2), oi = Math.sign(im || 1) * Math.sqrt(Math.max(0, (mod - re) / 2));
  const sum = p.eps[0][sigma] + p.eps[1][sigma];
  return { plus: [(sum + or) / 2, (oi - G / 2) / 2], minus: [(sum - or) / 2, (-oi - G / 2) / 2] };
}

/**
 * Half-width of the narrowest resonance (meV), the smallest |Im E|. Leads polarized along one common
 * axis are the collinear problem in a rotated frame (Eq. 6). Otherwise the numerical range of
 * H − (i/2)Γ bounds it from below: |Im E| ≥ λ_min(Γ)/2 = min_χ Γ^χ (1 − |p_χ|)/4.
 */
export function narrowestWidth(p: JunctionParams): number {
  const c = p.dirL[0] * p.dirR[0] + p.dirL[1] * p.dirR[1] + p.dirL[2] * p.dirR[2];
  if (Math.abs(Math.abs(c) - 1) > 1e-12) {
    return Math.min(p.GammaL > 0 ? (p.GammaL * (1 - Math.abs(p.pL))) / 4 : Infinity, p.GammaR > 0 ? (p.GammaR * (1 - Math.abs(p.pR))) / 4 : Infinity);
  }
  const q: JunctionParams = { ...p, dirL: [0, 0, 1], dirR: [0, 0, Math.sign(c)] };
  let w = Infinity;
  for (const s of [0, 1] as const) {
    const r = resonances(q, s);
    w = Math.min(w, Math.abs(r.plus[1]), Math.abs(r.minus[1]));
  }
  return w;
}

export { c2 };
