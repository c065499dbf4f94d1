// On-site anisotropy tensor Q per spin (energy −m·Q·m, field 2 Q m) in the LLG core:
//  (a) a uniaxial K along n and the tensor Q = K n nᵀ (K = 0) give the same trajectories (CPU, float64,
//      thermal, 1e-12): same physics through the two code paths, every tensor slot exercised;
//  (b) the WebGPU kernel (float32, compiled with ONSITE_TENSOR) against the float64 CPU twin, step by
//      step, with biaxial and off-diagonal Q, scalar and tensor damping (TOL_M as in llg.twin.test.ts);
//  (c) Boltzmann equilibrium of a biaxial macrospin (easy z, hard x): ⟨m_z²⟩, ⟨m_x²⟩ against a 2-D
//      quadrature on the sphere, to 3 standard errors (CPU);
//  (d) bad input names anisotropyTensor; the default (Q = 0) compiles the shader without the term.
// Also: when the noise-induced drift of tensor damping (cpu.ts) is switched on (its physics check is the
// nonlocal-damping Boltzmann test in llg.physics.test.ts).
import { describe, it, expect } from 'vitest';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { heunShader } from '../src/kernels/llg/webgpu.ts';
import { LlgProblem, TENSOR_SLOTS, uniaxialTensor, type LlgPoint, type LlgRunOptions, type SpinSpec } from '../src/llg/index.ts';
import { PAIR_STRIDE, SPIN, SPIN_STRIDE } from '../src/llg/layout.ts';
import { integrate } from '../src/numerics/quadrature.ts';
import { KB } from '../src/numerics/units.ts';
import type { Vec3 } from '../src/numerics/vec3.ts';
import { webgpuBackend } from './gpu.ts';
import { kept, maxAbsDiff, TOL_M } from './compare.ts';

const SEED = Number(process.env.LLG_TEST_SEED ?? 0);

/** Parameter points with one trajectory each: trajectory s = old system s (same noise counters). */
const perSystem = (points: LlgPoint[]) => LlgProblem.fromPoints(points);

/** The on-site tensor Q of spin i of point q as stored in the packed rows (row-major 3×3; the old ens.anisotropyTensor). */
function storedTensor(problem: LlgProblem, q: number, i: number): number[] {
  const o = q * problem.stride + problem.layout.spin(i) + SPIN.tensor, t = new Array<number>(9);
  TENSOR_SLOTS.forEach((k, j) => { t[k] = t[3 * (k % 3) + Math.floor(k / 3)] = problem.rows[o + j]; });
  return t;
}

const add = (...qs: number[][]) => qs[0].map((_, k) => qs.reduce((s, q) => s + q[k], 0));

/** Biaxial, off-diagonal on-site tensor (row-major): easy-ish axis (1, 2, 2), hard axis (1, −1, 0.5), an easy x–y mix. */
function biaxial(scale: number): number[] {
  return add(uniaxialTensor(0.7 * scale, [1, 2, 2]), uniaxialTensor(-0.4 * scale, [1, -1, 0.5]), uniaxialTensor(0.2 * scale, [1, 1, 0]));
}

describe('LLG on-site anisotropy tensor: API and specialisation', () => {
  it('uniaxialTensor, 9- and 6-entry forms, stored slots, hasOnsiteTensor and the shader constant', async () => {
    const n: Vec3 = [1, 2, 2];
    const q = uniaxialTensor(0.9, n);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(q[3 * a + b]).toBeCloseTo(0.9 * n[a] * n[b] / 9, 15);
    // two points (the old two systems) of two spins; spins[q][i] is spin i of point q
    const build = (spins: SpinSpec[][]) => perSystem(spins.map(sp => ({ temperature: 0, spins: sp })));
    const ens = build([[{}, {}], [{}, {}]]);
    expect(ens.features().onsiteTensor).toBe(false);
    // the 6 tensor slots are contiguous inside the spin row (the row goes on with init and side since v2)
    expect(SPIN.init).toBe(SPIN.tensor + 6);
    expect(SPIN_STRIDE).toBeGreaterThanOrEqual(SPIN.tensor + 6);
    // the default kernel has no on-site term, and the slot offsets reach the shader from SPIN
    const plain = await heunShader(ens);
    expect(plain).toContain('const ONSITE_TENSOR: bool = false;');
    expect(plain).toContain(`const SLOT_TENSOR: u32 = ${SPIN.tensor}u;`);
    expect(plain).toContain(`const SLOT_TORQUE_AXIS: u32 = ${SPIN.torqueAxis}u;`);
    expect(plain).toContain(`const SLOT_STRIDE: u32 = ${SPIN_STRIDE}u;`);
    const Q = biaxial(1);
    const withQ = build([[{}, {}], [{}, { anisotropyTensor: Q }]]);
    expect(withQ.features().onsiteTensor).toBe(true);
    expect(await heunShader(withQ)).toContain('const ONSITE_TENSOR: bool = true;');
    expect(maxAbsDiff(storedTensor(withQ, 1, 1), Q)).toBe(0);
    // 6-entry form: xx, yy, zz, xy, xz, yz
    const both = build([[{ anisotropyTensor: TENSOR_SLOTS.map(k => Q[k]) }, {}], [{}, { anisotropyTensor: Q }]]);
    expect(maxAbsDiff(storedTensor(both, 0, 0), Q)).toBe(0);
    const o00 = both.layout.spin(0) + SPIN.tensor;
    expect(Array.from(both.rows.subarray(o00, o00 + 6))).toEqual([Q[0], Q[4], Q[8], Q[1], Q[2], Q[5]]);
    // a zero tensor (9- or 6-entry) does not specialise the kernel
    expect(build([[{ anisotropyTensor: new Array(9).fill(0) }, {}], [{}, { anisotropyTensor: [0, 0, 0, 0, 0, 0] }]]).features().onsiteTensor).toBe(false);
    // host memory (no estimateHostBytes since v2: parameters are stored once per point): the packed row of
    // a point holds SPIN_STRIDE slots per spin (the 6 tensor slots included) and its pairs, nothing per trajectory
    expect(ens.stride).toBe(2 * SPIN_STRIDE + PAIR_STRIDE);
    expect(LlgProblem.fromPoints([{ temperature: 0, spins: [{}, {}] }], { trajectoriesPerPoint: 1000 }).rows.length).toBe(ens.stride);
  });

  it('(d) rejects a non-symmetric, non-finite or wrong-length tensor, naming anisotropyTensor', () => {
    /** One macrospin point with the given spin (the old e().setSpin(0, 0, spin)). */
    const e = (spin: SpinSpec) => LlgProblem.fromPoints([{ temperature: 0, spins: [spin] }]);
    expect(() => e({ anisotropyTensor: [1, 0.2, 0, 0.1, 1, 0, 0, 0, 1] })).toThrow(/anisotropyTensor must be symmetric/);
    expect(() => e({ anisotropyTensor: [1, 0, 0, 0, NaN, 0, 0, 0, 1] })).toThrow(/anisotropyTensor.*finite/);
    expect(() => e({ anisotropyTensor: [1, 0, Infinity, 0, 1, 0] })).toThrow(/anisotropyTensor.*finite/);
    expect(() => e({ anisotropyTensor: [1, 0, 0] })).toThrow(/anisotropyTensor.*9 entries/);
    expect(() => e({ anisotropyTensor: 3 as unknown as number[] })).toThrow(/anisotropyTensor/);
    expect(() => uniaxialTensor(1, [0, 0, 0])).toThrow(/axis/);
    expect(() => uniaxialTensor(NaN, [0, 0, 1])).toThrow(/K/);
    // rounding-level asymmetry (e.g. a tensor summed in different orders) is accepted and symmetrised
    const ens = e({ anisotropyTensor: [1, 0.3, 0, 0.3 + 1e-16, 1, 0, 0, 0, 1] });
    expect(storedTensor(ens, 0, 0)[1]).toBe(storedTensor(ens, 0, 0)[3]);
  });
});

describe('LLG on-site anisotropy tensor: dynamics', () => {
  it('(a) uniaxial K along n ≡ tensor Q = K n nᵀ with K = 0 (CPU, thermal, 1e-12)', () => {
    const N = 4, K = 2;
    const axes: Vec3[][] = [[[0.3, -0.5, 1], [1, 1, 0.2]], [[0, 0, 1], [1, 0, 0]], [[-1, 2, 0.5], [0.1, 0.2, -1]], [[1, 1, 1], [0, 1, 0]]];
    const Ks = [[0.8, -0.3], [0.5, 0.6], [-0.4, 1.1], [1.2, 0.2]];
    const uniPts: LlgPoint[] = [], tenPts: LlgPoint[] = [];
    for (let s = 0; s < N; s++) {
      const uniSpins: SpinSpec[] = [], tenSpins: SpinSpec[] = [];
      for (let i = 0; i < K; i++) {
        const common = { field: [0.05 * i, 0.1, 0.2 - 0.05 * s] as Vec3, S: 1 + 0.5 * i, alpha: 0.1 + 0.1 * i, init: [0.3, 0.2 * i, 1 - 2 * i] as Vec3 };
        uniSpins.push({ ...common, anisotropy: Ks[s][i], easyAxis: axes[s][i] });
        // same switching axis, no uniaxial term: the tensor carries it
        tenSpins.push({ ...common, anisotropy: 0, easyAxis: axes[s][i], anisotropyTensor: uniaxialTensor(Ks[s][i], axes[s][i]) });
      }
      const couplings = [{ i: 0, j: 1, J: 0.4, D: [0, 0.1, 0] }];
      uniPts.push({ temperature: 4 + 3 * s, spins: uniSpins, couplings });
      tenPts.push({ temperature: 4 + 3 * s, spins: tenSpins, couplings });
    }
    const uni = perSystem(uniPts), ten = perSystem(tenPts);
    const opts = { dt: 0.01, steps: 400, averageFrom: 0.5, seed: 13, record: { systems: N, stride: 1 }, keepTrajectories: true };
    const a = runLlgCpu(uni, opts), b = runLlgCpu(ten, opts);
    const d = maxAbsDiff(a.record!.m, b.record!.m);
    let moved = 0;
    const S = a.record!.times.length, n = 3 * K;
    for (let s = 0; s < N; s++) for (let t = 0; t < S; t++) for (let k = 0; k < n; k++) moved = Math.max(moved, Math.abs(a.record!.m[(s * S + t) * n + k] - a.record!.m[s * S * n + k]));
    console.log(`uniaxial vs tensor (CPU): max |Δm| = ${d.toExponential(2)} over ${opts.steps} steps (max excursion ${moved.toFixed(2)})`);
    expect(moved).toBeGreaterThan(0.5);
    expect(d).toBeLessThan(1e-12);
    expect(Array.from(kept(b).switched)).toEqual(Array.from(kept(a).switched));
    // and the tensor is not a no-op: without it the trajectories differ at O(1)
    const none = perSystem(Array.from({ length: N }, (_, s) => ({
      temperature: 4 + 3 * s,
      spins: Array.from({ length: K }, (_, i) => ({ field: [0.05 * i, 0.1, 0.2 - 0.05 * s], S: 1 + 0.5 * i, alpha: 0.1 + 0.1 * i, init: [0.3, 0.2 * i, 1 - 2 * i], easyAxis: axes[s][i] })),
      couplings: [{ i: 0, j: 1, J: 0.4, D: [0, 0.1, 0] }],
    })));
    expect(maxAbsDiff(runLlgCpu(none, opts).record!.m, a.record!.m)).toBeGreaterThan(0.1);
  });

  for (const tensorDamping of [false, true]) {
    it(`(b) WebGPU vs CPU twin, step by step, biaxial off-diagonal Q, ${tensorDamping ? 'nonlocal tensor' : 'scalar'} damping`, async (ctx) => {
      const b = await webgpuBackend(); if (!b) return ctx.skip();
      const N = 8, K = 2;
      const points: LlgPoint[] = [];
      for (let s = 0; s < N; s++) {
        const pt: LlgPoint = {
          temperature: 3 + 2 * s,
          spins: [
            { field: [0, 0.1, 0.2], anisotropy: 0.3, easyAxis: [0, 0, 1], anisotropyTensor: biaxial(1 + 0.1 * s), S: 1, init: [0.4, 0.1, 1], ...(tensorDamping ? {} : { alpha: 0.15 }) },
            { field: [0.1, 0, 0], anisotropyTensor: add(uniaxialTensor(-0.5, [1, 0, 0]), uniaxialTensor(1, [0, 0, 1])), S: 1.5, init: [1, 0.2, -0.3], ...(tensorDamping ? {} : { alpha: 0.3 }) },
          ],
          couplings: [{ i: 0, j: 1, J: 0.5, D: [0.05, 0, 0.1] }],
        };
        if (tensorDamping) {
          const A = new Array(36).fill(0);
          for (let k = 0; k < 6; k++) A[k * 6 + k] = 0.15 + 0.02 * k;
          for (let k = 0; k < 3; k++) A[k * 6 + 3 + k] = A[(3 + k) * 6 + k] = 0.05;
          pt.damping = A;
        }
        points.push(pt);
      }
      const ens = perSystem(points);
      // 300 steps: float32 rounding (~4e-8 per step) grows chaotically to ~1e-5 in the hottest systems by 400
      const opts: LlgRunOptions = { dt: 0.01, steps: tensorDamping ? 200 : 300, averageFrom: 0.5, seed: 17, record: { systems: N, stride: 1 }, keepTrajectories: true };
      const cpu = runLlgCpu(ens, opts), gpu = await b.run(llgKernel, ens, opts);
      expect(gpu.backend).toBe('webgpu');
      const traj = maxAbsDiff(cpu.record!.m, gpu.record!.m), fin = maxAbsDiff(kept(cpu).finalM, kept(gpu).finalM), mean = maxAbsDiff(kept(cpu).meanM, kept(gpu).meanM);
      const S = cpu.record!.times.length, n = 3 * K;
      let moved = 0;
      for (let s = 0; s < N; s++) for (let t = 0; t < S; t++) for (let k = 0; k < n; k++) moved = Math.max(moved, Math.abs(cpu.record!.m[(s * S + t) * n + k] - cpu.record!.m[s * S * n + k]));
      console.log(`twin on-site tensor (${tensorDamping ? 'tensor' : 'scalar'} damping): traj ${traj.toExponential(2)}, final ${fin.toExponential(2)}, mean ${mean.toExponential(2)} (max excursion ${moved.toFixed(2)})`);
      expect(moved).toBeGreaterThan(0.5);
      expect(traj).toBeLessThan(TOL_M);
      expect(fin).toBeLessThan(TOL_M);
      expect(mean).toBeLessThan(TOL_M);
    });
  }
});

/**
 * Exact Boltzmann ⟨m_a m_b⟩ (a, b = 0, 1, 2) for E(m) = −m·Q·m at temperature T, uniform measure on
 * the sphere: adaptive Gauss–Kronrod in u = cos θ, trapezoid in φ (periodic, spectrally accurate).
 */
function boltzmannSecondMoments(Q: number[], T: number): number[] {
  const beta = 1 / (KB * T), NPHI = 256;
  const cs = Array.from({ length: NPHI }, (_, k) => Math.cos(2 * Math.PI * k / NPHI)), sn = cs.map((_, k) => Math.sin(2 * Math.PI * k / NPHI));
  let eMax = -Infinity;  // shift by the largest −E/k_BT on a coarse grid (overflow-safe)
  for (let u = -1; u <= 1; u += 0.01) for (let k = 0; k < NPHI; k++) {
    const r = Math.sqrt(Math.max(0, 1 - u * u)), m = [r * cs[k], r * sn[k], u];
    let e = 0; for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) e += m[a] * Q[3 * a + b] * m[b];
    eMax = Math.max(eMax, beta * e);
  }
  const moment = (a: number, b: number) => (u: number) => {
    const r = Math.sqrt(Math.max(0, 1 - u * u));
    let s = 0;
    for (let k = 0; k < NPHI; k++) {
      const m = [r * cs[k], r * sn[k], u];
      let e = 0; for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) e += m[x] * Q[3 * x + y] * m[y];
      s += Math.exp(beta * e - eMax) * (a < 0 ? 1 : m[a] * m[b]);
    }
    return s / NPHI;
  };
  const opts = { absTol: 1e-13, relTol: 1e-11 };  // weights ≤ 1 after the shift; off-diagonal moments may vanish
  const Z = integrate(moment(-1, -1), -1, 1, opts).value;
  const out: number[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) out.push(integrate(moment(a, b), -1, 1, opts).value / Z);
  return out;
}

describe('LLG on-site anisotropy tensor: Boltzmann equilibrium (cpu)', () => {
  it('(c) biaxial macrospin (easy z, hard x): ⟨m_z²⟩, ⟨m_x²⟩ = exact quadrature on the sphere', () => {
    // Q = diag(−0.5, 0, 1) meV (E = 0.5 m_x² − m_z²), T = 12 K (k_BT = 1.03 meV), α = 0.5, init +z.
    // The exact moments are far from the T = 0 values (m_z² = 1, m_x² = 0). Stochastic Heun's weak O(dt)
    // bias at dt = 0.005 (cf. the macrospin check in llg.physics.test.ts) is well below the SE.
    const N = 1024, T = 12, dt = 0.005, duration = 25, burnIn = 5, stride = 10;
    const Q = add(uniaxialTensor(1, [0, 0, 1]), uniaxialTensor(-0.5, [1, 0, 0]));
    expect(Q).toEqual([-0.5, 0, 0, 0, 0, 0, 0, 0, 1]);
    const exact = boltzmannSecondMoments(Q, T);
    // sanity of the quadrature: trace 1, and Q = 0 gives 1/3
    expect(exact[0] + exact[4] + exact[8]).toBeCloseTo(1, 10);
    expect(boltzmannSecondMoments(new Array(9).fill(0), T)[8]).toBeCloseTo(1 / 3, 10);
    // N identical systems: one point, N trajectories (trajectory s = old system s, same noise)
    const ens = LlgProblem.fromPoints([{ temperature: T, spins: [{ anisotropyTensor: Q, alpha: 0.5, init: [0, 0, 1] }] }], { trajectoriesPerPoint: N });
    const res = runLlgCpu(ens, { dt, steps: Math.round(duration / dt), averageFrom: burnIn, seed: 606 + SEED, record: { systems: N, stride } });
    const rec = res.record!, nT = rec.times.length;
    for (const [a, t0, label] of [[2, 1, 'm_z²'], [0, 0, 'm_x²']] as const) {
      const v = new Float64Array(N);
      for (let s = 0; s < N; s++) {
        let acc = 0, c = 0;
        for (let t = 0; t < nT; t++) if (rec.times[t] > burnIn) { acc += rec.m[(s * nT + t) * 3 + a] ** 2; c++; }
        v[s] = acc / c;
      }
      let mean = 0; for (const x of v) mean += x / N;
      let q = 0; for (const x of v) q += (x - mean) ** 2;
      const se = Math.sqrt(q / (N - 1) / N), want = exact[4 * a];
      console.log(`biaxial macrospin ⟨${label}⟩ cpu (N=${N}, dt=${dt}): ${mean.toFixed(5)} ± ${se.toFixed(5)} (exact ${want.toFixed(5)}, ${((mean - want) / se).toFixed(2)} SE; T=0 value ${t0})`);
      expect(se).toBeGreaterThan(0);
      expect(se).toBeLessThan(0.01);
      expect(Math.abs(want - t0)).toBeGreaterThan(30 * se);
      expect(Math.abs(mean - want)).toBeLessThan(3 * se);
    }
  });
});

describe('LLG tensor damping: noise-induced drift switch', () => {
  it('on for FDT noise at T > 0 with nonlocal or anisotropic local damping; off for α_i·1 per spin, T = 0, explicit covariance', async () => {
    const diag = (a: number[]) => { const d = a.length, m = new Array(d * d).fill(0); a.forEach((v, k) => { m[k * d + k] = v; }); return m; };
    const perSpin = diag([0.2, 0.2, 0.2, 0.5, 0.5, 0.5]);
    const nonlocal = perSpin.slice(); for (let k = 0; k < 3; k++) nonlocal[k * 6 + 3 + k] = nonlocal[(3 + k) * 6 + k] = 0.1;
    const anisotropic = perSpin.slice(); anisotropic[0] = 0.3;
    // point 0: damping A at temperature T (optionally an explicit covariance); point 1: per-spin α_i·1 at 5 K
    const make = (A: number[], T: number, noiseCovariance?: number[]) => perSystem([
      { temperature: T, spins: [{}, {}], damping: A, ...(noiseCovariance ? { noiseCovariance } : {}) },
      { temperature: 5, spins: [{}, {}], damping: perSpin },
    ]);
    expect(make(perSpin, 5).features().drift).toBe(false);
    expect(make(nonlocal, 0).features().drift).toBe(false);
    expect(make(nonlocal, 5).features().drift).toBe(true);
    expect(make(anisotropic, 5).features().drift).toBe(true);
    expect(make(nonlocal, 5, diag([0.01, 0.01, 0.01, 0.01, 0.01, 0.01])).features().drift).toBe(false);
    expect(perSystem([{ temperature: 0, spins: [{}, {}] }]).features().drift).toBe(false);
    // packed k_BT slot: k_BT where needed, 0 in the per-spin-scalar system; the kernel is specialised
    const e = make(nonlocal, 5), p = e.packForRun(0.01);
    expect(p[e.layout.driftKT]).toBeCloseTo(5 * 0.08617333262, 14);
    expect(p[e.stride + e.layout.driftKT]).toBe(0);
    expect(await heunShader(e)).toContain('const DRIFT: bool = true;');
    expect(await heunShader(make(perSpin, 5))).toContain('const DRIFT: bool = false;');
  });
});
