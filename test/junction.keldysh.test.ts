// Keldysh exchange tensors of the seed-000 junction dimer: device kernel vs float64 twin, FFT
// principal value vs the brute-force offset-grid double sum, and the symmetries the physics demands.
import { describe, expect, it } from 'vitest';
import { junction, type JunctionParams } from '../src/models/junction/index.ts';
import { exchangeFromBilinears, pairCoupling, BILINEAR_FLOATS } from '../src/models/junction/exchange.ts';
import { exchangeBilinearsCpu, exchangeBilinearsOffsetGrid } from '../src/kernels/exchange/cpu.ts';
import { exchangeBilinearsWebGpu } from '../src/kernels/exchange/webgpu.ts';
import { chooseGrid } from '../src/kernels/exchange/grid.ts';
import { webgpuBackend } from './gpu.ts';

// A narrow window keeps the CPU twin fast; these tests compare methods on the same grid or look at
// symmetries, which the window does not change.
const GRID = { window: 15 };

function couplings(p: JunctionParams, grid = chooseGrid([p], GRID)) {
  const blocks = exchangeFromBilinears(exchangeBilinearsCpu([p], grid), 0, [p.J1, p.J2]);
  return { blocks, pair: pairCoupling(blocks), grid };
}

const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));

describe('Keldysh exchange: device kernel vs float64 twin', () => {
  it('C_mn tensors and the paper\'s Eq. 5 forms agree within 1e-5 of max|C| (float32 + Kahan)', async () => {
    const be = await webgpuBackend();
    if (!be) return;
    const pts = [
      junction({ mu: 0.5, pL: 0.5, pR: 0.5 }),                                   // polarized, equilibrium
      junction({ mu: -2, V: 1, dT: 0.5, pL: 0.6, pR: -0.2 }),                    // biased, thermally biased
      junction({ mu: -1, V: 0.3, pL: 0.5, pR: 0.4, dirL: [1, 0, 0], dirR: [0, 0.6, 0.8] }), // non-collinear
    ];
    const grid = chooseGrid(pts, GRID);
    const cpu = exchangeBilinearsCpu(pts, grid), gpu = await exchangeBilinearsWebGpu(be.gpu!, pts, grid);
    for (let i = 0; i < pts.length; i++) {
      const J: [number, number] = [pts[i].J1, pts[i].J2];
      const a = exchangeFromBilinears(cpu, i * BILINEAR_FLOATS, J), b = exchangeFromBilinears(gpu, i * BILINEAR_FLOATS, J);
      const scale = Math.max(...a.map(x => maxAbs(x.C)));
      for (let blk = 0; blk < 4; blk++) {
        for (let k = 0; k < 9; k++) {
          expect(Math.abs(a[blk].C[k] - b[blk].C[k])).toBeLessThan(1e-5 * scale);
          expect(Math.abs(a[blk].paperI.re[k] - b[blk].paperI.re[k])).toBeLessThan(1e-5 * scale);
        }
        expect(Math.abs(a[blk].paperJ[0] - b[blk].paperJ[0])).toBeLessThan(1e-5 * scale);
      }
    }
  });
});

describe('Keldysh exchange: principal value', () => {
  it('FFT alternate-point rule agrees with the direct double sum on a half-step offset grid, better as the grid grows', () => {
    // Broad resonances and warm leads keep the O(N²) sum small. The two rules differ by their
    // discretisation and truncation errors (the FFT route takes K^> − K^< analytically, the offset
    // grid truncates both), so the gap must shrink as window and step improve:
    // measured 8.3e-5 (window 12 meV, step divisor 2) → 3.5e-6 (window 36 meV, divisor 4) of max|C|.
    const p = junction({ GammaL: 1, GammaR: 1, TL: 20, dT: 10, V: 1.5, mu: -0.5, pL: 0.7, pR: -0.3 });
    const gap = (window: number, stepDivisor: number) => {
      const grid = chooseGrid([p], { window, stepDivisor });
      const a = exchangeFromBilinears(exchangeBilinearsCpu([p], grid), 0, [1, 1]);
      const b = exchangeFromBilinears(exchangeBilinearsOffsetGrid(p, grid), 0, [1, 1]);
      const scale = Math.max(...a.map(x => maxAbs(x.C)));
      return Math.max(...a.map((x, blk) => maxAbs(x.C.map((c, k) => c - b[blk].C[k])))) / scale;
    };
    const coarse = gap(12, 2), fine = gap(36, 4);
    expect(coarse).toBeLessThan(1.5e-4);
    expect(fine).toBeLessThan(6e-6);
    expect(fine).toBeLessThan(coarse / 10);
  });

  // Im χ comes only from truncating the window (1.8e-6 of max|χ| at 15 meV; it falls as the window grows).
  it('the static susceptibility comes out real (|Im χ| ≤ 5e-6 max|χ|) in and out of equilibrium', () => {
    for (const p of [junction({ mu: 0.3, pL: 0.5, pR: -0.3 }), junction({ mu: -2, V: 0.8, dT: 1, pL: 0.6, pR: 0.1 })]) {
      const { blocks } = couplings(p);
      const re = Math.max(...blocks.map(b => maxAbs(b.chiPV.re.map((x, k) => x + b.chiDelta.re[k]))));
      for (const b of blocks) for (let k = 0; k < 9; k++) expect(Math.abs(b.chiPV.im[k] + b.chiDelta.im[k])).toBeLessThan(5e-6 * re);
    }
  });
});

describe('Keldysh exchange: symmetries', () => {
  it('at equilibrium the couplings are reciprocal (C₂₁ = C₁₂ᵀ) and the DM vector vanishes, for polarized leads too', () => {
    const { pair } = couplings(junction({ mu: -0.4, pL: 0.6, pR: -0.2 }));
    expect(pair.nonreciprocal).toBeLessThan(1e-10 * Math.abs(pair.Czz));
    expect(Math.abs(pair.Dz)).toBeLessThan(1e-10 * Math.abs(pair.Czz));
  });

  it('unpolarized leads: isotropic coupling, no Ising part and no DM part, even under voltage and thermal bias', () => {
    const { pair } = couplings(junction({ mu: -2, V: 1.2, dT: 2 }));
    expect(Math.abs(pair.Czz - pair.Cxx)).toBeLessThan(1e-12 * Math.abs(pair.Czz));
    expect(Math.abs(pair.Dz)).toBeLessThan(1e-12 * Math.abs(pair.Czz));
    expect(Math.abs(pair.DzNonreciprocal)).toBeLessThan(1e-12 * Math.abs(pair.Czz));
  });

  it('the bias-driven DM part is odd in V and linear at small V; linear in ΔT at small thermal bias', () => {
    const base = { mu: -2, pL: 0.5, pR: -0.3 };
    const d = (o: Partial<JunctionParams>) => couplings(junction({ ...base, ...o })).pair.DzNonreciprocal;
    const plus = d({ V: 0.4 }), minus = d({ V: -0.4 });
    expect(Math.abs(plus)).toBeGreaterThan(1e-6);
    expect(Math.abs(plus + minus)).toBeLessThan(1e-9 * Math.abs(plus));
    // the cubic correction scales like (eV/k_BT)², so 'small' means eV ≪ k_BT = 0.086 meV
    const v1 = d({ V: 0.002 }), v2 = d({ V: 0.004 });
    expect(v2 / v1).toBeCloseTo(2, 3);
    // ΔT enters through f_R's tail exp(−|E − μ|/k_BT_R): the quadratic term is ~|E − μ|/(k_B T²) ≈ 10/K
    // relative here, so 'small' means ΔT ≪ 0.1 K; the deviation from linearity must then shrink ∝ ΔT
    const t1 = d({ dT: 0.001 }), t2 = d({ dT: 0.002 }), t4 = d({ dT: 0.004 });
    expect(Math.abs(t1)).toBeGreaterThan(0);
    expect(Math.abs(t2 / t1 - 2)).toBeLessThan(0.03);
    expect(Math.abs(t4 / t2 - 2)).toBeGreaterThan(1.5 * Math.abs(t2 / t1 - 2));
  });

  it('rotating both lead polarizations rotates the pair tensor (ẑ → x̂)', () => {
    const o = { mu: -1.2, V: 0.3, pL: 0.5, pR: 0.5 };
    const z = couplings(junction({ ...o })).pair.tensor, x = couplings(junction({ ...o, dirL: [1, 0, 0], dirR: [1, 0, 0] })).pair.tensor;
    // R: z → x, x → y, y → z (cyclic); T_x = R T_z Rᵀ, i.e. T_x[σ(a)][σ(b)] = T_z[a][b]
    const sigma = [1, 2, 0], scale = maxAbs(z);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(Math.abs(x[3 * sigma[a] + sigma[b]] - z[3 * a + b])).toBeLessThan(1e-9 * scale);
  });
});

describe("Keldysh exchange: the paper's printed Eq. 5", () => {
  it('Eq. 5a is the in-plane coupling Cxx and (5b)_zz the Ising part Czz − Cxx at equilibrium', () => {
    const { blocks, pair } = couplings(junction({ mu: 0.6, pL: 0.5, pR: 0.5 }));
    expect(Math.abs(blocks[1].paperJ[0] - pair.Cxx)).toBeLessThan(1e-10 * Math.abs(pair.Cxx));
    expect(Math.abs(blocks[1].paperI.re[8] - (pair.Czz - pair.Cxx))).toBeLessThan(1e-8 * Math.abs(pair.Czz));
  });

  it('Eq. 5c as printed does not vanish at equilibrium although the energetics give no DM there (documented typo)', () => {
    const { blocks, pair } = couplings(junction({ mu: 0.5, pL: 0.5, pR: 0.5 }));
    expect(Math.abs(pair.Dz)).toBeLessThan(1e-12);
    expect(Math.abs(blocks[1].paperD.re[2])).toBeGreaterThan(1e-3);
  });
});

describe('closed forms batched on the device', () => {
  it('Eqs. 7–9 and the derived Dz, κ agree with the adaptive float64 forms within 2e-5 of max |Eq. 7|', async () => {
    const be = await webgpuBackend();
    if (!be) return;
    const { closedFormsWebGpu } = await import('../src/kernels/exchange/closedWebgpu.ts');
    const { pairCouplingClosed } = await import('../src/models/junction/closedForms.ts');
    const pts = [junction({ mu: -2, V: 2, pL: 0.5, pR: 0 }), junction({ mu: -1, V: -0.5, dT: 3, pL: 0.5, pR: -0.5 }), junction({ mu: 0.9, pL: 0.5, pR: 0.5 })];
    const dev = await closedFormsWebGpu(be.gpu!, pts, chooseGrid(pts, { window: 50 }));
    const ref = pts.map(p => pairCouplingClosed(p));
    // measured: ≤ 8.6e-6 of max|Eq. 7| over Fig. 2–4 style sweeps (float32 Kahan sums, 2^16-point grid)
    const scale = Math.max(...ref.map(r => Math.abs(r.eq7)));
    ref.forEach((r, i) => {
      for (const [a, b] of [[dev[i].eq7, r.eq7], [dev[i].eq8, r.eq8], [dev[i].eq9, r.eq9], [dev[i].Dz, r.Dz], [dev[i].kappa, r.kappa]]) expect(Math.abs(a - b)).toBeLessThan(2e-5 * scale);
    });
  });
});
