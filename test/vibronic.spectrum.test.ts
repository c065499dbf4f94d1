// Seed 003 spin pairs on the float64 path: spin operators, the operator content of H (dense matrix against
// Kronecker products of the spin matrices), known spectra (Heisenberg dimer, Zeeman limits), eigenvector
// orthonormality, S^z conservation (M blocks = dense), thermal limits, and the paper's closed forms side by
// side with exact diagonalization (Eq. 2, the H_k spectrum, Eq. 5, Eq. 7): what they solve and what not.
import { describe, it, expect } from 'vitest';
import { identity, kron, matMul, parseSpin, spinOperators, spinLabel, MAX_SPIN } from '../src/models/vibronic/spin.ts';
import { conservesSz, denseMatrix, dimerEq1, kPair, mBlocks, pairHamiltonian, spinDim, type PairHamiltonian } from '../src/models/vibronic/hamiltonian.ts';
import { pairSpectrum, thermalMoments } from '../src/models/vibronic/spectrum.ts';
import { jacobiEigen } from '../src/numerics/jacobi.ts';
import {
  eq2Corrected, eq2List, eq2Printed, eq2PrintedSolves, eq5Printed, eq7MeanDisplacement, kPairPrintedSolves, kPairSpectrumPrinted,
  spinHalfMoment, spinHalfMoment1, spinHalfSpectrum,
} from '../src/models/vibronic/closedForms.ts';
import { anharmonicMeanDisplacement } from '../src/models/vibronic/oscillator.ts';
import { gaussianExchangeK, squareLatticeKClasses } from '../src/models/vibronic/lattice.ts';
import { pairBatchCpu } from '../src/kernels/vibronic/cpu.ts';
import { POINT_STRIDE, RESULT_STRIDE, pointRow } from '../src/kernels/vibronic/layout.ts';
import { KB } from '../src/numerics/units.ts';

const SPINS = [0.5, 1, 1.5, 2, 2.5];
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => { let d = 0; for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i])); return d; };
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);
/** Deterministic pseudo-random numbers in [−1, 1). */
function rng(seed: number) { let s = seed >>> 0; return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 31 - 1; }; }

/** H from Kronecker products of the spin matrices (independent of denseMatrix's element formulas). */
function operatorH(h: PairHamiltonian): Float64Array {
  const o = spinOperators(h.S), n = o.dim, I = identity(n), N = n * n;
  const two = (a: Float64Array, b: Float64Array) => kron(a, n, b, n);
  const sq = (a: Float64Array) => matMul(a, a, n);
  const terms: [number, Float64Array][] = [
    // S1·S2 = S1^x S2^x + S1^y S2^y + S1^z S2^z with S^y = iY: S1^y S2^y = −Y1 Y2
    [h.exchange, two(o.x, o.x)], [-h.exchange, two(o.yOverI, o.yOverI)], [h.exchange + h.exchangeZZ, two(o.z, o.z)],
    [h.field1, two(o.z, I)], [h.field2, two(I, o.z)], [h.axial1, two(sq(o.z), I)], [h.axial2, two(I, sq(o.z))],
    // (S^x)² − (S^y)² = X² + Y²
    [h.rhombic1, two(Float64Array.from(sq(o.x), (v, k) => v + sq(o.yOverI)[k]), I)], [h.rhombic2, two(I, Float64Array.from(sq(o.x), (v, k) => v + sq(o.yOverI)[k]))],
  ];
  const H = new Float64Array(N * N);
  for (const [c, M] of terms) for (let k = 0; k < N * N; k++) H[k] += c * M[k];
  return H;
}

function randomPair(S: number, r: () => number, rhombic = true): PairHamiltonian {
  return pairHamiltonian(S, { exchange: r(), exchangeZZ: 0.3 * r(), field1: r(), field2: 0.5 * r(), axial1: 0.4 * r(), axial2: 0.4 * r(), rhombic1: rhombic ? 0.3 * r() : 0, rhombic2: rhombic ? 0.2 * r() : 0 });
}

describe('spin operators and the operator content of H', () => {
  it('[S^x, S^y] = i S^z and S² = S(S+1) for S = 1/2 … 5/2', () => {
    for (const S of SPINS) {
      const o = spinOperators(S), n = o.dim;
      // [S^x, iY] = i[S^x, Y] = i S^z  ⇔  [S^x, Y] = S^z
      const c = Float64Array.from(matMul(o.x, o.yOverI, n), (v, k) => v - matMul(o.yOverI, o.x, n)[k]);
      expect(maxAbs(c, o.z)).toBeLessThan(1e-13);
      const s2 = Float64Array.from(matMul(o.x, o.x, n), (v, k) => v - matMul(o.yOverI, o.yOverI, n)[k] + matMul(o.z, o.z, n)[k]);
      expect(maxAbs(s2, Float64Array.from(identity(n), v => v * S * (S + 1)))).toBeLessThan(1e-12);
    }
  });

  it('denseMatrix is the real-symmetric operator sum of Kronecker products, every term included', () => {
    const r = rng(3);
    for (const S of SPINS) {
      const h = randomPair(S, r), H = denseMatrix(h), N = spinDim(S) ** 2;
      expect(maxAbs(H, operatorH(h))).toBeLessThan(1e-12);
      for (let i = 0; i < N; i++) for (let j = 0; j < i; j++) expect(H[i * N + j]).toBe(H[j * N + i]);
    }
  });

  it('Eq. 1 maps term by term: −J S1·S2 − Σ S_m^z I_mn S_n^z − Σ h_m S_m^z', () => {
    const p = { S: 1, J: 0.7, I: [0.2, 0.3, -0.1, 0.05] as [number, number, number, number], h: [0.4, -0.3] as [number, number] };
    const h = dimerEq1(p), o = spinOperators(1), n = 3, I = identity(3);
    const zz = kron(o.z, n, o.z, n), z1 = kron(o.z, n, I, n), z2 = kron(I, n, o.z, n);
    const ss = Float64Array.from(kron(o.x, n, o.x, n), (v, k) => v - kron(o.yOverI, n, o.yOverI, n)[k] + zz[k]);
    const z1z1 = matMul(z1, z1, 9), z2z2 = matMul(z2, z2, 9);
    const ref = Float64Array.from(ss, (v, k) => -p.J * v - (p.I[0] * z1z1[k] + (p.I[1] + p.I[2]) * zz[k] + p.I[3] * z2z2[k]) - p.h[0] * z1[k] - p.h[1] * z2[k]);
    expect(maxAbs(denseMatrix(h), ref)).toBeLessThan(1e-13);
  });
});

describe('exact diagonalization against known spectra', () => {
  it('Heisenberg dimer: E = J[S_tot(S_tot+1) − 2S(S+1)]/2 with multiplicity 2S_tot + 1, blocks and dense', () => {
    for (const S of SPINS) for (const J of [1, -0.6]) {
      const want: number[] = [];
      for (let St = 0; St <= 2 * S; St++) for (let k = 0; k < 2 * St + 1; k++) want.push((J * (St * (St + 1) - 2 * S * (S + 1))) / 2);
      const h = kPair({ S, J, alpha: 0 });
      expect(maxAbs(pairSpectrum(h).energies, sorted(want)), `S = ${S}, J = ${J}`).toBeLessThan(1e-12);
      expect(maxAbs(pairSpectrum(h, { dense: true }).energies, sorted(want))).toBeLessThan(1e-12);
    }
  });

  it('Zeeman limits: J = 0 gives α m1 (each (2S+1)-fold) or α(m1 + m2); with J and the field on both, Heisenberg + α M', () => {
    for (const S of SPINS) {
      const ms = Array.from({ length: spinDim(S) }, (_, i) => S - i), a = 0.37, J = 0.8;
      expect(maxAbs(pairSpectrum(kPair({ S, J: 0, alpha: a })).energies, sorted(ms.flatMap(m1 => ms.map(() => a * m1))))).toBeLessThan(1e-13);
      expect(maxAbs(pairSpectrum(kPair({ S, J: 0, alpha: a, fieldOn: 'both' })).energies, sorted(ms.flatMap(m1 => ms.map(m2 => a * (m1 + m2)))))).toBeLessThan(1e-13);
      const want: number[] = [];
      for (let St = 0; St <= 2 * S; St++) for (let M = -St; M <= St; M++) want.push((J * (St * (St + 1) - 2 * S * (S + 1))) / 2 + a * M);
      expect(maxAbs(pairSpectrum(kPair({ S, J, alpha: a, fieldOn: 'both' })).energies, sorted(want))).toBeLessThan(1e-12);
    }
  });

  it('eigenvectors are orthonormal and H V = V Λ (dense, rhombic term, S up to 5/2)', () => {
    const r = rng(7);
    for (const S of SPINS) {
      const H = denseMatrix(randomPair(S, r)), N = spinDim(S) ** 2, e = jacobiEigen(H, N);
      const VtV = new Float64Array(N * N), HV = matMul(H, e.vectors, N);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < N; k++) s += e.vectors[k * N + i] * e.vectors[k * N + j]; VtV[i * N + j] = s; }
      expect(maxAbs(VtV, identity(N)), `S = ${S}`).toBeLessThan(1e-12);
      let res = 0;
      for (let i = 0; i < N; i++) for (let k = 0; k < N; k++) res = Math.max(res, Math.abs(HV[i * N + k] - e.values[k] * e.vectors[i * N + k]));
      expect(res).toBeLessThan(1e-11);
      expect(e.residual).toBeLessThan(1e-14);
    }
  });

  it('S^z conservation: [H, M] = 0 for H_k and Eq. 1, ≠ 0 with a rhombic term; M blocks reproduce the dense spectrum and moments', () => {
    const r = rng(11);
    for (const S of SPINS) {
      const o = spinOperators(S), n = o.dim, I = identity(n), M = Float64Array.from(kron(o.z, n, I, n), (v, k) => v + kron(I, n, o.z, n)[k]), N = n * n;
      const comm = (h: PairHamiltonian) => { const H = denseMatrix(h); return maxAbs(matMul(H, M, N), matMul(M, H, N)); };
      const h = randomPair(S, r, false);
      expect(conservesSz(h)).toBe(true);
      expect(comm(h)).toBeLessThan(1e-12);
      expect(comm(dimerEq1({ S, J: 0.3, I: [0.1, 0.2, 0.3, 0.4], h: [0.5, -0.2] }))).toBeLessThan(1e-12);
      const hr = randomPair(S, r, true);
      expect(conservesSz(hr)).toBe(false);
      if (S > 0.5) expect(comm(hr)).toBeGreaterThan(1e-3); // for S = 1/2, (S^x)² − (S^y)² = 0
      const blocks = mBlocks(h);
      expect(blocks.map(b => b.i1.length)).toEqual(Array.from({ length: 4 * S + 1 }, (_, t) => 2 * S + 1 - Math.abs(2 * S - t)));
      const a = pairSpectrum(h), d = pairSpectrum(h, { dense: true });
      expect(a.path).toBe('blocks');
      expect(maxAbs(a.energies, d.energies)).toBeLessThan(1e-12);
      for (const T of [0.5, 3, 40]) {
        const ta = thermalMoments(a, T), td = thermalMoments(d, T);
        expect(Math.abs(ta.moment1 - td.moment1) + Math.abs(ta.moment2 - td.moment2)).toBeLessThan(1e-10);
      }
    }
  });

  it('the CPU twin kernel equals pairSpectrum + thermalMoments row by row (blocks and dense)', () => {
    const r = rng(5);
    for (const S of [0.5, 1.5, 2]) for (const rh of [false, true]) {
      const hs = Array.from({ length: 20 }, () => randomPair(S, r, rh)), T = hs.map((_, i) => [0, 0.7, 3, 30][i % 4]);
      const rows = new Float64Array(hs.length * POINT_STRIDE);
      hs.forEach((h, i) => pointRow(h, T[i], rows, i * POINT_STRIDE));
      const out = pairBatchCpu({ S, rows, spectrum: true });
      expect(out.path).toBe(rh ? 'dense' : 'blocks');
      hs.forEach((h, i) => {
        const sp = pairSpectrum(h), th = thermalMoments(sp, T[i]);
        expect(Math.abs(out.results[i * RESULT_STRIDE] - th.moment1)).toBeLessThan(1e-10);
        expect(Math.abs(out.results[i * RESULT_STRIDE + 1] - th.moment2)).toBeLessThan(1e-10);
        expect(Math.abs(out.results[i * RESULT_STRIDE + 2] - th.groundEnergy)).toBeLessThan(1e-12);
        expect(maxAbs(out.spectrum!.subarray(i * sp.energies.length, (i + 1) * sp.energies.length), sp.energies)).toBeLessThan(1e-12);
      });
    }
  });
});

describe('thermal limits', () => {
  it('T → ∞: the moment vanishes as 1/T (and exactly at T = ∞)', () => {
    for (const S of SPINS) for (const fieldOn of ['first', 'both'] as const) {
      const sp = pairSpectrum(kPair({ S, J: -0.8, alpha: 0.6, fieldOn, axial: 0.2 }));
      const m1 = thermalMoments(sp, 1e4).moment, m2 = thermalMoments(sp, 1e6).moment;
      expect(Math.abs(m2)).toBeLessThan(2e-3 * S * S);
      expect(m1 / m2).toBeCloseTo(100, 0);
      expect(Math.abs(thermalMoments(sp, Infinity).moment)).toBeLessThan(1e-12);
    }
  });

  it('T → 0: the ground-state moment (FM fully polarized −2S; AFM with the field on one spin stays M = 0; field on both crosses at α = J for S = 1/2)', () => {
    for (const S of SPINS) {
      expect(thermalMoments(pairSpectrum(kPair({ S, J: -1, alpha: 0.3 })), 0).moment).toBeCloseTo(-2 * S, 12);
      expect(thermalMoments(pairSpectrum(kPair({ S, J: -1, alpha: -0.3 })), 0).moment).toBeCloseTo(2 * S, 12);
      for (const a of [0.5, 2, 10]) {
        const gs = pairSpectrum(kPair({ S, J: 1, alpha: a }));
        expect(Math.abs(thermalMoments(gs, 0).moment), `S = ${S}, α = ${a}`).toBeLessThan(1e-12);
        expect(gs.M[0]).toBe(0);
      }
      // the limit is continuous: T = 0.05 K is already the ground state here
      expect(thermalMoments(pairSpectrum(kPair({ S, J: -1, alpha: 0.3 })), 0.05).moment).toBeCloseTo(-2 * S, 6);
      // degenerate ground multiplet (α = 0): equal weights, moment 0
      expect(Math.abs(thermalMoments(pairSpectrum(kPair({ S, J: -1, alpha: 0 })), 0).moment)).toBeLessThan(1e-12);
    }
    expect(thermalMoments(pairSpectrum(kPair({ S: 0.5, J: 1, alpha: 0.99, fieldOn: 'both' })), 0).moment).toBeCloseTo(0, 12);
    expect(thermalMoments(pairSpectrum(kPair({ S: 0.5, J: 1, alpha: 1.01, fieldOn: 'both' })), 0).moment).toBeCloseTo(-1, 12);
  });

  it('the moment is odd in α and ⟨S1^z⟩, ⟨S2^z⟩ swap with the field placement (field on both: equal)', () => {
    for (const S of [0.5, 1, 2]) {
      const p = thermalMoments(pairSpectrum(kPair({ S, J: 0.4, alpha: 0.7 })), 5), m = thermalMoments(pairSpectrum(kPair({ S, J: 0.4, alpha: -0.7 })), 5);
      expect(p.moment + m.moment).toBeCloseTo(0, 12);
      const b = thermalMoments(pairSpectrum(kPair({ S, J: 0.4, alpha: 0.7, fieldOn: 'both' })), 5);
      expect(b.moment1 - b.moment2).toBeCloseTo(0, 12);
    }
  });
});

describe('the paper\'s closed forms side by side with exact diagonalization', () => {
  const eq1 = { S: 0.5, J: -0.7, I: [0.1, 0.3, -0.2, 0.05] as [number, number, number, number], h: [0.4, -0.25] as [number, number] };

  it('Eq. 2: the printed I_− fails ED of Eq. 1 unless I_21 = 0; with I_− = I_+ − (I_12 + I_21)/2 it is exact', () => {
    const ed = pairSpectrum(dimerEq1(eq1)).energies;
    expect(maxAbs(ed, eq2List(eq2Corrected(eq1)))).toBeLessThan(1e-12);
    const printed = eq2List(eq2Printed(eq1));
    expect(maxAbs(ed, printed)).toBeGreaterThan(0.1);
    // the M = ±1 levels (E^(−)_±) agree; the printed M = 0 pair is shifted
    const p = eq2Printed(eq1), c = eq2Corrected(eq1);
    expect(p.Em_plus).toBe(c.Em_plus);
    expect(p.Em_minus).toBe(c.Em_minus);
    // what the printed form solves: Eq. 1 with I_12 + I_21 → I_12 − I_21 (on-site parts re-balanced)
    expect(maxAbs(pairSpectrum(dimerEq1(eq2PrintedSolves(eq1))).energies, printed)).toBeLessThan(1e-12);
    // symmetric I: the printed I_− = I_+, so I = I_+ − I_− used by the text vanishes
    const sym = eq2Printed({ ...eq1, I: [0.1, 0.3, 0.3, 0.05] });
    expect(sym.Iplus - sym.Iminus).toBe(0);
    // limits: singlet 3J/4, triplet −J/4 (Eq. 1 sign: −J S1·S2)
    expect(eq2List(eq2Corrected({ J: 1, I: [0, 0, 0, 0], h: [0, 0] }))).toEqual([-0.25, -0.25, -0.25, 0.75]);
  });

  it('H_k spectrum: the printed (J ± 3α)/4, −J/4 ± Ω/2 (Ω = √(J² + α²)/4) is not H_k\'s (field on one or both spins) but that of an XXZ pair', () => {
    for (const [J, a] of [[1, 0.4], [-0.7, 1.3], [2, -0.5]]) {
      const printed = kPairSpectrumPrinted(J, a);
      const first = pairSpectrum(kPair({ S: 0.5, J, alpha: a })).energies, both = pairSpectrum(kPair({ S: 0.5, J, alpha: a, fieldOn: 'both' })).energies;
      expect(maxAbs(first, spinHalfSpectrum(J, a, 0))).toBeLessThan(1e-12);
      expect(maxAbs(both, spinHalfSpectrum(J, a, a))).toBeLessThan(1e-12);
      expect(maxAbs(first, printed)).toBeGreaterThan(0.05);
      expect(maxAbs(both, printed)).toBeGreaterThan(0.05);
      expect(maxAbs(pairSpectrum(kPairPrintedSolves(J, a)).energies, printed)).toBeLessThan(1e-12);
    }
    // notes' numbers: J = 1, α = 0.4
    expect(Array.from(pairSpectrum(kPair({ S: 0.5, J: 1, alpha: 0.4 })).energies).map(x => +x.toFixed(6))).toEqual([-0.788516, 0.05, 0.288516, 0.45]);
    expect(kPairSpectrumPrinted(1, 0.4).map(x => +x.toFixed(4))).toEqual([-0.3846, -0.1154, -0.05, 0.55]);
    // α → 0: H_k's M = 0 pair is −3J/4, J/4; the printed Ω gives −J/4 ± J/8
    expect(kPairSpectrumPrinted(1, 0).slice(0, 2)).toEqual([-0.375, -0.125]);
  });

  it('Eq. 5 vs ED at T = 3 K (the table of the notes), and Eq. 5 = ED of the XXZ pair at every T', () => {
    const table = [[1, 0.4, -0.0289, -0.0834, -0.1494], [1, 1.2, -0.0661, -0.6797, -0.6429], [-1, 0.2, -0.2470, -0.4675, -0.4592]];
    for (const [J, a, first, both, eq5] of table) {
      expect(thermalMoments(pairSpectrum(kPair({ S: 0.5, J, alpha: a })), 3).moment).toBeCloseTo(first, 4);
      expect(thermalMoments(pairSpectrum(kPair({ S: 0.5, J, alpha: a, fieldOn: 'both' })), 3).moment).toBeCloseTo(both, 4);
      expect(eq5Printed(J, a, 3)).toBeCloseTo(eq5, 4);
    }
    for (const T of [0, 0.3, 3, 30, 300]) for (const [J, a] of [[1, 0.4], [-1, 0.2], [0.5, -2]]) {
      expect(Math.abs(eq5Printed(J, a, T) - thermalMoments(pairSpectrum(kPairPrintedSolves(J, a)), T).moment)).toBeLessThan(1e-12);
      expect(Math.abs(spinHalfMoment(J, a, 0, T) - thermalMoments(pairSpectrum(kPair({ S: 0.5, J, alpha: a })), T).moment)).toBeLessThan(1e-12);
      expect(Math.abs(spinHalfMoment(J, a, a, T) - thermalMoments(pairSpectrum(kPair({ S: 0.5, J, alpha: a, fieldOn: 'both' })), T).moment)).toBeLessThan(1e-12);
      expect(Math.abs(spinHalfMoment1(J, a, 0, T) - thermalMoments(pairSpectrum(kPair({ S: 0.5, J, alpha: a })), T).moment1)).toBeLessThan(1e-12);
    }
    // the literal form overflows at small T; the printed ratio is still evaluated
    expect(Number.isFinite(eq5Printed(2, 1, 0.01))).toBe(true);
    // the claimed crossover 3|α| = J is no level crossing of H_k: with the field on one spin the AFM ground state keeps M = 0
    for (const a of [0.2, 1 / 3, 0.5, 3]) expect(pairSpectrum(kPair({ S: 0.5, J: 1, alpha: a })).M[0]).toBe(0);
  });

  it('Eq. 7 against ED of ω0 a†a + Φ(a + a†)³ at Φ = 1e-3 ω0 (difference O(Φ/ω0))', () => {
    for (const [r, ed] of [[0.2, -0.006082], [1, -0.012988], [3, -0.036372]]) {
      const T = r / KB, x = anharmonicMeanDisplacement(1, 1e-3, T);
      expect(x.meanQ).toBeCloseTo(ed, 5);
      expect(Math.abs(eq7MeanDisplacement(1e-3, 1, T) - x.meanQ) / Math.abs(x.meanQ)).toBeLessThan(2e-3);
      expect(x.highestWeight).toBeLessThan(1e-8);
    }
    // linear in Φ: halving Φ halves ⟨Q⟩ to O(Φ²)
    const a = anharmonicMeanDisplacement(1, 1e-3, 5).meanQ, b = anharmonicMeanDisplacement(1, 5e-4, 5).meanQ;
    expect(a / b).toBeCloseTo(2, 3);
    expect(eq7MeanDisplacement(1e-3, 1, 0)).toBeCloseTo(-6e-3, 15);
  });
});

describe('Fig. 5 lattice and bad input', () => {
  it('Monkhorst–Pack |k| classes: weights sum to 1, k = 0 excluded, 109 distinct |k|² for 32 × 32 (fewer than the 136 symmetry classes: 1² + 7² = 5² + 5²); J_k → −√2π r_S J at k → 0', () => {
    const ks = squareLatticeKClasses(32, 1);
    expect(ks).toHaveLength(109);
    expect(ks.reduce((s, k) => s + k.weight, 0)).toBeCloseTo(1, 14);
    expect(ks[0].k2).toBeGreaterThan(0);
    expect(gaussianExchangeK(2, 1, 0)).toBeCloseTo(-Math.SQRT2 * Math.PI * 2, 14);
    expect(() => squareLatticeKClasses(7, 1)).toThrow(/even/);
  });

  it('S must be a positive half-integer: the error names --S and the range', () => {
    expect(parseSpin('1/2')).toBe(0.5);
    expect(parseSpin('3/2')).toBe(1.5);
    expect(parseSpin('2.5')).toBe(2.5);
    expect(parseSpin(' 1 ')).toBe(1);
    for (const bad of ['0', '-1/2', '0.3', '1/3', 'abc', 'NaN', '', String(MAX_SPIN + 1), 'Infinity']) {
      expect(() => parseSpin(bad), bad).toThrow(RangeError);
      expect(() => parseSpin(bad)).toThrow(/--S must be a positive half-integer S ∈ \{1\/2, 1, 3\/2, …, 10\}/);
    }
    expect(spinLabel(1.5)).toBe('3/2');
    expect(() => pairHamiltonian(0.5, { exchange: NaN })).toThrow(/exchange must be a finite/);
    expect(() => thermalMoments(pairSpectrum(kPair({ S: 1, J: 1, alpha: 0 })), -1)).toThrow(/≥ 0 K/);
    expect(() => pointRow(kPair({ S: 1, J: 1, alpha: 0 }), NaN, new Float64Array(POINT_STRIDE))).toThrow(/finite and ≥ 0 K/);
  });
});
