// Seed-001 SOC dimer: semi-infinite lead Green's function and the singlet/triplet Green's functions
// of Eqs. A9–A15, against Dyson's equation, sum rules and a direct 4×4 inversion.
import { describe, expect, it } from 'vitest';
import { surfaceGreen, leadSelfEnergy } from '../src/models/socDimer/leads.ts';
import { singletTriplet, dimerRetardedDirect, socMatrix } from '../src/models/socDimer/greens.ts';
import { integrate } from '../src/numerics/quadrature.ts';
import type { Vec3 } from '../src/numerics/vec3.ts';

const TE = 100, TL = 10;

describe('semi-infinite chain lead', () => {
  it('solves Dyson\'s equation g = 1/(x − t_e² g) inside and outside the band, retarded (Im g ≤ 0)', () => {
    for (const x of [-250, -200.5, -150, -3, 0, 0.7, 120, 199.9, 201, 400]) {
      const [gr, gi] = surfaceGreen(x, TE);
      // 1/(x − t_e² g)
      const dr = x - TE * TE * gr, di = -TE * TE * gi, n = dr * dr + di * di;
      expect(Math.abs(gr - dr / n) + Math.abs(gi + di / n)).toBeLessThan(1e-14 * Math.hypot(gr, gi) + 1e-18);
      expect(gi).toBeLessThanOrEqual(0);
      if (Math.abs(x) > 2 * TE) expect(Math.abs(gr)).toBeLessThan(1 / TE); // the decaying root
    }
  });

  it('surface density of states −Im g/π integrates to one state; broadening 2t_L²/t_e at the band centre', () => {
    const n = integrate(x => -surfaceGreen(x, TE)[1] / Math.PI, -2 * TE, 2 * TE, { relTol: 1e-10 }).value;
    expect(n).toBeCloseTo(1, 8);
    expect(-2 * leadSelfEnergy(0, 0, TE, TL)[1]).toBeCloseTo((2 * TL * TL) / TE, 12);
    // a band shifted with the bias moves the self-energy rigidly
    expect(leadSelfEnergy(5, 1.5, TE, TL)).toEqual(leadSelfEnergy(3.5, 0, TE, TL));
  });
});

describe('dimer Green\'s function, Eqs. A9–A15', () => {
  const dirs: Vec3[] = [[1, 0, 0], [0, 0, 1], [0.48, -0.6, 0.64]];
  it('singlet·1 + triplet·(t̂·τ) equals the direct 4×4 inversion (inside and outside the lead band)', () => {
    for (const e of [-230, -2.1, -1.9, 0, 0.3, 2, 150, 260]) for (const dir of dirs) for (const [t0, t] of [[2, 0.1], [2, 1], [1.5, 0]]) {
      const s = leadSelfEnergy(e, 0, TE, TL);
      const g: [number, number] = [e - s[0], -s[1]];
      const { singlet, triplet } = singletTriplet(g, g, t0, t);
      const direct = dimerRetardedDirect(g, g, t0, t, dir), tau = socMatrix(dir);
      for (let b = 0; b < 4; b++) for (let k = 0; k < 4; k++) {
        const one = k === 0 || k === 3 ? 1 : 0;
        const re = singlet[b][0] * one + triplet[b][0] * tau[2 * k] - triplet[b][1] * tau[2 * k + 1];
        const im = singlet[b][1] * one + triplet[b][0] * tau[2 * k + 1] + triplet[b][1] * tau[2 * k];
        const scale = Math.hypot(singlet[b][0], singlet[b][1]) + Math.hypot(triplet[b][0], triplet[b][1]);
        expect(Math.abs(re - direct[b][2 * k]) + Math.abs(im - direct[b][2 * k + 1])).toBeLessThan(1e-12 * scale);
      }
    }
  });

  it('without SOC (t = 0) the triplet part vanishes and the singlet is the spinless dimer', () => {
    const g: [number, number] = [0.4, 0.9];
    const { singlet, triplet } = singletTriplet(g, g, 2, 0);
    for (const x of triplet) expect(Math.hypot(x[0], x[1])).toBe(0);
    // spinless: G12 = −t0/(g² − t0²)
    const p: [number, number] = [g[0] * g[0] - g[1] * g[1] - 4, 2 * g[0] * g[1]], n = p[0] * p[0] + p[1] * p[1];
    expect(singlet[1][0]).toBeCloseTo((-2 * p[0]) / n, 14);
    expect(singlet[1][1]).toBeCloseTo((2 * p[1]) / n, 14);
  });
});

describe('lesser and greater functions, Eqs. A16–A17', async () => {
  const { keldyshSingletTriplet } = await import('../src/models/socDimer/greens.ts');
  const { mul2, dagger2, axpby2 } = await import('../src/numerics/complex.ts');
  const setup = (e: number, t: number, bands: [number, number]) => {
    const s = bands.map(c => leadSelfEnergy(e, c, TE, TL));
    const g1: [number, number] = [e - s[0][0], -s[0][1]], g2: [number, number] = [e - s[1][0], -s[1][1]];
    return { g1, g2, gamma: [-2 * s[0][1], -2 * s[1][1]] as [number, number], ret: singletTriplet(g1, g2, 2, t) };
  };
  const compose = (x: { singlet: [number, number][]; triplet: [number, number][] }, b: number, tau: Float64Array) =>
    Float64Array.from({ length: 8 }, (_, i) => {
      const k = i >> 1, one = k === 0 || k === 3 ? 1 : 0, [sr, si] = x.singlet[b], [tr, ti] = x.triplet[b];
      return i & 1 ? si * one + tr * tau[2 * k + 1] + ti * tau[2 * k] : sr * one + tr * tau[2 * k] - ti * tau[2 * k + 1];
    });

  it('singlet/triplet G^< equals the direct product Gʳ Σ^< Gᵃ in site ⊗ spin space (biased, bands shifted)', () => {
    const dir: Vec3 = [0.48, -0.6, 0.64], tau = socMatrix(dir);
    for (const e of [-1.7, 0.2, 2.05]) {
      const { g1, g2, gamma, ret } = setup(e, 1, [0.75, -0.75]);
      const f: [number, number] = [0.9, 0.15];
      const less = keldyshSingletTriplet(ret, gamma, f, true);
      const G = dimerRetardedDirect(g1, g2, 2, 1, dir);
      for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        // Σ_c Gʳ_ac (i f_c Γ_c) (Gʳ_bc)†
        let acc: Float64Array = new Float64Array(8);
        for (let c = 0; c < 2; c++) acc = axpby2(0, f[c] * gamma[c], mul2(G[2 * a + c], dagger2(G[2 * b + c])), acc, 1);
        const mine = compose(less, 2 * a + b, tau), scale = Math.max(...acc.map(Math.abs));
        for (let k = 0; k < 8; k++) expect(Math.abs(mine[k] - acc[k])).toBeLessThan(1e-12 * scale);
      }
    }
  });

  it('G^> − G^< = Gʳ − Gᵃ out of equilibrium, and G^< = −f (Gʳ − Gᵃ) at equilibrium (fluctuation–dissipation)', () => {
    const { gamma, ret } = setup(0.4, 0.1, [0, 0]);
    const diff = (x: [number, number][], b: number): [number, number] => { const c = b === 1 ? 2 : b === 2 ? 1 : b; return [x[b][0] - x[c][0], x[b][1] + x[c][1]]; }; // Gʳ_ab − conj(Gʳ_ba)
    for (const f of [[0.8, 0.3], [0.6, 0.6]] as [number, number][]) {
      const l = keldyshSingletTriplet(ret, gamma, f, true), g = keldyshSingletTriplet(ret, gamma, f, false);
      for (const part of ['singlet', 'triplet'] as const) for (let b = 0; b < 4; b++) {
        const [dr, di] = diff(ret[part], b), scale = Math.hypot(dr, di) + 1e-12;
        expect(Math.abs(g[part][b][0] - l[part][b][0] - dr) + Math.abs(g[part][b][1] - l[part][b][1] - di)).toBeLessThan(1e-12 * scale);
        if (f[0] === f[1]) expect(Math.abs(l[part][b][0] + f[0] * dr) + Math.abs(l[part][b][1] + f[0] * di)).toBeLessThan(1e-12 * scale);
      }
    }
  });
});

describe('SOC dimer parameters', async () => {
  const { socDimer, leads } = await import('../src/models/socDimer/params.ts');
  it('μ_L,R = μ_F ± V/2 (the paper prints μ_L twice); bands follow the bias unless bandShift is off; bad input named', () => {
    const [L, R] = leads(socDimer({ muF: 0.5, V: 3 }));
    expect([L.mu, R.mu, L.bandCentre, R.bandCentre]).toEqual([2, -1, 1.5, -1.5]);
    const [L0, R0] = leads(socDimer({ V: 3, bandShift: false }));
    expect([L0.bandCentre, R0.bandCentre]).toEqual([0, 0]);
    expect(() => socDimer({ te: 0 })).toThrow(/te must be > 0 meV/);
    expect(() => socDimer({ TL: -1 })).toThrow(/temperatures must be ≥ 0 K/);
    expect(() => socDimer({ V: NaN })).toThrow(/V must be a finite number/);
  });
});

describe('local electron spin ⟨s_a⟩ (the O(Δ) field of Eq. 4)', async () => {
  const { socCouplings } = await import('../src/models/socDimer/couplings.ts');
  const { referenceCouplings } = await import('./socDimer.reference.ts');
  const { socDimer } = await import('../src/models/socDimer/params.ts');
  // Finding: with the paper's real SOC amplitude, T = t0 + t t̂·τ is a spin-dependent hopping (t0 ± t for
  // the two spin species along t̂), which is odd under time reversal (Θ t̂·τ Θ⁻¹ = −t̂·τ). So ⟨s_a⟩ ≠ 0
  // already at V = 0 (away from μ_F = 0) — it is odd in t, not in V. A time-reversal-even SOC would need i·t t̂·τ.
  it('is odd in the SOC amplitude t, zero without SOC, equal on both sites at V = 0, and mirror-symmetric ⟨s_1⟩(V) = ⟨s_2⟩(−V)', () => {
    const at = (o: object) => { const [s1, s2] = socCouplings(socDimer({ muF: 0.5, TL: 1, ...o })).spin; return { s1, s2 }; };
    const none = at({ t: 0, V: 2 });
    expect(Math.abs(none.s1) + Math.abs(none.s2)).toBe(0);
    const a = at({ t: 1 }), b = at({ t: -1 });
    expect(Math.abs(a.s1)).toBeGreaterThan(1e-3);
    expect(Math.abs(a.s1 + b.s1)).toBeLessThan(1e-9);
    expect(Math.abs(a.s1 - a.s2)).toBeLessThan(1e-9);
    const plus = at({ t: 1, V: 3 }), minus = at({ t: 1, V: -3 });
    expect(Math.abs(plus.s1 - plus.s2)).toBeGreaterThan(1e-4);
    expect(Math.abs(plus.s2 - minus.s1)).toBeLessThan(1e-9 + 1e-6 * Math.abs(plus.s2));
    expect(Math.abs(plus.s1 - minus.s2)).toBeLessThan(1e-9 + 1e-6 * Math.abs(plus.s1));
  });
  it('matches the adaptive real-axis integral of −i G^(t)<_aa over the occupied band (Matsubara + window split checked)', () => {
    for (const o of [{ t: 1, muF: 0.5, V: 3 }, { t: 1, muF: -1, V: -2, TL: 2, dT: 1 }]) {
      const p = socDimer(o), c = socCouplings(p).spin, r = referenceCouplings(p).spin;
      for (let a = 0; a < 2; a++) expect(Math.abs(c[a] - r[a])).toBeLessThan(1e-8);
    }
  });
});
