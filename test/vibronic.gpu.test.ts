// The WGSL spin-pair ED kernels (float32) against their float64 CPU twin, and the device's batching.
//
// Tolerance (MOMENT_TOLERANCE in src/runs/vibronicMoment.ts): moments within 2e-5 ħ at T ≥ 3 K and 1e-4 ħ at
// T = 0.5 K for S ≤ 5/2, |J|, |α| ≤ 2 meV (measured on llvmpipe: ≤ 1.1e-5 at 3 K, ≤ 3.9e-5 at 0.5 K, both at
// S = 5/2; at T = 0 away from crossings the total within 1e-5, ⟨S1^z⟩ within 3e-4: eigenvector rounding ~ε‖H‖/gap); ground energies within 2e-6 of the spectral scale. The error is float32 rounding of the eigenvalues
// (~ε ‖H‖) seen through the Boltzmann weights (÷ k_BT). A wrong matrix element, sign, slot or a missed block
// gives O(0.01–1) differences. At T = 0 the moment jumps at level crossings; only points with an unambiguous
// ground manifold are compared there.
import { describe, it, expect } from 'vitest';
import { webgpuBackend } from './gpu.ts';
import { pairBatchCpu } from '../src/kernels/vibronic/cpu.ts';
import { pairEdKernel } from '../src/kernels/vibronic/index.ts';
import { POINTS_PER_DISPATCH } from '../src/kernels/vibronic/webgpu.ts';
import { BLOCK_MAX_SPIN, LOOP_BUDGET, POINT_STRIDE, RESULT_STRIDE, blockLoopIterations, pointRow } from '../src/kernels/vibronic/layout.ts';
import { kPair, spinDim } from '../src/models/vibronic/hamiltonian.ts';
import { pairSpectrum, DEGENERACY_TOL } from '../src/models/vibronic/spectrum.ts';
import { MOMENT_TOLERANCE } from '../src/runs/vibronicMoment.ts';

const SPINS = [0.5, 1, 1.5, 2, 2.5];
const TOL = MOMENT_TOLERANCE.webgpu;

/** Quasi-random H_k rows: J, α ∈ [−2, 2] meV, D ∈ [−0.25, 0.25] meV, alternating field placement. */
function rows(S: number, n: number, T: number, rhombic = 0) {
  const r = new Float64Array(n * POINT_STRIDE), hs = [];
  for (let i = 0; i < n; i++) {
    const h = kPair({ S, J: -2 + 4 * ((i * 0.618034) % 1), alpha: -2 + 4 * ((i * 0.7548777 + 0.3) % 1), fieldOn: i % 2 ? 'both' : 'first', axial: 0.5 * (((i * 0.5698403) % 1) - 0.5), rhombic });
    hs.push(h);
    pointRow(h, T, r, i * POINT_STRIDE);
  }
  return { rows: r, hs };
}

function compare(c: Float64Array, g: Float64Array, n: number, pick: (i: number) => boolean = () => true) {
  let moment = 0, energy = 0, scale = 0;
  for (let i = 0; i < n; i++) {
    if (!pick(i)) continue;
    for (let k = 0; k < 2; k++) moment = Math.max(moment, Math.abs(c[i * RESULT_STRIDE + k] - g[i * RESULT_STRIDE + k]));
    energy = Math.max(energy, Math.abs(c[i * RESULT_STRIDE + 2] - g[i * RESULT_STRIDE + 2]));
    scale = Math.max(scale, Math.abs(c[i * RESULT_STRIDE + 2]));
  }
  return { moment, energy, scale };
}

describe('vibronic ED kernel: layout and budget (no device needed)', () => {
  it('every spin up to BLOCK_MAX_SPIN = 5 stays within the loop budget, below llvmpipe\'s 65535; one dispatch takes ≥ 10⁶ points', () => {
    expect(BLOCK_MAX_SPIN).toBe(5);
    expect(blockLoopIterations(BLOCK_MAX_SPIN)).toBeLessThanOrEqual(LOOP_BUDGET);
    expect(LOOP_BUDGET).toBeLessThan(65535);
    expect(POINTS_PER_DISPATCH).toBeGreaterThanOrEqual(1e6);
  });
});

describe('vibronic ED kernel: webgpu against the float64 twin', () => {
  it('M-block path, S = 1/2 … 5/2, T = 0.5 … 300 K: moments, ground energies and spectra', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    for (const S of SPINS) for (const T of [0.5, 3, 30, 300]) {
      const { rows: r } = rows(S, 3000, T);
      const c = pairBatchCpu({ S, rows: r, spectrum: true }), g = await gpu.run(pairEdKernel, { S, rows: r, spectrum: true });
      expect(g.path).toBe('blocks');
      const d = compare(c.results, g.results, 3000);
      expect(d.moment, `S = ${S}, T = ${T} K`).toBeLessThanOrEqual(T >= 3 ? TOL.momentAbsolute['T >= 3 K'] : TOL.momentAbsolute['T >= 0.5 K']);
      expect(d.energy).toBeLessThanOrEqual(TOL.groundEnergyRelative * d.scale);
      let ds = 0;
      for (let k = 0; k < c.spectrum!.length; k++) ds = Math.max(ds, Math.abs(c.spectrum![k] - g.spectrum![k]));
      expect(ds).toBeLessThanOrEqual(TOL.groundEnergyRelative * d.scale * 2);
      // not vacuous: the moments span a real range
      let span = 0;
      for (let i = 0; i < 3000; i++) span = Math.max(span, Math.abs(c.results[i * RESULT_STRIDE] + c.results[i * RESULT_STRIDE + 1]));
      expect(span).toBeGreaterThan(T <= 3 ? S : 0.01);
      for (let i = 0; i < 3000; i++) expect(g.results[i * RESULT_STRIDE + 3]).toBeGreaterThanOrEqual(0); // no loop-cap flag
    }
  }, 300_000);

  it('T = 0: the ground-state moments agree wherever the ground manifold is unambiguous', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    for (const S of SPINS) {
      const { rows: r, hs } = rows(S, 2000, 0);
      const c = pairBatchCpu({ S, rows: r }), g = await gpu.run(pairEdKernel, { S, rows: r });
      // levels either degenerate with E0 (< 1e-7 W) or clearly above the T = 0 window (> 1e-3 W)
      const clean = hs.map(h => {
        const e = pairSpectrum(h).energies, W = e[e.length - 1] - e[0];
        return Array.from(e).every(x => x - e[0] < 1e-7 * W || x - e[0] > Math.max(1e-3, 100 * DEGENERACY_TOL) * W);
      });
      expect(clean.filter(Boolean).length).toBeGreaterThan(1500);
      // the total moment only counts the ground manifold; ⟨S1^z⟩, ⟨S2^z⟩ also carry eigenvector rounding (~ε‖H‖/gap)
      let total = 0;
      for (let i = 0; i < 2000; i++) if (clean[i]) total = Math.max(total, Math.abs(c.results[i * RESULT_STRIDE] + c.results[i * RESULT_STRIDE + 1] - g.results[i * RESULT_STRIDE] - g.results[i * RESULT_STRIDE + 1]));
      expect(total, `S = ${S}`).toBeLessThan(TOL.momentAbsolute['T = 0, total']);
      expect(compare(c.results, g.results, 2000, i => clean[i]).moment, `S = ${S}`).toBeLessThan(TOL.momentAbsolute['T = 0, per spin']);
    }
  }, 120_000);

  it('dense path (rhombic term, S^z not conserved), S = 1/2 … 5/2; on a conserving H it equals the block path', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    for (const S of SPINS) {
      const n = S >= 2 ? 48 : 160;
      const { rows: r } = rows(S, n, 3, 0.3);
      const c = pairBatchCpu({ S, rows: r, spectrum: true }), g = await gpu.run(pairEdKernel, { S, rows: r, spectrum: true });
      expect(g.path).toBe('dense');
      const d = compare(c.results, g.results, n);
      expect(d.moment, `S = ${S}`).toBeLessThanOrEqual(TOL.momentAbsolute['T >= 3 K']);
      expect(d.energy).toBeLessThanOrEqual(TOL.groundEnergyRelative * d.scale);
      // the rhombic term matters (S ≥ 1): same rows without it differ
      if (S >= 1) {
        const { rows: r0 } = rows(S, n, 3, 0);
        expect(compare(c.results, pairBatchCpu({ S, rows: r0 }).results, n).moment).toBeGreaterThan(1e-3);
      }
      const { rows: rc } = rows(S, n, 3, 0);
      const gd = await gpu.run(pairEdKernel, { S, rows: rc, path: 'dense' }), gb = await gpu.run(pairEdKernel, { S, rows: rc });
      expect(gd.path).toBe('dense');
      expect(compare(gb.results, gd.results, n).moment).toBeLessThanOrEqual(TOL.momentAbsolute['T >= 3 K']);
    }
  }, 300_000);

  it('2²⁰ points of S = 1/2 in one dispatch, every 997th checked against the twin', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    const n = 1 << 20, { rows: r } = rows(0.5, n, 3);
    const g = await gpu.run(pairEdKernel, { S: 0.5, rows: r });
    expect(g.dispatches).toBe(1);
    expect(g.count).toBe(n);
    const idx = Array.from({ length: Math.floor(n / 997) }, (_, k) => k * 997);
    const sub = new Float64Array(idx.length * POINT_STRIDE);
    idx.forEach((i, k) => sub.set(r.subarray(i * POINT_STRIDE, (i + 1) * POINT_STRIDE), k * POINT_STRIDE));
    const c = pairBatchCpu({ S: 0.5, rows: sub });
    let worst = 0;
    idx.forEach((i, k) => { for (let q = 0; q < 2; q++) worst = Math.max(worst, Math.abs(c.results[k * RESULT_STRIDE + q] - g.results[i * RESULT_STRIDE + q])); });
    expect(worst).toBeLessThanOrEqual(TOL.momentAbsolute['T >= 3 K']);
  }, 120_000);

  it('spins beyond the kernels\' budgets are refused with a message that points to --backend cpu', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    const S = BLOCK_MAX_SPIN + 0.5, r = new Float64Array(POINT_STRIDE);
    pointRow(kPair({ S, J: 1, alpha: 0.1 }), 3, r);
    await expect(gpu.run(pairEdKernel, { S, rows: r })).rejects.toThrow(/S = 11\/2 exceeds S ≤ 5 .*--backend cpu/);
    expect(spinDim(S)).toBe(12);
  });
});
