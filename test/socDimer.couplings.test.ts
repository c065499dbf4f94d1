// Couplings of the biased SOC dimer (seed 001, Eq. A24): the fast split evaluation (Matsubara sum +
// bias window, src/models/socDimer/couplings.ts) against an independent adaptive real-axis reference,
// the WebGPU kernel against its CPU twin, and the physics: symmetries, the t → 0 limit, FDT.
import { describe, expect, it } from 'vitest';
import { socDimer, type SocDimerParams } from '../src/models/socDimer/params.ts';
import { COUPLING_STRIDE, defaultRule, paperCouplings, socCouplings, type SocCouplings } from '../src/models/socDimer/couplings.ts';
import { couplingsMapCpu } from '../src/kernels/socCouplings/cpu.ts';
import { couplingsMapWebGpu } from '../src/kernels/socCouplings/webgpu.ts';
import { referenceCouplings } from './socDimer.reference.ts';
import { webgpuBackend } from './gpu.ts';
import { KB } from '../src/numerics/units.ts';

const flat = (c: SocCouplings): number[] => [
  ...c.exchange.flat().flatMap(x => [x.iso, x.an, x.dm]), ...c.damping.flat().flatMap(x => [x.iso, x.an]),
  ...c.noise.flat().flatMap(x => [x.iso, x.an]), ...c.spin];

describe('SOC dimer couplings: evaluation', () => {
  it('the Matsubara + window split equals the un-split real-axis integrals (A24 reduced by Kramers–Kronig) within 1e-6', () => {
    // T = 0 and finite T, a temperature difference, strong SOC, bands fixed or following the bias
    const cases: Partial<SocDimerParams>[] = [
      { V: 3 }, { V: -1.5, muF: 2.2 }, { V: 3, TL: 5, muF: 1 }, { V: -2, TL: 2, dT: 3, t: 1, muF: 0.5 }, { V: 4, t: 1, bandShift: false, muF: -1 },
    ];
    for (const o of cases) {
      const p = socDimer(o), a = flat(socCouplings(p)), b = flat(referenceCouplings(p));
      const scale = Math.max(...b.map(Math.abs));
      a.forEach((x, k) => expect(Math.abs(x - b[k]), `${JSON.stringify(o)} entry ${k}`).toBeLessThan(1e-6 * scale + 1e-12));
    }
  });

  it('WebGPU kernel = CPU twin within 2e-5 of each quantity’s largest value over a (μ_F, V, T) grid', async (ctx) => {
    const b = await webgpuBackend();
    if (!b) return ctx.skip();
    const pts: SocDimerParams[] = [];
    for (const muF of [-4, -1, 0, 1.5, 3]) for (const V of [-6, -3, 0, 2, 5]) for (const TL of [0, 3]) pts.push(socDimer({ muF, V, TL, t: 1 }));
    const rule = defaultRule(pts[0]);
    const c = couplingsMapCpu(pts, rule), g = await couplingsMapWebGpu(b.gpu!, pts, rule);
    for (let k = 0; k < COUPLING_STRIDE; k++) {
      let scale = 0, worst = 0;
      for (let i = 0; i < pts.length; i++) scale = Math.max(scale, Math.abs(c[i * COUPLING_STRIDE + k]));
      for (let i = 0; i < pts.length; i++) worst = Math.max(worst, Math.abs(c[i * COUPLING_STRIDE + k] - g[i * COUPLING_STRIDE + k]));
      expect(worst, `slot ${k}`).toBeLessThan(2e-5 * scale);
    }
  }, 120_000);
});

describe('SOC dimer couplings: physics', () => {
  const at = (o: Partial<SocDimerParams>) => paperCouplings(socCouplings(socDimer(o)));

  it('DMI: D_2(V) = −D_2(−V), D_2 = −D_1, D ≡ 0 at V = 0 (weak and strong SOC, several μ_F)', () => {
    for (const t of [0.1, 1]) for (const muF of [-2.5, 0, 0.7, 3]) {
      const z = at({ t, muF, V: 0 });
      expect(Math.abs(z.D1) + Math.abs(z.D2)).toBeLessThan(1e-15);
      for (const V of [1, 3, 5]) {
        const p = at({ t, muF, V }), m = at({ t, muF, V: -V });
        const s = Math.abs(p.D2);
        expect(s).toBeGreaterThan(1e-6);
        expect(Math.abs(p.D2 + m.D2)).toBeLessThan(1e-9 * s + 1e-14);
        expect(Math.abs(p.D2 + p.D1)).toBeLessThan(1e-9 * s + 1e-14);
      }
    }
  });

  it('t = 0 removes every SOC-induced term (DMI, Ising A, local K, anisotropic damping and noise, ⟨s⟩) and is the t → 0 limit', () => {
    for (const o of [{ V: 3, muF: 0.4 }, { V: -2, TL: 3, muF: -1 }]) {
      const c = socCouplings(socDimer({ ...o, t: 0 }));
      for (const row of c.exchange) for (const x of row) { expect(x.an).toBe(0); expect(x.dm).toBe(0); }
      for (const row of [...c.damping, ...c.noise]) for (const x of row) expect(x.an).toBe(0);
      expect(c.spin).toEqual([0, 0]);
      const small = socCouplings(socDimer({ ...o, t: 1e-4 }));
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
        expect(Math.abs(small.exchange[a][b].iso - c.exchange[a][b].iso)).toBeLessThan(1e-6 * Math.abs(c.exchange[a][b].iso) + 1e-10);
        expect(Math.abs(small.damping[a][b].iso - c.damping[a][b].iso)).toBeLessThan(1e-6 * Math.abs(c.damping[a][b].iso) + 1e-10);
      }
      // the SOC terms start linearly (DMI) or quadratically (the t̂t̂ parts) in t
      const tiny = socCouplings(socDimer({ ...o, t: 2e-4 }));
      expect(tiny.exchange[1][0].dm / small.exchange[1][0].dm).toBeCloseTo(2, 3);
      expect(tiny.exchange[1][0].an / small.exchange[1][0].an).toBeCloseTo(4, 2);
    }
  });

  it('fluctuation–dissipation at V = 0: j_ab = 2 k_BT α_ab for every pair and both parts (T_eff = j/2α = T)', () => {
    for (const o of [{ t: 0.1, muF: 0.3 }, { t: 1, muF: -1.7 }]) for (const TL of [1, 10]) {
      const c = socCouplings(socDimer({ ...o, TL, V: 0 })), kT = KB * TL;
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (const q of ['iso', 'an'] as const) {
        const j = c.noise[a][b][q], al = c.damping[a][b][q];
        expect(Math.abs(j - 2 * kT * al), `${a}${b} ${q} T=${TL}`).toBeLessThan(1e-6 * Math.abs(j) + 1e-12);
      }
    }
  });

  it('no noise and positive Gilbert damping in equilibrium at T = 0; a biased dimer is noisy at T = 0', () => {
    const eq = socCouplings(socDimer({ muF: 1, V: 0 }));
    for (const row of eq.noise) for (const x of row) expect(x.iso).toBe(0);
    expect(eq.damping[1][1].iso).toBeGreaterThan(0);
    expect(socCouplings(socDimer({ muF: 1, V: 2 })).noise[1][1].iso).toBeGreaterThan(1e-4);
  });

  it('J_2 has the x-shaped sign structure: antiferromagnetic between the lines |μ_L,R| ≈ c, ferromagnetic outside', () => {
    // bisect the sign change of J_2 along μ_F at V = 0 and along V at μ_F = 0
    const root = (f: (x: number) => number, a: number, b: number) => {
      for (let k = 0; k < 40; k++) { const m = (a + b) / 2; if (Math.sign(f(m)) === Math.sign(f(a))) a = m; else b = m; }
      return (a + b) / 2;
    };
    const J2 = (muF: number, V: number) => at({ muF, V }).J2;
    expect(J2(0, 0)).toBeLessThan(0);
    expect(J2(4, 0)).toBeGreaterThan(0);
    expect(J2(0, 8)).toBeGreaterThan(0);
    const muStar = root(m => J2(m, 0), 0, 4), vStar = root(v => J2(0, v), 0, 8);
    // the crossing sits near 1.5 meV (not at t0 − t: the lead broadening Γ = 2 meV shifts it), and the
    // lines have slope ½ in (μ_F, V): the V-crossing at μ_F = 0 is twice the μ_F-crossing at V = 0
    expect(muStar).toBeGreaterThan(1);
    expect(muStar).toBeLessThan(2);
    expect(vStar / muStar).toBeGreaterThan(1.8);
    expect(vStar / muStar).toBeLessThan(2.2);
    // a point between the lines on the μ_L branch stays antiferromagnetic
    expect(J2(1, 2 * (muStar - 1) * 0.5)).toBeLessThan(0);
  });
});
