// Eq. A24 as printed — the double energy integrals with 1/(ε'' − ε' + iδ), their principal value by
// nanospin's one Hilbert-transform implementation (src/kernels/hilbert/cpu.ts) — against the single
// integrals the couplings are evaluated with (src/models/socDimer/couplings.ts). This checks the
// Kramers–Kronig reduction and the paper-normalisation claims of the README: J_2 = ħJ_21, D_2 = iħD_21,
// A_2 = 2ħΓ_21 equal the static spin response; α^(i) = ħα_22; j^(i) = i·ħj_22 (A24's j carries −i).
import { describe, expect, it } from 'vitest';
import { principalValueCpu } from '../src/kernels/hilbert/cpu.ts';
import { cmul, type Cx } from '../src/numerics/complex.ts';
import { fermi } from '../src/numerics/fermi.ts';
import { leadSelfEnergy } from '../src/models/socDimer/leads.ts';
import { keldyshSingletTriplet, singletTriplet } from '../src/models/socDimer/greens.ts';
import { leads, socDimer } from '../src/models/socDimer/params.ts';
import { paperCouplings, socCouplings } from '../src/models/socDimer/couplings.ts';

describe('Eq. A24 literally (double integrals, principal value by FFT) = the single-integral couplings', () => {
  it('J_2, D_2, A_2 (pair 21), α^(i)_22 and j^(i)_22 at finite T and bias, strong SOC', () => {
    const p = socDimer({ t: 1, muF: 0.5, V: 3, TL: 20 });
    const [L, R] = leads(p);
    const N = 2 ** 15, lo = -205, h = 410 / N;
    // per energy: singlet/triplet lesser and greater of blocks ab = 21 (index 2), ba = 12 (index 1), 22 (index 3)
    const tabs: Record<string, Cx[]> = {};
    for (const kind of ['less', 'great']) for (const part of ['singlet', 'triplet']) for (const blk of [1, 2, 3]) tabs[`${kind}${part}${blk}`] = new Array<Cx>(N);
    for (let k = 0; k < N; k++) {
      const e = lo + k * h;
      const sL = leadSelfEnergy(e, L.bandCentre, p.te, L.tc), sR = leadSelfEnergy(e, R.bandCentre, p.te, R.tc);
      const ret = singletTriplet([e - p.eps0 - sL[0], -sL[1]], [e - p.eps0 - sR[0], -sR[1]], p.t0, p.t);
      const gam: [number, number] = [-2 * sL[1], -2 * sR[1]], f: [number, number] = [fermi(e, L), fermi(e, R)];
      const less = keldyshSingletTriplet(ret, gam, f, true), great = keldyshSingletTriplet(ret, gam, f, false);
      for (const part of ['singlet', 'triplet'] as const) for (const blk of [1, 2, 3]) {
        tabs[`less${part}${blk}`][k] = less[part][blk]; tabs[`great${part}${blk}`][k] = great[part][blk];
      }
    }
    // ∫dε' F(ε')/(ε'' − ε' + iδ) = −P∫F(ε')/(ε' − ε'') dε' − iπ F(ε''), for the four ε' functions of block 21
    const rows = ['greatsinglet2', 'greattriplet2', 'lesssinglet2', 'lesstriplet2'];
    const re = new Float64Array(4 * N), im = new Float64Array(4 * N);
    rows.forEach((r, i) => tabs[r].forEach((z, k) => { re[i * N + k] = z[0]; im[i * N + k] = z[1]; }));
    const pv = principalValueCpu(re, im, 4, N);
    const K = (i: number, k: number): Cx => [-pv.re[i * N + k] + Math.PI * tabs[rows[i]][k][1], -pv.im[i * N + k] - Math.PI * tabs[rows[i]][k][0]];
    // I[𝔾^{pq}_21] = ∫∫ dε'dε''/(2π)² [G^{p>}_21(ε') G^{q<}_12(ε'') − G^{p<}_21(ε') G^{q>}_12(ε'')]/(ε'' − ε' + iδ)
    const I = (pIdx: 0 | 1, q: 'singlet' | 'triplet'): Cx => {
      let sr = 0, si = 0;
      for (let k = 0; k < N; k++) {
        const a = cmul(K(pIdx, k), tabs[`less${q}1`][k]), b = cmul(K(2 + pIdx, k), tabs[`great${q}1`][k]);
        sr += a[0] - b[0]; si += a[1] - b[1];
      }
      const s = h / (4 * Math.PI * Math.PI);
      return [sr * s, si * s];
    };
    const Iss = I(0, 'singlet'), Itt = I(1, 'triplet'), Ist = I(0, 'triplet'), Its = I(1, 'singlet');
    const J2 = -0.5 * (Iss[0] - Itt[0]);                 // J_21 = −½ I[𝒥_21]
    const D2 = 0.5 * (Ist[1] - Its[1]);                  // D_2 = iħD_21, D_21 = −½ I[𝒟_21]  ⇒  Re D_2 = ½ Im I[𝒟]
    const A2 = -Itt[0];                                  // A_2 = 2ħΓ_21, Γ_21 = −½ I[Γ̄_21]
    // α_22 = −¼ ∫dε'/2π ∂_ε 𝒥_22(ε', ε' + ε)|₀ (the ε'' derivative by central differences on the grid), and
    // j_22 = −(i/4) ∫dε'/2π j̄_22(ε', ε') with 𝔾₊(ε, ε) = 2 G^> G^<: A24's j is −i times a real number; ours is i·ħj_22
    let alpha = 0, j = 0;
    for (let k = 1; k + 1 < N; k++) {
      for (const [x, sign] of [['singlet', 1], ['triplet', -1]] as const) {
        const g = tabs[`great${x}3`], l = tabs[`less${x}3`];
        const dl: Cx = [(l[k + 1][0] - l[k - 1][0]) / (2 * h), (l[k + 1][1] - l[k - 1][1]) / (2 * h)];
        const dg: Cx = [(g[k + 1][0] - g[k - 1][0]) / (2 * h), (g[k + 1][1] - g[k - 1][1]) / (2 * h)];
        const a = cmul(g[k], dl), b = cmul(l[k], dg), gl = cmul(g[k], l[k]);
        alpha += sign * -0.25 * (a[0] - b[0]) * h / (2 * Math.PI);
        j += sign * 0.25 * 2 * gl[0] * h / (2 * Math.PI);
      }
    }
    const ours = paperCouplings(socCouplings(p));
    const close = (a: number, b: number, rel: number, what: string) => expect(Math.abs(a - b), `${what}: A24 ${a} vs ours ${b}`).toBeLessThan(rel * Math.abs(b));
    close(J2, ours.J2, 1e-4, 'J_2'); close(D2, ours.D2, 1e-4, 'D_2'); close(A2, ours.A2, 1e-3, 'A_2');
    close(alpha, ours.alphaI, 1e-4, 'α^(i)_22'); close(j, ours.jI, 1e-4, 'j^(i)_22');
    // and the imaginary parts A24 leaves out vanish: the static couplings are real
    expect(Math.abs(Iss[1] - Itt[1])).toBeLessThan(1e-4 * Math.abs(ours.J2));
  }, 60_000);
});
