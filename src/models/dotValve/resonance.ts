// Exchange fields, the spin resonance of Eq. 4 and the zero lines of the field-like torque (seed 004).
//
// B = b_S n_S + b_D n_D, so B·(n_D − n_S) = (1 − cos θ)(b_D − b_S): Eq. 4 ⟺ b_S = b_D, independent of θ for θ ≠ 0
// (as the paper says). The partner resonance of Fig. 4 (θ ≈ 0): B·(n_D + n_S) = (1 + cos θ)(b_S + b_D) = 0 ⟺ b_S = −b_D.
// b_r = 0 on ε̃ = μ_r (h is even and increasing in |y|), i.e. on ε̃ = ±V/2; with the sign rule of note §3.7 these
// and V = 0 are the zero lines of I_FL inside the Coulomb diamond.
import { hFamily, pointScalars, PAIRS, SCALARS } from './transport.ts';
import type { DotValveParams } from './params.ts';

/** b_S, b_D (Γ): B_r = b_r n_r, b_r = (p_r Γ_r/π)[h(E2 − μ_r) − h(E1 − μ_r)]. */
export function exchangeFields(p: DotValveParams): { bS: number; bD: number } {
  const E1 = p.eps - p.U / 2, E2 = p.eps + p.U / 2;
  const b = (mu: number, g: number, pol: number) => (pol * g / Math.PI) * (hFamily(E2 - mu, p.T, 0)[0] - hFamily(E1 - mu, p.T, 0)[0]);
  return { bS: b(p.V / 2, p.gammaS, p.pS), bD: b(-p.V / 2, p.gammaD, p.pD) };
}

export type ResonanceKind = 'eq4' | 'partner';

/** b_S − b_D (Eq. 4) or b_S + b_D (partner) at (ε̃, V). */
export function resonanceFunction(p: DotValveParams, kind: ResonanceKind): number {
  const { bS, bD } = exchangeFields(p);
  return kind === 'eq4' ? bS - bD : bS + bD;
}

/**
 * The V where the resonance condition holds at fixed ε̃, inside [vMin, vMax]: sign changes on a uniform scan
 * of `scan` intervals, refined by bisection to |ΔV| ≤ 1e-12·max(1, |V|). Roots that touch without a sign change
 * are not found (none occur for b_S ∓ b_D at T > 0 in the scans of docs/models/dotValve.md).
 */
export function resonanceVoltages(p: DotValveParams, kind: ResonanceKind, vMin: number, vMax: number, scan = 400): number[] {
  if (!(vMax > vMin)) throw new RangeError(`resonance scan: needs vMax > vMin, got [${vMin}, ${vMax}]`);
  const f = (V: number) => resonanceFunction({ ...p, V }, kind);
  const roots: number[] = [];
  let a = vMin, fa = f(a);
  if (fa === 0) roots.push(a);
  for (let k = 1; k <= scan; k++) {
    const b = vMin + ((vMax - vMin) * k) / scan, fb = f(b);
    if (fb === 0) roots.push(b);
    else if (fa !== 0 && Math.sign(fa) !== Math.sign(fb)) {
      let lo = a, hi = b, flo = fa;
      for (let it = 0; it < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); it++) {
        const mid = 0.5 * (lo + hi), fm = f(mid);
        if (fm === 0) { lo = hi = mid; break; }
        if (Math.sign(fm) === Math.sign(flo)) { lo = mid; flo = fm; } else hi = mid;
      }
      roots.push(0.5 * (lo + hi));
    }
    a = b; fa = fb;
  }
  return roots;
}

export interface ResonancePoint { eps: number; V: number }

/** Resonance line(s) over an ε̃ axis, within the V range (all roots per ε̃). */
export function resonanceLine(p: DotValveParams, kind: ResonanceKind, eps: ArrayLike<number>, vMin: number, vMax: number, scan = 400): ResonancePoint[] {
  const out: ResonancePoint[] = [];
  for (let i = 0; i < eps.length; i++) for (const V of resonanceVoltages({ ...p, eps: eps[i] }, kind, vMin, vMax, scan)) out.push({ eps: eps[i], V });
  return out;
}

/**
 * The θ-independent sign rule of the Coulomb-blockade field-like torque (note §3.7, re-derived in
 * docs/models/dotValve.md): sign I_FL = sign(V)·sign(b_S − b_D)·sign(ε̃ − V/2)·sign(ε̃ + V/2).
 */
export function blockadeTorqueSign(p: DotValveParams): number {
  const { bS, bD } = exchangeFields(p);
  return Math.sign(p.V) * Math.sign(bS - bD) * Math.sign(p.eps - p.V / 2) * Math.sign(p.eps + p.V / 2);
}

/** Distance of (ε̃, V) from the edge of the Coulomb diamond |ε̃| + |V|/2 < U/2 (positive inside). */
export function blockadeMargin(p: DotValveParams): number {
  return p.U / 2 - Math.abs(p.eps) - Math.abs(p.V) / 2;
}

/**
 * Leading-order Coulomb-blockade solution (note §3.7, re-derived): P1 = 1 and |B| ≫ cotunnelling rates, so the dot spin
 * is S ≈ s B̂ with s fixed by the cotunnelling balance along B̂,
 *   s = Σ_rq wJ_rq (p_q B̂·n_q − p_r B̂·n_r) / [2 Σ_rq wJ_rq (1 − p_r p_q (B̂·n_r)(B̂·n_q))],
 * and the drain torque is the precession reaction τ_D ≈ −S × B_D, i.e. I_FL ≈ s b_S b_D/|B| (I_DL is O(Γ²)).
 * An independent test oracle for the full solve deep in the blockade.
 */
export function blockadeOracle(p: DotValveParams, theta: number): { s: number; tauFL: number } {
  const sc = pointScalars(p), o = SCALARS.offsets;
  const bS = sc[o.exch], bD = sc[o.exch + 1];
  const n = [[0, 0, 1], [Math.sin(theta), 0, Math.cos(theta)]], pol = [p.pS, p.pD];
  const B = [bD * n[1][0], 0, bS + bD * n[1][2]], Bn = Math.hypot(B[0], B[1], B[2]);
  const u = B.map(x => x / Bn);
  const proj = (v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  let num = 0, den = 0;
  PAIRS.forEach(([r, q], k) => {
    const wJ = sc[o.cot + 3 * k];
    num += wJ * (pol[q] * proj(n[q]) - pol[r] * proj(n[r]));
    den += 2 * wJ * (1 - pol[r] * pol[q] * proj(n[r]) * proj(n[q]));
  });
  const s = num / den;
  return { s, tauFL: (s * bS * bD) / Bn };
}
