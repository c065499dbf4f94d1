// Retarded Green's function of the seed-001 dimer with SOC hopping T = t0·1 + t (t̂·τ) between its
// two sites (H_e = −Σ_σσ' (c†_1σ T_σσ' c_2σ' + h.c.) + ε0 Σ n), each site coupled to a semi-infinite lead.
// With g_i = ε − ε0 − Σ_i, (ε − H − Σ) = [[g_1, T], [T, g_2]] in site space, and T is diagonal in the
// eigenbasis of t̂·τ (eigenvalues t0 ± t). That gives the singlet/triplet split of Eqs. A9–A15:
//   Gʳ_ab = G^(s)_ab 1 + G^(t)_ab (t̂·τ).
import { inv2, mul2, axpby2, c2, cmul, cinv, type C2, type Cx } from '../../numerics/complex.ts';
import type { Vec3 } from '../../numerics/vec3.ts';

/** Singlet and triplet parts [G11, G12, G21, G22] (complex) of Eqs. A10–A15, given g_1, g_2. */
export function singletTriplet(g1: Cx, g2: Cx, t0: number, t: number): { singlet: Cx[]; triplet: Cx[] } {
  const p = cmul(g1, g2);
  const dp = cinv([p[0] - (t0 + t) ** 2, p[1]]), dm = cinv([p[0] - (t0 - t) ** 2, p[1]]);
  const sum: Cx = [(dp[0] + dm[0]) / 2, (dp[1] + dm[1]) / 2], dif: Cx = [(dp[0] - dm[0]) / 2, (dp[1] - dm[1]) / 2];
  const off = (sgn: number): Cx => [-((t0 + t) * dp[0] + sgn * (t0 - t) * dm[0]) / 2, -((t0 + t) * dp[1] + sgn * (t0 - t) * dm[1]) / 2];
  const s12 = off(1), t12 = off(-1);
  return {
    singlet: [cmul(g2, sum), s12, s12, cmul(g1, sum)],
    triplet: [cmul(g2, dif), t12, t12, cmul(g1, dif)],
  };
}

/** t̂·τ as a 2×2 complex matrix. */
export function socMatrix(dir: Vec3): C2 {
  const [x, y, z] = dir;
  return Float64Array.of(z, 0, x, -y, x, y, -z, 0);
}

/** Direct inversion of [[g_1, T], [T, g_2]] (2×2 spin blocks, Schur complement): blocks [11, 12, 21, 22]. */
export function dimerRetardedDirect(g1: Cx, g2: Cx, t0: number, t: number, dir: Vec3): C2[] {
  const T = axpby2(t, 0, socMatrix(dir), null, 0); T[0] += t0; T[6] += t0;
  const D = c2(); D[0] = D[6] = g2[0]; D[1] = D[7] = g2[1];
  const A = c2(); A[0] = A[6] = g1[0]; A[1] = A[7] = g1[1];
  const Dinv = inv2(D);
  const g11 = inv2(axpby2(-1, 0, mul2(mul2(T, Dinv), T), A, 1));
  const g12 = axpby2(-1, 0, mul2(mul2(g11, T), Dinv), null, 0);
  const g21 = axpby2(-1, 0, mul2(mul2(Dinv, T), g11), null, 0);
  const g22 = axpby2(1, 0, mul2(mul2(mul2(Dinv, T), g11), mul2(T, Dinv)), Dinv, 1);
  return [g11, g12, g21, g22];
}

export type { Cx };

/**
 * Lesser and greater singlet/triplet functions by the kinetic equation (Eqs. A16–A17):
 * G^≶ = Gʳ Σ^≶ Gᵃ with Σ^<_c = i f_c Γ_c, Σ^>_c = −i (1 − f_c) Γ_c on site c (its lead's broadening
 * Γ_c = −2 Im Σʳ_c), and Gᵃ_cb = conj(Gʳ_bc) for both parts (t̂·τ is Hermitian).
 */
export function keldyshSingletTriplet(ret: { singlet: Cx[]; triplet: Cx[] }, gamma: [number, number], f: [number, number], lesser: boolean):
  { singlet: Cx[]; triplet: Cx[] } {
  const idx = (a: number, b: number) => 2 * a + b;
  const conj = (z: Cx): Cx => [z[0], -z[1]];
  const singlet: Cx[] = [], triplet: Cx[] = [];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    let s: Cx = [0, 0], t: Cx = [0, 0];
    for (let c = 0; c < 2; c++) {
      // i f Γ (lesser) or −i (1 − f) Γ (greater), a purely imaginary scalar on site c
      const w = lesser ? f[c] * gamma[c] : -(1 - f[c]) * gamma[c];
      const rs = ret.singlet[idx(a, c)], rt = ret.triplet[idx(a, c)];
      const as = conj(ret.singlet[idx(b, c)]), at = conj(ret.triplet[idx(b, c)]);
      const ss = cmul(rs, as), tt = cmul(rt, at), st = cmul(rs, at), ts = cmul(rt, as);
      s = [s[0] - w * (ss[1] + tt[1]), s[1] + w * (ss[0] + tt[0])];
      t = [t[0] - w * (st[1] + ts[1]), t[1] + w * (st[0] + ts[0])];
    }
    singlet.push(s); triplet.push(t);
  }
  return { singlet, triplet };
}
