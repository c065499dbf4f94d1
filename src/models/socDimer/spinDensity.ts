// The O(Δ) field of Eq. 4: the local electron spin ⟨s_a⟩ = ½ Tr_σ[τ ρ_aa], ρ_aa = ∫ (−i) G^<_aa dε/2π,
// of the biased SOC dimer without the localized moments. With G^<_aa = G^(s)< 1 + G^(t)< (t̂·τ) and
// Tr[τ_i (t̂·τ)] = 2 t̂_i, it points along t̂: ⟨s_a⟩ = t̂ ∫ (−i G^(t)<_aa) dε/2π.
// G^< ∝ Γ_c vanishes outside the lead bands, so the integral runs over the occupied part of them.
import { energyIntegral, type QuadValue } from '../../numerics/quadrature.ts';
import { fermi } from '../../numerics/fermi.ts';
import { leadSelfEnergy } from './leads.ts';
import { keldyshSingletTriplet, singletTriplet } from './greens.ts';
import { leads, type SocDimerParams } from './params.ts';

const FERMI_CUT = 40;


/** ⟨s_a⟩ along t̂ for sites a = 1, 2 (dimensionless, ħ = 1 units of spin), with quadrature errors. */
export function localSpinDensity(p: SocDimerParams): { s1: QuadValue; s2: QuadValue; direction: [number, number, number] } {
  const [L, R] = leads(p);
  const integrand = (site: 0 | 1) => (e: number) => {
    const sL = leadSelfEnergy(e, L.bandCentre, p.te, L.tc), sR = leadSelfEnergy(e, R.bandCentre, p.te, R.tc);
    const g1: [number, number] = [e - p.eps0 - sL[0], -sL[1]], g2: [number, number] = [e - p.eps0 - sR[0], -sR[1]];
    const less = keldyshSingletTriplet(singletTriplet(g1, g2, p.t0, p.t), [-2 * sL[1], -2 * sR[1]], [fermi(e, L), fermi(e, R)], true);
    // −i·G^(t)<_aa is real: its imaginary part divided by 2π
    return less.triplet[3 * site][1] / (2 * Math.PI);
  };
  // occupied part of the bands, split at the band edges, the Fermi windows and the dimer resonances
  const lo = Math.min(L.bandCentre, R.bandCentre) - 2 * p.te;
  const top = (x: { mu: number; kT: number; bandCentre: number }) => Math.min(x.bandCentre + 2 * p.te, x.mu + FERMI_CUT * x.kT);
  const hi = Math.max(top(L), top(R));
  const breaks = [L.mu, R.mu, L.bandCentre - 2 * p.te, R.bandCentre - 2 * p.te, L.bandCentre + 2 * p.te, R.bandCentre + 2 * p.te];
  for (const s of [-1, 1]) for (const h of [p.t0 + p.t, p.t0 - p.t]) breaks.push(p.eps0 + s * h);
  const opts = { absTol: 1e-14, relTol: 1e-10, maxIntervals: 4000 };
  return { s1: energyIntegral(integrand(0), lo, hi, breaks, p.te, opts), s2: energyIntegral(integrand(1), lo, hi, breaks, p.te, opts), direction: p.tHat };
}
