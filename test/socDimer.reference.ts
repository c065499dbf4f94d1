// Independent float64 reference for the SOC-dimer couplings (tests only): the un-split formulas on the
// real axis over the whole occupied band, with the singlet/triplet functions of Eqs. A10–A17
// (src/models/socDimer/greens.ts), adaptive quadrature, and a finite-difference ∂Gʳ/∂ε.
import { energyIntegral } from '../src/numerics/quadrature.ts';
import { fermi } from '../src/numerics/fermi.ts';
import { cmul, cconj, type Cx } from '../src/numerics/complex.ts';
import { leadSelfEnergy } from '../src/models/socDimer/leads.ts';
import { keldyshSingletTriplet, singletTriplet } from '../src/models/socDimer/greens.ts';
import { leads, type SocDimerParams } from '../src/models/socDimer/params.ts';
import type { SocCouplings } from '../src/models/socDimer/couplings.ts';

type ST = { singlet: Cx[]; triplet: Cx[] };
const FERMI_CUT = 40;

/** Tr[τⁱ X τʲ Y] = iso δ + an t̂t̂ + dm ε t̂ for X = xˢ + xᵗ t̂·τ, Y = yˢ + yᵗ t̂·τ (A19's structure). */
function tr(xs: Cx, xt: Cx, ys: Cx, yt: Cx): [Cx, Cx, Cx] {
  const ss = cmul(xs, ys), tt = cmul(xt, yt), st = cmul(xs, yt), ts = cmul(xt, ys);
  return [[2 * (ss[0] - tt[0]), 2 * (ss[1] - tt[1])], [4 * tt[0], 4 * tt[1]], [-2 * (st[1] - ts[1]), 2 * (st[0] - ts[0])]];
}

export function referenceCouplings(p: SocDimerParams, opts = { absTol: 1e-11, relTol: 1e-9, maxIntervals: 20000 }): SocCouplings {
  const [L, R] = leads(p);
  const ret = (e: number): ST => {
    const sL = leadSelfEnergy(e, L.bandCentre, p.te, L.tc), sR = leadSelfEnergy(e, R.bandCentre, p.te, R.tc);
    return singletTriplet([e - p.eps0 - sL[0], -sL[1]], [e - p.eps0 - sR[0], -sR[1]], p.t0, p.t);
  };
  const gammas = (e: number): [number, number] => [-2 * leadSelfEnergy(e, L.bandCentre, p.te, L.tc)[1], -2 * leadSelfEnergy(e, R.bandCentre, p.te, R.tc)[1]];
  const at = (e: number) => {
    const r = ret(e), h = 1e-5;
    const rp = ret(e + h), rm = ret(e - h);
    const d = (k: 'singlet' | 'triplet', i: number): Cx => [(rp[k][i][0] - rm[k][i][0]) / (2 * h), (rp[k][i][1] - rm[k][i][1]) / (2 * h)];
    const dr: ST = { singlet: [0, 1, 2, 3].map(i => d('singlet', i)), triplet: [0, 1, 2, 3].map(i => d('triplet', i)) };
    const f: [number, number] = [fermi(e, L), fermi(e, R)];
    return { r, dr, less: keldyshSingletTriplet(r, gammas(e), f, true), great: keldyshSingletTriplet(r, gammas(e), f, false) };
  };
  const lo = Math.min(L.bandCentre, R.bandCentre) - 2 * p.te;
  const top = Math.max(L.mu + FERMI_CUT * L.kT, R.mu + FERMI_CUT * R.kT);
  const wlo = Math.min(L.mu - FERMI_CUT * L.kT, R.mu - FERMI_CUT * R.kT);
  const breaks = [L.mu, R.mu, L.bandCentre - 2 * p.te, R.bandCentre - 2 * p.te];
  for (const s of [-1, 1]) for (const h of [p.t0 + p.t, p.t0 - p.t]) breaks.push(p.eps0 + s * h);
  for (const r of [L, R]) for (const c of [-14, -6, -2, 2, 6, 14]) breaks.push(r.mu + c * r.kT);
  const I = (g: (e: number) => number, a = lo, b = top) => energyIntegral(g, a, b, breaks, p.te, opts).value / (2 * Math.PI);
  const ex: SocCouplings['exchange'] = [[], []], da: SocCouplings['damping'] = [[], []], no: SocCouplings['noise'] = [[], []];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    const ab = 2 * a + b, ba = 2 * b + a;
    const part = (q: number, kind: 'static' | 'damp' | 'noise') => (e: number) => {
      const s = at(e);
      if (kind === 'static') {
        // (i/4)[T(R_ab, G<_ba) + T(G<_ab, R̄_ab)] → real part
        const t1 = tr(s.r.singlet[ab], s.r.triplet[ab], s.less.singlet[ba], s.less.triplet[ba])[q];
        const t2 = tr(s.less.singlet[ab], s.less.triplet[ab], cconj(s.r.singlet[ba]), cconj(s.r.triplet[ba]))[q];
        return -0.25 * (t1[1] + t2[1]);
      }
      if (kind === 'damp') {
        const t1 = tr(s.dr.singlet[ab], s.dr.triplet[ab], s.less.singlet[ba], s.less.triplet[ba])[q];
        const t2 = tr(s.less.singlet[ab], s.less.triplet[ab], cconj(s.dr.singlet[ba]), cconj(s.dr.triplet[ba]))[q];
        return 0.25 * (t1[0] - t2[0]); // Im[(i/4)(t1 − t2)]
      }
      const t1 = tr(s.great.singlet[ab], s.great.triplet[ab], s.less.singlet[ba], s.less.triplet[ba])[q];
      const t2 = tr(s.less.singlet[ab], s.less.triplet[ab], s.great.singlet[ba], s.great.triplet[ba])[q];
      return 0.125 * (t1[0] + t2[0]);
    };
    ex[a][b] = { iso: I(part(0, 'static')), an: I(part(1, 'static')), dm: I(part(2, 'static')) };
    da[a][b] = { iso: I(part(0, 'damp')), an: I(part(1, 'damp')) };
    no[a][b] = { iso: I(part(0, 'noise'), wlo, top), an: I(part(1, 'noise'), wlo, top) };
  }
  const spin = [0, 1].map(a => I(e => at(e).less.triplet[3 * a][1])) as [number, number];
  return { exchange: ex, damping: da, noise: no, spin };
}
