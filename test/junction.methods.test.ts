// Seed 000 (Fransson, Ren, Zhu): the closed forms (Eqs. 7–9), the equilibrium Kramers–Kronig form and the
// exact grand potential (Lloyd formula, non-perturbative in J_n) against each other and against exact
// answers. Pair convention: E_pair = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz(S1×S2)_z, counted once.
import { energyIntegral } from '../src/numerics/quadrature.ts';
import { describe, it, expect } from 'vitest';
import { junction, reservoirs, type JunctionParams } from '../src/models/junction/params.ts';
import { JunctionGreens } from '../src/models/junction/greens.ts';
import {
  dmClosed, dmFieldClosed, fermiWindow, heisenbergClosed, isingClosed, pairCouplingClosed,
} from '../src/models/junction/closedForms.ts';
import { equilibriumExchange } from '../src/models/junction/equilibrium.ts';
import { energyPairCoupling, grandPotentialShift, spinGrandPotential } from '../src/models/junction/grandPotential.ts';
import { axpby2, PAULI, traceMul2 } from '../src/numerics/complex.ts';
import type { Vec3 } from '../src/numerics/vec3.ts';

const eq7 = (p: JunctionParams) => heisenbergClosed(p).value;
const eq8 = (p: JunctionParams) => isingClosed(p).value;
const eq9 = (p: JunctionParams) => dmClosed(p).value;
/** Fig. 2 parameters with the total coupling Γ = Γ^L + Γ^R scaled by k. */
const scaledGamma = (k: number, over: Partial<JunctionParams>) => junction({ ...over, GammaL: k / 6, GammaR: k / 6 });
/** Local power-law exponent d ln|y| / d ln Γ between Γ and Γ/10. */
const exponent = (y: (k: number) => number, k: number) => Math.log(Math.abs(y(k) / y(k / 10))) / Math.log(10);

describe('Eq. 6: the dimer Green function', () => {
  // Paper's Eq. 6 in site space (σ⁰, σˣ, σᶻ of the site index), E_σ± = (ε1σ + ε2σ ± Ω_σ − iΓ_σ/2)/2,
  // Ω_σ² = (Δ_σ − iγ_σ/2)² + 4T_c². Complex numbers as [re, im].
  type C = [number, number];
  const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
  const div = (a: C, b: C): C => { const n = b[0] * b[0] + b[1] * b[1]; return [(a[0] * b[0] + a[1] * b[1]) / n, (a[1] * b[0] - a[0] * b[1]) / n]; };
  const sqrtC = (a: C): C => { const m = Math.hypot(a[0], a[1]); return [Math.sqrt((m + a[0]) / 2), Math.sign(a[1] || 1) * Math.sqrt((m - a[0]) / 2)]; };
  function eq6(p: JunctionParams, sigma: 0 | 1, w: number): C[] {
    const s = sigma ? -1 : 1;
    const gL = (p.GammaL * (1 + s * p.pL)) / 2, gR = (p.GammaR * (1 + s * p.pR)) / 2;
    const e1 = p.eps[0][sigma], e2 = p.eps[1][sigma], dg: C = [e1 - e2, -(gL - gR) / 2];
    const sq = mul(dg, dg), Om = sqrtC([sq[0] + 4 * p.Tc * p.Tc, sq[1]]);
    const out: C[] = [[0, 0], [0, 0], [0, 0], [0, 0]]; // 11, 12, 21, 22
    for (const r of [1, -1]) {
      const E: C = [(e1 + e2 + r * Om[0]) / 2, (r * Om[1] - (gL + gR) / 2) / 2];
      const den = mul([2 * Om[0], 2 * Om[1]], [w - E[0], -E[1]]);
      const diag = (t: number): C => div([Om[0] + t * r * dg[0], Om[1] + t * r * dg[1]], den);
      const off = div([2 * r * p.Tc, 0], den);
      const add = (k: number, v: C) => { out[k] = [out[k][0] + v[0], out[k][1] + v[1]]; };
      add(0, diag(1)); add(3, diag(-1)); add(1, off); add(2, off);
    }
    return out;
  }
  it('JunctionGreens.retarded equals Eq. 6 for a symmetric and an asymmetric collinear dimer (1e-12)', () => {
    const cases = [
      junction({ pL: 0.5, pR: 0.5 }),
      junction({ eps: [[0.3, -0.2], [-0.4, 0.1]], Tc: 0.7, GammaL: 0.4, GammaR: 0.1, pL: 0.6, pR: -0.3 }),
    ];
    for (const p of cases) {
      const G = new JunctionGreens(p);
      for (const w of [-2.1, -1, -0.35, 0, 0.42, 1.3]) {
        const g = G.retarded(w);
        for (const sigma of [0, 1] as const) {
          const ref = eq6(p, sigma, w), k = sigma ? 6 : 0;
          for (let b = 0; b < 4; b++) {
            const scale = Math.hypot(...ref[b]) + 1e-300;
            expect(Math.hypot(g[b][k] - ref[b][0], g[b][k + 1] - ref[b][1]) / scale).toBeLessThan(1e-12);
          }
          // spin is conserved: no spin-flip entries for collinear leads
          for (let b = 0; b < 4; b++) expect(Math.hypot(g[b][2], g[b][3], g[b][4], g[b][5])).toBe(0);
        }
      }
    }
  });
});

describe('Lloyd formula: sign and normalisation of ΔΩ = (1/π)∫ f Im ln det(1 − GʳV) dε', () => {
  // T_c = 0: site 1 is a Lorentzian level of half-width h = Γ^L_σ/2 = Γ^L/4 per spin. Shifting it by δ
  // (V_1 = δ·1) changes Ω by ∫_0^δ N(x) dx per spin, N(x) = 1/2 + atan((μ − x)/h)/π at T = 0.
  const GL = 1 / 6, h = GL / 4;
  const shift = (d: number) => axpby2(d, 0, PAULI[0], null, 0);
  it('T = 0: equals the exact Ω of a shifted Lorentzian level, also for shifts ≫ width (branch) (1e-12)', () => {
    for (const [mu, d] of [[0.3, 0.05], [0.3, 1.0], [-0.2, 2.5], [0, -1.5]]) {
      const p = junction({ Tc: 0, mu, TL: 0, GammaL: GL, GammaR: 0.2 });
      const F = (x: number) => { const u = (mu - x) / h; return x / 2 - (h / Math.PI) * (u * Math.atan(u) - 0.5 * Math.log1p(u * u)); };
      const exact = 2 * (F(d) - F(0));
      expect(Math.abs(grandPotentialShift(p, shift(d), shift(0)).value - exact)).toBeLessThan(1e-12);
    }
  });
  it('T = 3 K: dΩ/dε_level = N = ∫ f A dε/2π (Hellmann–Feynman), both spins (1e-9)', () => {
    const mu = 0.1, p = junction({ Tc: 0, mu, TL: 3, GammaL: GL, GammaR: 0.2 }), res = reservoirs(p).L;
    const A = (e: number) => (2 * h) / (e * e + h * h); // spectral function per spin, level at 0
    const f = (e: number) => 1 / (1 + Math.exp((e - mu) / res.kT));
    const N = 2 * energyIntegral(e => (f(e) * A(e)) / (2 * Math.PI), -Infinity, fermiWindow(res)[1], [0, mu], 1).value;
    const om = (d: number) => grandPotentialShift(p, shift(d), shift(0)).value;
    const dOm = (s: number) => (om(s) - om(-s)) / (2 * s);
    const deriv = (4 * dOm(5e-4) - dOm(1e-3)) / 3;
    expect(Math.abs(deriv - N)).toBeLessThan(1e-9);
    expect(N).toBeGreaterThan(1); // μ above the level: more than half filled
  });
});

describe('fact (a): the equilibrium form as printed', () => {
  it('Im[J1J2 Σσ ∫ f Gʳ12σ Gʳ21σ dε/4π] = Eq. 7 (rel. 1e-9 of the sweep maximum), p = 0 and p_L = p_R = 0.5', () => {
    for (const pp of [0, 0.5]) {
      const mus = [-2, -1.02, -0.6, 0, 0.35, 0.98, 1.6];
      const pairs = mus.map(mu => { const p = junction({ mu, pL: pp, pR: pp }); return [equilibriumExchange(p).printed.im, eq7(p)]; });
      const scale = Math.max(...pairs.map(([, b]) => Math.abs(b)));
      for (const [a, b] of pairs) expect(Math.abs(a - b)).toBeLessThan(1e-9 * scale);
      // the printed value is genuinely complex: its real part is not small
      expect(Math.abs(equilibriumExchange(junction({ mu: -1, pL: pp, pR: pp })).printed.re)).toBeGreaterThan(0.05);
    }
  });
});

describe('facts (b), (c): exact grand potential vs closed forms vs Kramers–Kronig', () => {
  const mus = [-2, -1.02, -0.4, 0, 0.9];
  it('Czz = Eq. 7, Cxx = Eq. 7 − Eq. 8/2, Dz = 0 over a μ sweep (1e-7 of max|C|), p = 0 and p_L = p_R = 0.5', () => {
    for (const pp of [0, 0.5]) {
      const rows = mus.map(mu => {
        const p = junction({ mu, pL: pp, pR: pp });
        return { en: energyPairCoupling(p, { relTol: 1e-10 }), kk: equilibriumExchange(p), cl: pairCouplingClosed(p) };
      });
      const scale = Math.max(...rows.map(r => Math.max(Math.abs(r.cl.Czz), Math.abs(r.cl.Cxx))));
      for (const { en, kk, cl } of rows) {
        for (const [a, b] of [[en.Czz.value, cl.Czz], [en.Cxx.value, cl.Cxx], [kk.Czz, cl.Czz], [kk.Cxx, cl.Cxx]]) {
          expect(Math.abs(a - b)).toBeLessThan(1e-7 * scale);
        }
        expect(Math.abs(en.Dz.value)).toBeLessThan(1e-9 * scale);
        expect(en.Czz.extrapolation).toBeLessThan(1e-8 * scale);
        expect(en.Cxx.extrapolation).toBeLessThan(1e-8 * scale);
        expect(Math.abs(cl.eq8 - 2 * (en.Czz.value - en.Cxx.value))).toBeLessThan(1e-7 * scale);
      }
      if (pp === 0) for (const { cl } of rows) expect(cl.Cxx).toBe(cl.Czz); // isotropic
    }
  });
  it('p_L = 0.5, p_R = −0.3: energy method = Kramers–Kronig Czz, Cxx (1e-7), Dz = 0; Czz ≠ Cxx', () => {
    const rows = mus.map(mu => { const p = junction({ mu, pL: 0.5, pR: -0.3 }); return { en: energyPairCoupling(p, { relTol: 1e-10 }), kk: equilibriumExchange(p) }; });
    const scale = Math.max(...rows.map(r => Math.abs(r.kk.Czz)));
    for (const { en, kk } of rows) {
      expect(Math.abs(en.Czz.value - kk.Czz)).toBeLessThan(1e-7 * scale);
      expect(Math.abs(en.Cxx.value - kk.Cxx)).toBeLessThan(1e-7 * scale);
      expect(Math.abs(en.Dz.value)).toBeLessThan(1e-9 * scale);
    }
    expect(Math.abs(rows[1].kk.Czz - rows[1].kk.Cxx)).toBeGreaterThan(5e-5); // 8.1e-5 meV at μ = −1.02
  });
  it('energetics with finite spins: μ = 0 (between the orbitals) favours ANTIPARALLEL, where Eq. 7 < 0', () => {
    const p = junction({ mu: 0 }), S = 1; // J_n S/2 = 0.5 meV: well beyond linear response
    const dOmega = spinGrandPotential(p, [0, 0, S], [0, 0, S]).value - spinGrandPotential(p, [0, 0, S], [0, 0, -S]).value;
    expect(dOmega).toBeGreaterThan(0.2); // ΔΩ(P) − ΔΩ(AP) = +0.221 meV: antiferromagnetic
    expect(eq7(p)).toBeLessThan(-0.1); // Eq. 7 = −0.118 meV: negative J means ANTIferromagnetic, not ferro
    // small spins: ΔΩ(P) − ΔΩ(AP) → −2 Czz S² with Czz = Eq. 7 (the paper's sign sentence is reversed)
    const s = 0.01, small = spinGrandPotential(p, [0, 0, s], [0, 0, s]).value - spinGrandPotential(p, [0, 0, s], [0, 0, -s]).value;
    expect(Math.abs(small / (-2 * eq7(p) * s * s) - 1)).toBeLessThan(1e-4);
  });
  it('energetics with finite spins: μ = −1.5 (below both orbitals) favours PARALLEL, where Eq. 7 > 0', () => {
    const p = junction({ mu: -1.5 });
    for (const S of [0.1, 1]) {
      const dOmega = spinGrandPotential(p, [0, 0, S], [0, 0, S]).value - spinGrandPotential(p, [0, 0, S], [0, 0, -S]).value;
      expect(dOmega).toBeLessThan(0);
    }
    expect(eq7(p)).toBeGreaterThan(0);
  });
  it('isotropy of the energy for unpolarized leads: ΔΩ(S1 ∥ S2 ∥ x̂) = ΔΩ(S1 ∥ S2 ∥ ẑ) for finite spins', () => {
    const p = junction({ mu: -0.7 }), S = 0.8;
    const z = spinGrandPotential(p, [0, 0, S], [0, 0, S]).value, x = spinGrandPotential(p, [S, 0, 0], [S, 0, 0]).value;
    expect(Math.abs(z - x)).toBeLessThan(1e-12);
  });
});

describe('fact (d): symmetry of the printed Eqs. 7–9 under V → −V (ΔT = 0)', () => {
  it('Eqs. 7, 8 even and Eq. 9 odd in V for several (p_L, p_R) (1e-12 relative)', () => {
    for (const [pL, pR] of [[0, 0], [0.5, 0.5], [0.5, -0.3], [1, -1], [-0.2, 0.7]]) {
      for (const [mu, V] of [[-2, 0.3], [-0.5, 1.7], [0.4, 2.6]]) {
        const a = junction({ mu, V, pL, pR }), b = junction({ mu, V: -V, pL, pR });
        const close = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(x), 1e-30));
        close(eq7(a), eq7(b)); close(eq8(a), eq8(b)); close(eq9(a), -eq9(b));
        if (pL !== pR) expect(Math.abs(eq9(a))).toBeGreaterThan(0);
      }
    }
  });
});

describe('Fig. 2(a): sign of J_12 along μ', () => {
  const zero = (f: (x: number) => number, a: number, b: number) => {
    let fa = f(a);
    for (let i = 0; i < 50; i++) { const m = (a + b) / 2, fm = f(m); if (Math.sign(fm) === Math.sign(fa)) { a = m; fa = fm; } else b = m; }
    return (a + b) / 2;
  };
  it('J changes sign twice, INSIDE the orbital window: ε0 − T_c < μ₋ < ε0 < μ₊ < ε0 + T_c (the resonances bracket the zeros)', () => {
    for (const TL of [0, 1]) {
      const J = (mu: number) => eq7(junction({ mu, TL }));
      expect(J(-1)).toBeGreaterThan(0); expect(J(0)).toBeLessThan(0); expect(J(1)).toBeGreaterThan(0);
      const lo = zero(J, -1, 0), hi = zero(J, 0, 1);
      expect(lo).toBeGreaterThan(-1); expect(hi).toBeLessThan(1);
      expect(Math.abs(lo + hi)).toBeLessThan(1e-9); // J(μ) is even about ε0
      if (TL === 0) {
        // Γ → 0 estimate: zero where the resonance term w/(y² + w²) meets the plateau π/T_c: y ≈ √(wT_c/π)
        const w = 1 / 24, y = Math.sqrt(w / Math.PI);
        expect(Math.abs(hi - (1 - y))).toBeLessThan(0.01); // 0.8845 vs 0.885
      } else expect(hi).toBeCloseTo(0.7796, 3);
      for (const mu of [-3, -1.8, -1.2, 1.2, 1.8, 3]) expect(J(mu)).toBeGreaterThan(0); // ferro outside, never changes sign again
    }
  });
  it('T = 0: the paper\'s condition (μ − ε0)² = T_c² + (Γσ/4)² marks the extrema of J (peaks), not its zeros', () => {
    const w = 1 / 24, peak = Math.sqrt(1 + w * w), J = (mu: number) => eq7(junction({ mu, TL: 0 }));
    const slope = (mu: number) => (J(mu + 1e-5) - J(mu - 1e-5)) / 2e-5;
    expect(Math.abs(slope(peak))).toBeLessThan(1e-6 * Math.abs(slope(peak - 0.02)));
    expect(J(peak)).toBeGreaterThan(J(peak - 0.003)); expect(J(peak)).toBeGreaterThan(J(peak + 0.003));
  });
});

describe('unpolarized leads', () => {
  it('I = D = 0 exactly (Eqs. 8, 9 and the derived Dz, κ), with and without bias', () => {
    for (const [mu, V, dT] of [[0, 0, 0], [-2, 0.5, 0], [-1, 1.2, 3]]) {
      const p = junction({ mu, V, dT });
      expect(Math.abs(eq8(p))).toBe(0); expect(Math.abs(eq9(p))).toBe(0);
      const f = dmFieldClosed(p);
      expect(Math.abs(f.Dz.value)).toBe(0); expect(Math.abs(f.kappa.value)).toBe(0);
    }
  });
});

describe('scaling with the lead coupling Γ (T_c = J_n = 1 meV, local exponents between Γ and Γ/10)', () => {
  it('Heisenberg ∝ Γ only off resonance with μ OUTSIDE the orbital window at T = 0 (Γ ≪ |μ − ε0| − T_c)', () => {
    for (const mu of [-2, -1.5, 1.5]) expect(exponent(k => eq7(scaledGamma(k, { mu, TL: 0 })), 0.1)).toBeCloseTo(1, 2);
  });
  it('Heisenberg → −J1J2/(8T_c), Γ-independent, BETWEEN the orbitals (T = 0, Γ ≪ T_c)', () => {
    for (const mu of [0, -0.5]) expect(eq7(scaledGamma(0.001, { mu, TL: 0 }))).toBeCloseTo(-1 / 8, 3);
  });
  it('Heisenberg and Ising ∝ 1/Γ ON resonance (μ = E_σ−, T = 0): the peak height is not linear in Γ', () => {
    expect(exponent(k => eq7(scaledGamma(k, { mu: -1, TL: 0 })), 0.1)).toBeCloseTo(-1, 1);
    expect(exponent(k => eq8(scaledGamma(k, { mu: -1, TL: 0, pL: 0.5, pR: 0.5 })), 0.1)).toBeCloseTo(-1, 1);
  });
  it('Ising off resonance (T = 0) is NOT linear: ∝ Γ² between the orbitals, ∝ Γ³ outside; and ∝ p² (even in p)', () => {
    expect(exponent(k => eq8(scaledGamma(k, { mu: 0, TL: 0, pL: 0.5, pR: 0.5 })), 0.1)).toBeCloseTo(2, 2);
    expect(exponent(k => eq8(scaledGamma(k, { mu: -2, TL: 0, pL: 0.5, pR: 0.5 })), 0.1)).toBeCloseTo(3, 2);
    const I = (pp: number) => eq8(junction({ mu: 0, pL: pp, pR: pp }));
    expect(I(0.2) / I(0.1)).toBeCloseTo(4, 2);
  });
  it('DM (Eq. 9) ∝ Γ² only while no resonance is in the bias window at T = 0', () => {
    for (const [mu, V] of [[-2, 0.1], [0, 0.1], [-2, 1]]) {
      expect(exponent(k => eq9(scaledGamma(k, { mu, V, TL: 0, pL: 0.5, pR: -0.5 })), 0.1)).toBeCloseTo(2, 2);
    }
  });
  it('DM (Eq. 9) ∝ 1/Γ with a resonance in the bias window (V = 2–4 mV at μ = −2), plateau ≈ −6 meV ≈ 100 |J_12|', () => {
    expect(exponent(k => eq9(scaledGamma(k, { mu: -2, V: 3, TL: 0, pL: 0.5, pR: -0.5 })), 0.1)).toBeCloseTo(-1, 2);
    const p = junction({ mu: -2, V: 4, pL: 0.5, pR: -0.5 });
    expect(eq9(p)).toBeCloseTo(-5.99, 1);
    expect(Math.abs(eq9(p) / eq7(p))).toBeGreaterThan(80);
  });
  it('DM (Eq. 9) at T_L = 1 K: thermal tails at the resonances already give ∝ 1/Γ for Γ ≲ 0.1 meV (μ = −2, V = 0.1 mV)', () => {
    expect(exponent(k => eq9(scaledGamma(k, { mu: -2, V: 0.1, pL: 0.5, pR: -0.5 })), 0.03)).toBeCloseTo(-1, 1);
  });
});

describe('Eq. 9 vs the physical DM (exact non-equilibrium spin density, linear in S_n)', () => {
  // ⟨s_n^a⟩ = ½ ∫ dε/2π Im Tr[σᵃ G^<_nn(ε)] (any bias); field on S_m: B_m = −J_m⟨s_m⟩, C_mn^{ab} = ∂B_m^a/∂S_n^b.
  // JunctionGreens splits levels only along ẑ, so S_n ∥ ẑ' and the leads are rotated: for b = y use the
  // rotation x → x, y → z, z → −y (leads along −ŷ, measure s_m along x̂).
  function spinDensity(p: JunctionParams, n: 0 | 1, a: 1 | 2 | 3): number {
    const G = new JunctionGreens(p), r = reservoirs(p);
    const hi = Math.max(fermiWindow(r.L)[1], fermiWindow(r.R)[1]), br = [...fermiWindow(r.L), ...fermiWindow(r.R)];
    for (const c of [-p.Tc, p.Tc]) for (let k = -4; k <= 4; k++) br.push(c + 0.05 * k);
    const q = energyIntegral(e => traceMul2(PAULI[a], G.keldysh(e).lesser[3 * n])[1], -Infinity, hi, br, 1, { absTol: 1e-14, relTol: 1e-12 });
    return q.value / (4 * Math.PI);
  }
  function field(p0: JunctionParams, m: 0 | 1, ab: 'xy' | 'zz'): number {
    const n = 1 - m, Jm = m ? p0.J2 : p0.J1, Jn = m ? p0.J1 : p0.J2;
    const dir: Vec3 = ab === 'xy' ? [0, -p0.dirL[2], 0] : [0, 0, p0.dirL[2]];
    const at = (s: number) => {
      const eps = p0.eps.map(r => [...r]) as JunctionParams['eps'];
      eps[n][0] += (Jn * s) / 2; eps[n][1] -= (Jn * s) / 2;
      return spinDensity({ ...p0, eps, dirL: dir, dirR: dir }, m, ab === 'xy' ? 1 : 3);
    };
    const d = (s: number) => (at(s) - at(-s)) / (2 * s);
    return (-Jm * (4 * d(5e-4) - d(1e-3))) / 3;
  }
  it('derived Dz (reciprocal, ∝ p_L + p_R) and κ (non-reciprocal, ∝ p_L − p_R) match the exact fields (1e-7)', () => {
    for (const over of [{ pL: 0.5, pR: -0.3, V: 0.4, mu: -0.8 }, { pL: 0.5, pR: 0.5, V: 0.4, mu: -0.8 }, { pL: 0.2, pR: 0.6, V: -0.5, mu: 0.2, dT: 2 }]) {
      const p = junction(over), c12 = field(p, 0, 'xy'), c21 = field(p, 1, 'xy'), f = dmFieldClosed(p);
      const scale = Math.max(Math.abs(c12), Math.abs(c21));
      expect(Math.abs((c12 - c21) / 2 - f.Dz.value)).toBeLessThan(1e-7 * scale);
      expect(Math.abs((c12 + c21) / 2 - f.kappa.value)).toBeLessThan(1e-7 * scale);
    }
  });
  it('Eq. 9 = 8κ up to the printed resonances (rel. < 2e-3), and Eq. 9 misses the reciprocal Dz (nonzero at p_L = p_R)', () => {
    const a = junction({ pL: 0.5, pR: -0.3, V: 0.4, mu: -0.8 }), ka = dmFieldClosed(a).kappa.value;
    expect(Math.abs(eq9(a) / (8 * ka) - 1)).toBeLessThan(2e-3);
    expect(Math.sign(eq9(a))).toBe(Math.sign(ka));
    const b = junction({ pL: 0.5, pR: 0.5, V: 0.4, mu: -0.8 });
    expect(eq9(b)).toBe(0);
    expect(Math.abs(field(b, 0, 'xy') - field(b, 1, 'xy')) / 2).toBeGreaterThan(5e-3); // Dz ≈ 7.2e-3 meV
    const c = junction({ pL: 0.5, pR: -0.5, V: 0.3, mu: 1.1 });
    expect(dmFieldClosed(c).Dz.value).toBe(0); // p_L = −p_R: only the non-reciprocal part
  });
  it('out of equilibrium Eq. 7 is the reciprocal Czz for p_L = p_R (1e-7), the fields themselves are non-reciprocal', () => {
    const p = junction({ pL: 0.5, pR: 0.5, V: 0.4, mu: -0.8 }), z12 = field(p, 0, 'zz'), z21 = field(p, 1, 'zz');
    expect(Math.abs((z12 + z21) / 2 - eq7(p))).toBeLessThan(1e-7 * Math.abs(eq7(p)));
    expect(Math.abs(z12 - z21)).toBeGreaterThan(0.01);
  });
});

describe('T → 0', () => {
  it('closed forms are finite at T = 0 and continuous (difference ∝ T²)', () => {
    const base = { mu: -0.95, pL: 0.5, pR: -0.3, V: 0.2 };
    const v = [0, 0.01, 0.1].map(TL => { const p = junction({ ...base, TL }); return [eq7(p), eq8(p), eq9(p)]; });
    for (let k = 0; k < 3; k++) {
      expect(Number.isFinite(v[0][k])).toBe(true);
      const d1 = Math.abs(v[1][k] - v[0][k]), d2 = Math.abs(v[2][k] - v[0][k]);
      expect(d1).toBeLessThan(2e-2 * d2); // ∝ T²: a factor 100 from 0.1 K to 0.01 K
    }
  });
  it('energy method at T = 0 equals Eq. 7 and Eq. 7 − Eq. 8/2 (1e-8) and joins the finite-T values (∝ T²)', () => {
    // μ = −0.95 lies one width from the resonance: a large Sommerfeld coefficient, still ∝ T².
    const at = (TL: number) => { const p = junction({ mu: -0.95, pL: 0.5, pR: 0.5, TL }); return { en: energyPairCoupling(p, { relTol: 1e-10 }), cl: pairCouplingClosed(p) }; };
    const z = at(0), t1 = at(0.001), t2 = at(0.01);
    expect(Math.abs(z.en.Czz.value - z.cl.Czz)).toBeLessThan(1e-8 * Math.abs(z.cl.Czz));
    expect(Math.abs(z.en.Cxx.value - z.cl.Cxx)).toBeLessThan(1e-8 * Math.abs(z.cl.Cxx));
    const d1 = t1.en.Czz.value - z.en.Czz.value, d2 = t2.en.Czz.value - z.en.Czz.value;
    expect(Math.abs(d1)).toBeLessThan(1e-4 * Math.abs(z.cl.Czz));
    expect(d2 / d1).toBeGreaterThan(90); expect(d2 / d1).toBeLessThan(110);
  });
});

describe('bad input', () => {
  it('RangeError naming the parameter', () => {
    expect(() => heisenbergClosed(junction({ eps: [[0, 0], [0.1, 0.1]] }))).toThrow(/eps/);
    expect(() => dmClosed(junction({ GammaL: 0.2 }))).toThrow(/GammaL/);
    expect(() => isingClosed(junction({ dirL: [1, 0, 0] }))).toThrow(/dirL/);
    expect(() => heisenbergClosed(junction({ pL: -1, pR: -1 }))).toThrow(RangeError);
    expect(() => equilibriumExchange(junction({ V: 0.1 }))).toThrow(/V/);
    expect(() => equilibriumExchange(junction({ dT: 1 }))).toThrow(/dT/);
    expect(() => energyPairCoupling(junction({ dT: 1 }))).toThrow(/dT/);
    expect(() => energyPairCoupling(junction({ pL: 1 }))).toThrow(/pL/);
    expect(() => spinGrandPotential(junction({ V: 1 }), [0, 0, 1], [0, 0, 1])).toThrow(/V/);
  });
});
