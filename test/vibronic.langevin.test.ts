// Issue 13, item 6: the LLG core's oscillator coordinate (LlgPoint.oscillator) and the classical spin–lattice
// Langevin model of seed 003 (src/models/vibronic/spinLattice.ts, `nanospin llg vibronic`).
//   (1) the mode alone (A = 0) in equilibrium: ⟨Q⟩, ⟨Q²⟩, ⟨P²⟩ against the classical Boltzmann values (1D quadrature
//       over the metastable well), within 4 standard errors;
//   (2) harmonic (Φ = 0), one spin coupled: the force balance ⟨Q⟩ = −(2/ω0) A ⟨m·e⟩, and the spin is Boltzmann in
//       the effective anisotropy −(A²/ω0)(m·e)² obtained by integrating Q out (checked: 2D quadrature of the joint
//       weight = 1D quadrature with the effective anisotropy; Langevin ⟨m·e⟩, ⟨(m·e)²⟩, ⟨Q⟩, ⟨Q²⟩ against them);
//   (3) ⟨Q⟩(T) against Eq. 7's classical limit −12Φk_BT/ω0² at small Φ (the exact classical value differs at
//       O(Φ²) relative: checked by quadrature), and the two-spin model against its exact classical Boltzmann
//       averages (2D quadrature), where Eq. 7 and the static-field mean-field picture are both off;
//   (4) WebGPU (float32) vs the float64 CPU twin, step by step: m and (Q, P) recorded every step, 1e-4;
//   (5) problems without an oscillator are unchanged: the feature is compiled out (OSCILLATOR = false), and an
//       oscillator coupled to nothing leaves the spins' trajectories bit-identical;
//   plus validation of bad oscillator input and the command's JSON.
// Statistics: every Langevin number is a mean over independent trajectories of a time average (one sample per
// trajectory), with its standard error; "within 4σ" fails by chance with probability 6e-5 per comparison.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { heunShader, runLlgWebGpu, shaderOptions, loopIterationsPerStep } from '../src/kernels/llg/webgpu.ts';
import { LlgProblem, tabulate, type LlgPoint, type LlgResult, type LlgRunOptions } from '../src/llg/index.ts';
import { openBackend, type Backend } from '../src/backends/index.ts';
import { KB } from '../src/numerics/units.ts';
import { integrate } from '../src/numerics/quadrature.ts';
import {
  cubicBarrier, eq7Classical, oscillatorBoltzmann, spinLatticeBoltzmann, spinLatticeModel, spinPairBoltzmann, type SpinLatticeParams,
} from '../src/models/vibronic/spinLattice.ts';
import { runVibronicLangevin } from '../src/runs/vibronicLangevin.ts';
import { llgVibronicCommand } from '../src/cli/vibronicLangevin.ts';
import { UsageError } from '../src/cli/args.ts';
import { webgpuBackend } from './gpu.ts';
import { kept, maxAbsDiff, TOL_M } from './compare.ts';
import { capture as captureCommand } from './cliHarness.ts';

/** The statistical runs: on the device when there is one (the production path), else the float64 twin. */
async function backend(): Promise<Backend> { return (await webgpuBackend()) ?? openBackend('cpu'); }

const within = (x: number, ref: number, se: number, k = 4) => Math.abs(x - ref) <= k * se;

describe('(1) the mode alone in equilibrium', () => {
  it('⟨Q⟩, ⟨Q²⟩, ⟨P²⟩ match the classical Boltzmann averages over the cubic well', async () => {
    const b = await backend();
    // barrier ω0³/(432Φ²) = 20 k_BT: e^{−20} per attempt, no escape in 512 × 100 ps
    const omega0 = 2, T = 23.2, kT = KB * T, Phi = Math.sqrt(omega0 ** 3 / (432 * 20 * kT));
    expect(cubicBarrier(omega0, Phi).height / kT).toBeCloseTo(20, 9);
    const pt: LlgPoint = { temperature: T, spins: [{ pinned: true }], oscillator: { omega0, cubic: Phi, damping: 3 } };
    const problem = LlgProblem.fromPoints([pt], { trajectoriesPerPoint: 512 });
    const r = await b.run(llgKernel, problem, { dt: 0.02, steps: 5500, averageFrom: 10, seed: 11 });
    const st = r.stats, ref = oscillatorBoltzmann(omega0, Phi, T);
    const Q = st.meanQ![0], sQ = st.meanQStderr![0], Q2 = st.meanQ2![0], sQ2 = st.meanQ2Stderr![0], P2 = st.meanP2![0], sP2 = st.meanP2Stderr![0];
    console.log(`(1) ${r.backend}: ⟨Q⟩ ${Q.toFixed(4)} ± ${sQ.toFixed(4)} (Boltzmann ${ref.Q.toFixed(4)}, Eq. 7 classical ${eq7Classical(Phi, omega0, T).toFixed(4)}), ` +
      `⟨Q²⟩ ${Q2.toFixed(4)} ± ${sQ2.toFixed(4)} (${ref.Q2.toFixed(4)}), ⟨P²⟩ ${P2.toFixed(4)} ± ${sP2.toFixed(4)} (${(2 * kT / omega0).toFixed(4)})`);
    expect(st.finite[0]).toBe(512);
    expect(within(Q, ref.Q, sQ)).toBe(true);
    expect(within(Q2, ref.Q2, sQ2)).toBe(true);
    expect(within(P2, (2 * kT) / omega0, sP2)).toBe(true);
    // non-vacuous: the anharmonic shift is resolved (the harmonic ⟨Q⟩ = 0 is excluded), and so is the cubic
    // term's ⟨Q²⟩ excess over 2k_BT/ω0
    expect(Math.abs(Q)).toBeGreaterThan(10 * sQ);
    expect(ref.Q2 - (2 * kT) / omega0).toBeGreaterThan(4 * sQ2);
    expect(ref.cutWeight).toBeLessThan(1e-8);
  });
});

/** ∫∫ dQ du f(Q, u) e^{−β(ω0Q²/4 + A Q u − B u)} over Q ∈ ℝ (±14σ), u = cos θ ∈ [−1, 1]: the joint weight, 2D. */
function joint2D(omega0: number, A: number, B: number, kT: number, f: (Q: number, u: number) => number): number {
  const L = 14 * Math.sqrt((2 * kT) / omega0) + (2 * Math.abs(A)) / omega0, o = { relTol: 1e-11, absTol: 0, maxIntervals: 4000 };
  return integrate(u => integrate(Q => f(Q, u) * Math.exp(-(0.25 * omega0 * Q * Q + A * Q * u - B * u) / kT), -L, L, o).value, -1, 1, o).value;
}

describe('(2) harmonic mode, one spin coupled: force balance and the effective anisotropy −(A²/ω0)(m·e)²', () => {
  it('integrating Q out of the joint weight gives the anisotropy A²/ω0 (quadrature identity)', () => {
    const omega0 = 1.3, A = 0.7, B = 0.2, kT = 0.45, K = (A * A) / omega0;
    const Z2 = joint2D(omega0, A, B, kT, () => 1), u2 = joint2D(omega0, A, B, kT, (_, u) => u * u) / Z2;
    const Qm = joint2D(omega0, A, B, kT, Q => Q) / Z2, u1 = joint2D(omega0, A, B, kT, (_, u) => u) / Z2;
    const w = (u: number) => Math.exp((B * u + K * u * u) / kT), o = { relTol: 1e-12, absTol: 0 };
    const z1 = integrate(w, -1, 1, o).value;
    expect(u2).toBeCloseTo(integrate(u => u * u * w(u), -1, 1, o).value / z1, 10);
    expect(u1).toBeCloseTo(integrate(u => u * w(u), -1, 1, o).value / z1, 10);
    expect(Qm).toBeCloseTo((-2 * A / omega0) * u1, 10);
    // and not the opposite sign (easy plane): the identity distinguishes
    const wr = (u: number) => Math.exp((B * u - K * u * u) / kT);
    expect(Math.abs(u2 - integrate(u => u * u * wr(u), -1, 1, o).value / integrate(wr, -1, 1, o).value)).toBeGreaterThan(0.05);
  });

  it('Langevin: ⟨Q⟩ = −(2/ω0)A⟨m·e⟩, and ⟨m·e⟩, ⟨(m·e)²⟩, ⟨Q⟩, ⟨Q²⟩ are the Boltzmann values of the joint weight', async () => {
    const b = await backend();
    // βA²/ω0 = 1.6: strong effective easy axis (⟨u²⟩ ≈ 0.55 instead of 1/3); a field B along e makes ⟨u⟩ ≠ 0
    const omega0 = 1, A = 0.8, B = 0.25, T = 4.642, kT = KB * T, e = [0, 0.6, 0.8];
    const nodes = 17, u2table = tabulate((u: number) => u * u, nodes);
    const pt: LlgPoint = {
      temperature: T,
      spins: [{ field: e.map(x => B * x), alpha: 0.7, S: 1, torqueAxis: e, readoutTable: u2table, init: e }],
      oscillator: { omega0, cubic: 0, damping: 2, couplings: [{ spin: 0, axis: e, A }] },
    };
    const M = 512, problem = LlgProblem.fromPoints([pt], { trajectoriesPerPoint: M });
    // dt = 0.01 ps: the spins' Heun step is weak order 1 (at dt = 0.02 ps ⟨u²⟩ comes out 0.6 % high, with or without
    // the oscillator); the window starts after ≥ 4 hops between the two hemispheres of the effective easy axis
    const r = await b.run(llgKernel, problem, { dt: 0.01, steps: 12000, averageFrom: 40, seed: 5, keepTrajectories: true, observables: { readout: true } });
    const k = kept(r), o = k.oscillator!;
    // per trajectory: u = m·e time-averaged, and the force-balance residual X = Q̄ + (2A/ω0) ū
    const u = Float64Array.from({ length: M }, (_, t) => k.meanM[3 * t] * e[0] + k.meanM[3 * t + 1] * e[1] + k.meanM[3 * t + 2] * e[2]);
    const X = Float64Array.from(u, (x, t) => o.meanQ[t] + (2 * A / omega0) * x);
    const stat = (a: Float64Array) => { const m = a.reduce((s, x) => s + x, 0) / a.length; return { m, se: Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1) / a.length) }; };
    const su = stat(u), sX = stat(X), sQ = stat(o.meanQ), sQ2 = stat(o.meanQ2);
    const u2 = r.stats.meanReadout![0], su2 = r.stats.meanReadoutStderr![0];
    const Z = joint2D(omega0, A, B, kT, () => 1);
    const ref = { u: joint2D(omega0, A, B, kT, (_, x) => x) / Z, u2: joint2D(omega0, A, B, kT, (_, x) => x * x) / Z, Q: joint2D(omega0, A, B, kT, Q => Q) / Z, Q2: joint2D(omega0, A, B, kT, Q => Q * Q) / Z };
    console.log(`(2) ${r.backend}: ⟨u⟩ ${su.m.toFixed(4)} ± ${su.se.toFixed(4)} (${ref.u.toFixed(4)}), ⟨u²⟩ ${u2.toFixed(4)} ± ${su2.toFixed(4)} (${ref.u2.toFixed(4)}; isotropic 1/3), ` +
      `⟨Q⟩ ${sQ.m.toFixed(4)} ± ${sQ.se.toFixed(4)} (${ref.Q.toFixed(4)}), ⟨Q²⟩ ${sQ2.m.toFixed(4)} ± ${sQ2.se.toFixed(4)} (${ref.Q2.toFixed(4)}), force balance ${sX.m.toExponential(2)} ± ${sX.se.toExponential(2)}`);
    expect(within(sX.m, 0, sX.se)).toBe(true);
    expect(Math.abs(sQ.m)).toBeGreaterThan(20 * sX.se);
    expect(within(su.m, ref.u, su.se)).toBe(true);
    expect(within(u2, ref.u2, su2)).toBe(true);
    expect(within(sQ.m, ref.Q, sQ.se)).toBe(true);
    expect(within(sQ2.m, ref.Q2, sQ2.se)).toBe(true);
    // the effective anisotropy is resolved: ⟨u²⟩ far from the value without it (field B alone)
    const wB = (x: number) => Math.exp(B * x / kT);
    const u2B = integrate(x => x * x * wB(x), -1, 1).value / integrate(wB, -1, 1).value;
    expect(Math.abs(u2 - u2B)).toBeGreaterThan(10 * su2);
  });
});

describe('(3) ⟨Q⟩(T) against Eq. 7\'s classical limit, and the two-spin model against its exact classical averages', () => {
  it('the exact classical ⟨Q⟩ differs from −12Φk_BT/ω0² at relative O(Φ²) (quadrature)', () => {
    const omega0 = 1, T = 20;
    const rel = (Phi: number) => oscillatorBoltzmann(omega0, Phi, T).Q / eq7Classical(Phi, omega0, T) - 1;
    const r1 = rel(0.004), r2 = rel(0.002);
    expect(r1).toBeGreaterThan(0);
    expect(r1 / r2).toBeGreaterThan(3.9);
    expect(r1 / r2).toBeLessThan(4.1);
    // harmonic limit: no shift at all
    expect(Math.abs(oscillatorBoltzmann(omega0, 0, T).Q)).toBeLessThan(1e-14);
  });

  it('Langevin ⟨Q⟩ at three temperatures follows −12Φk_BT/ω0² (the mode alone, A = 0)', async () => {
    const b = await backend();
    const omega0 = 1, Phi = 0.005, temps = [10, 20, 40];
    const M = 768;
    const problem = LlgProblem.fromPoints(temps.map(T => ({ temperature: T, spins: [{ pinned: true }], oscillator: { omega0, cubic: Phi, damping: 1.5 } })), { trajectoriesPerPoint: M });
    const r = await b.run(llgKernel, problem, { dt: 0.025, steps: 6000, averageFrom: 10, seed: 3 });
    temps.forEach((T, q) => {
      const Q = r.stats.meanQ![q], se = r.stats.meanQStderr![q], e7 = eq7Classical(Phi, omega0, T), ex = oscillatorBoltzmann(omega0, Phi, T).Q;
      console.log(`(3) ${r.backend} T = ${T} K: ⟨Q⟩ ${Q.toFixed(4)} ± ${se.toFixed(4)}, Eq. 7 classical ${e7.toFixed(4)}, exact classical ${ex.toFixed(4)}, quantum Eq. 7 ${(-6 * Phi / omega0 / Math.tanh(omega0 / (2 * KB * T))).toFixed(4)}`);
      expect(cubicBarrier(omega0, Phi).height / (KB * T)).toBeGreaterThan(25);
      expect(r.stats.finite[q]).toBe(M);
      // agreement to O(Φ): within the statistics plus the O(Φ²) difference of the exact classical value
      expect(Math.abs(Q - e7)).toBeLessThanOrEqual(4 * se + Math.abs(ex - e7));
      expect(Math.abs(ex - e7)).toBeLessThan(0.05 * Math.abs(e7));
      expect(Math.abs(Q)).toBeGreaterThan(4 * se);
    });
  });

  it('two classical spins + mode (FM, field on both): Langevin = exact classical; Eq. 7 and the static-field picture miss the spins\' share', async () => {
    const b = await backend();
    // the moment is 2× the static-field value here; α = 1 for the fastest spin relaxation, dt = 0.005 ps so that the
    // spins' O(dt) bias (≈ +8 % of the moment at dt = 0.02 ps, measured) stays ≪ the standard error
    const model: SpinLatticeParams = { J: -1, A: 0.5, omega0: 1, Phi: 0.008, gamma: 2, S: 1, alpha: 1, fieldOn: 'both', T: 8 };
    const { T: _T, ...rest } = model;
    const r = await runVibronicLangevin(b, { model: rest, temperatures: [model.T], trajectories: 2048, dt: 0.005, time: 90, averageFrom: 20, seed: 9 });
    const p = r.points[0];
    const ex = spinLatticeBoltzmann(model);
    console.log(`(3) ${r.backend} two spins: ⟨Q⟩ ${p.Q.toFixed(4)} ± ${p.QStderr.toFixed(4)} (exact ${ex.Q.toFixed(4)}, Eq. 7 classical ${p.QEq7Classical.toFixed(4)}), ` +
      `moment ${p.moment.toFixed(4)} ± ${p.momentStderr.toFixed(4)} (exact ${ex.moment.toFixed(4)}, static Eq. 7 field ${p.momentEq7Classical.toFixed(4)}), ⟨P²⟩ ${p.P2.toFixed(4)} ± ${p.P2Stderr.toFixed(4)} (${p.P2Exact.toFixed(4)})`);
    expect(p.escaped).toBe(0);
    expect(p.used).toBe(2048);
    expect(p.QExact).toBe(ex.Q);
    expect(within(p.Q, ex.Q, p.QStderr)).toBe(true);
    expect(within(p.moment, ex.moment, p.momentStderr)).toBe(true);
    expect(within(p.Q2, ex.Q2, p.Q2Stderr)).toBe(true);
    expect(within(p.P2, p.P2Exact, p.P2Stderr)).toBe(true);
    // force balance of the exact averages: (ω0/2)⟨Q⟩ + 3Φ⟨Q²⟩ + A S Σ⟨m^z⟩ = 0
    expect(0.5 * model.omega0 * ex.Q + 3 * model.Phi * ex.Q2 + model.A * ex.moment).toBeCloseTo(0, 10);
    // the mean-field pictures are resolvably off: ⟨Q⟩ beyond Eq. 7, the moment beyond the static field
    expect(Math.abs(p.Q - p.QEq7Classical)).toBeGreaterThan(6 * p.QStderr);
    expect(Math.abs(p.moment - p.momentEq7Classical)).toBeGreaterThan(3 * p.momentStderr);
    // the exchange convention: with the sign of J flipped (𝕁 = +J S², wrong) the exact moment would differ resolvably
    expect(Math.abs(spinLatticeBoltzmann({ ...model, J: -model.J }).moment - p.moment)).toBeGreaterThan(4 * p.momentStderr);
    // the static-field reference is the classical pair in α = A·⟨Q⟩_Eq7,cl on both spins
    const a = model.A * eq7Classical(model.Phi, model.omega0, model.T);
    expect(p.momentEq7Classical).toBe(spinPairBoltzmann(model.J, model.S, a, a, model.T).moment);
  });
});

/** Twin comparison: m and (Q, P) at every step, final states and window averages (Q, Q², P²). */
async function twin(problem: LlgProblem, opts: LlgRunOptions, gpuOpts: { systemsPerInvocation?: number; maxSystemsPerBatch?: number } = {}) {
  const b = (await webgpuBackend())!;
  const o = { ...opts, keepTrajectories: true };
  const cpu = runLlgCpu(problem, o), gpu = await runLlgWebGpu(b.gpu!, problem, { ...o, ...gpuOpts });
  const kc = kept(cpu).oscillator!, kg = kept(gpu).oscillator!;
  let movedQ = 0;
  const oc = cpu.record!.osc!, S = cpu.record!.times.length;
  for (let s = 0; s < cpu.record!.systems; s++) for (let t = 0; t < S; t++) movedQ = Math.max(movedQ, Math.abs(oc[(s * S + t) * 2] - oc[s * S * 2]));
  const d = {
    m: maxAbsDiff(cpu.record!.m, gpu.record!.m), osc: maxAbsDiff(cpu.record!.osc!, gpu.record!.osc!),
    final: Math.max(maxAbsDiff(kept(cpu).finalM, kept(gpu).finalM), maxAbsDiff(kc.finalQ, kg.finalQ), maxAbsDiff(kc.finalP, kg.finalP)),
    mean: Math.max(maxAbsDiff(kept(cpu).meanM, kept(gpu).meanM), maxAbsDiff(kc.meanQ, kg.meanQ), maxAbsDiff(kc.meanQ2, kg.meanQ2) / 10, maxAbsDiff(kc.meanP2, kg.meanP2) / 10),
    movedQ,
  };
  return { cpu, gpu, d };
}

const twinProblem = (N: number, extra: Partial<LlgPoint> = {}) => LlgProblem.fromPoints(Array.from({ length: N }, (_, s): LlgPoint => ({
  temperature: 4 + 6 * s,
  spins: [{ field: [0.05, 0, 0.2], anisotropy: 0.3, alpha: 0.1 + 0.02 * s, S: 1.5, init: [0.3, 0.1, 1] }, { field: [0, -0.1, 0.05], easyAxis: [1, 1, 0], anisotropy: -0.2, alpha: 0.2, S: 1, init: [1, 0.2, -0.3] }],
  couplings: [{ i: 0, j: 1, J: -0.6, D: [0.05, 0, 0.1] }],
  oscillator: { omega0: 1 + 0.2 * s, cubic: 0.01 - 0.004 * s, damping: 0.5 + 0.3 * s, couplings: [{ spin: 0, axis: [0, 0, 1], A: 0.4 }, { spin: 1, axis: [1, 0, 1], A: -0.3 }, { spin: 1, axis: [0, 1, 0], A: 0.2 }], init: { Q: 0.3 * s - 0.5, P: 0.2 } },
  ...extra,
})));

describe('(4) WebGPU vs the float64 CPU twin, step by step', () => {
  it('scalar damping, couplings on both spins along several axes, per-point ω0, Φ, γ, T (two systems per invocation on llvmpipe)', async (ctx) => {
    if (!(await webgpuBackend())) return ctx.skip();
    const N = 8, problem = twinProblem(N);
    const { d } = await twin(problem, { dt: 0.01, steps: 400, averageFrom: 0.77, seed: 17, record: { systems: N, stride: 1 } });
    console.log(`(4a) twin: m ${d.m.toExponential(2)}, (Q, P) ${d.osc.toExponential(2)}, final ${d.final.toExponential(2)}, means ${d.mean.toExponential(2)} (Q moved up to ${d.movedQ.toFixed(2)})`);
    for (const x of [d.m, d.osc, d.final, d.mean]) expect(x).toBeLessThan(TOL_M);
    expect(d.movedQ).toBeGreaterThan(0.5);
    // one system per invocation, batches of 3: the same numbers to float32 rounding
    const { d: d1 } = await twin(problem, { dt: 0.01, steps: 400, averageFrom: 0.77, seed: 17, record: { systems: N, stride: 1 } }, { systemsPerInvocation: 1, maxSystemsPerBatch: 3 });
    expect(d1.osc).toBeLessThan(TOL_M);
  });

  it('tensor damping with a pinned spin (no ONE_FREE with an oscillator), several points per trajectory set, multi-dispatch, per-trajectory initial m, trajectory offset', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 3, M = 2, damping: number[] = Array.from({ length: 36 }, (_, k) => (Math.floor(k / 6) === k % 6 ? 0.15 : 0));
    damping[0 * 6 + 3] = damping[3 * 6 + 0] = 0.03;
    const pts = Array.from({ length: N }, (_, s): LlgPoint => ({
      temperature: 5 + 5 * s,
      spins: [{ pinned: true, init: [0, 0, 1] }, { field: [0, 0, 0.2], anisotropy: 0.3, S: 1.2, init: [1, 0, 0.1] }],
      couplings: [{ i: 0, j: 1, J: 0.3 }], damping,
      oscillator: { omega0: 1.2, cubic: 0.006, damping: 1, couplings: [{ spin: 1, axis: [0, 0, 1], A: 0.5 }, { spin: 0, axis: [1, 0, 0], A: 0.2 }], init: { Q: -0.4 + 0.4 * s } },
    }));
    const init = Array.from({ length: N * M * 6 }, (_, k) => Math.sin(1.7 * k + 0.3));
    const problem = LlgProblem.fromPoints(pts, { trajectoriesPerPoint: M, initialStates: init, trajectoryOffset: 1000 });
    expect(problem.features().reduction.free).toBe(-1);
    const pinnedOnly = LlgProblem.fromPoints(pts.map(p => ({ ...p, oscillator: undefined })));
    expect(pinnedOnly.features().reduction.free).toBe(1);   // without the oscillator the reduction applies
    expect(() => heunShader(problem, shaderOptions(problem, { reduction: { free: 1, noiseFreeOnly: false } }))).toThrow(/generic path only/);
    const steps = 1201;
    const { d } = await twin(problem, { dt: 0.005, steps, averageFrom: 1.1, seed: 23, record: { systems: N * M, stride: 7 } });
    console.log(`(4b) twin tensor + pinned, ${steps} steps, loop bound ${loopIterationsPerStep(problem)} per step: m ${d.m.toExponential(2)}, (Q, P) ${d.osc.toExponential(2)}, final ${d.final.toExponential(2)}, means ${d.mean.toExponential(2)}`);
    for (const x of [d.m, d.osc, d.final, d.mean]) expect(x).toBeLessThan(TOL_M);
    expect(d.movedQ).toBeGreaterThan(0.5);
    // the trajectory offset keys the oscillator noise too: a problem cut in two gives the same numbers
    const half = LlgProblem.fromPoints(pts.slice(1), { trajectoriesPerPoint: M, initialStates: init.slice(M * 6), trajectoryOffset: 1000 + M });
    const rh = runLlgCpu(half, { dt: 0.005, steps: 200, averageFrom: 0, seed: 23, keepTrajectories: true });
    const rf = runLlgCpu(problem, { dt: 0.005, steps: 200, averageFrom: 0, seed: 23, keepTrajectories: true });
    expect(Array.from(kept(rh).oscillator!.finalQ)).toEqual(Array.from(kept(rf).oscillator!.finalQ.subarray(M)));
  });

  it('T = 0 and γ = 0: deterministic, energy-conserving coupled dynamics agree too; the oscillator noise is its own stream', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const cold = twinProblem(3, { temperature: 0 });
    const { d } = await twin(cold, { dt: 0.01, steps: 300, averageFrom: 0, seed: 1, record: { systems: 3, stride: 1 } });
    expect(Math.max(d.m, d.osc)).toBeLessThan(TOL_M);
    // noise on the mode only (spins α = 0 … here T > 0 with γ > 0): seeds change Q; the spins' thermal stream alone does not drive Q at A = 0
    const pt = (seedSpin: boolean): LlgPoint => ({ temperature: 10, spins: [{ alpha: seedSpin ? 0.2 : 0, init: [1, 0, 0] }], oscillator: { omega0: 1, damping: 1 } });
    const run = (p: LlgPoint, seed: number) => kept(runLlgCpu(LlgProblem.fromPoints([p]), { dt: 0.01, steps: 100, averageFrom: 0, seed, keepTrajectories: true })).oscillator!.finalQ[0];
    expect(run(pt(false), 1)).not.toBe(run(pt(false), 2));
    expect(run(pt(true), 1)).toBe(run(pt(false), 1));
  });
});

describe('(5) problems without an oscillator are unchanged', () => {
  const plain = (N: number) => Array.from({ length: N }, (_, s): LlgPoint => ({
    temperature: 3 + 4 * s,
    spins: [{ field: [0.05, 0, 0.2], anisotropy: 0.5, alpha: 0.1, init: [0.2, 0.1, 1] }, { field: [0, -0.1, 0.1], anisotropy: -0.3, easyAxis: [1, 1, 0], S: 2.5, alpha: 0.25, init: [1, 0.3, -0.2] }],
    couplings: [{ i: 0, j: 1, J: 0.8, D: [0.1, -0.2, 0.3] }],
  }));

  it('the feature is compiled out: OSCILLATOR = false, no oscillator state, the same row layout', async () => {
    const p = LlgProblem.fromPoints(plain(2));
    expect(p.features().oscillator).toBe(false);
    const src = await heunShader(p);
    expect(src).toContain('const OSCILLATOR: bool = false;');
    expect(src).toContain('const NSPIN_O: u32 = 1u;');
    const withOsc = LlgProblem.fromPoints(plain(2).map(q => ({ ...q, oscillator: { omega0: 1, damping: 1 } })));
    expect(await heunShader(withOsc)).toContain('const OSCILLATOR: bool = true;');
    // the oscillator's slots come after everything else: every other offset is unchanged
    expect(withOsc.stride).toBe(p.stride + 6 + 3 * 2);
    expect(withOsc.layout.constants.POINT_PAIRS).toBe(p.layout.constants.POINT_PAIRS);
    expect(withOsc.layout.oscillator).toBe(p.stride);
    expect(loopIterationsPerStep(withOsc)).toBeGreaterThan(loopIterationsPerStep(p));
  });

  it('an oscillator coupled to nothing leaves the spins bit-identical (CPU twin and WebGPU)', async () => {
    const N = 6, opts = { dt: 0.01, steps: 301, averageFrom: 0.5, seed: 77, record: { systems: N, stride: 1 }, keepTrajectories: true };
    const a = LlgProblem.fromPoints(plain(N));
    const bq = LlgProblem.fromPoints(plain(N).map(q => ({ ...q, oscillator: { omega0: 1.1, cubic: 0.01, damping: 0.7, init: { Q: 0.5 } } })));
    // m at every step and at the end bit for bit; the window average too on the CPU, and on the device to the
    // float32 rounding of its partial sums (a differently composed shader may associate them differently: 1.2e-7
    // measured on llvmpipe; the oscillator-free shader itself is unchanged, see docs/models/vibronic.md)
    const same = (x: LlgResult, y: LlgResult, meanTol: number) => {
      expect(Array.from(y.record!.m)).toEqual(Array.from(x.record!.m));
      expect(Array.from(kept(y).finalM)).toEqual(Array.from(kept(x).finalM));
      if (meanTol === 0) expect(Array.from(kept(y).meanM)).toEqual(Array.from(kept(x).meanM));
      else expect(maxAbsDiff(kept(y).meanM, kept(x).meanM)).toBeLessThan(meanTol);
    };
    const ca = runLlgCpu(a, opts), cb = runLlgCpu(bq, opts);
    same(ca, cb, 0);
    expect(kept(cb).oscillator!.finalQ[0]).not.toBe(0.5);   // the mode did move
    const g = await webgpuBackend();
    if (g) {
      const ga = await g.run(llgKernel, a, opts), gb = await g.run(llgKernel, bq, opts);
      same(ga, gb, 1e-6);
      expect(maxAbsDiff(kept(cb).oscillator!.finalQ, kept(gb).oscillator!.finalQ)).toBeLessThan(TOL_M);
    }
  });
});

describe('a trajectory that crosses the cubic barrier', () => {
  it('runs away and drops out of the statistics (never a finite wrong mean), on both backends', async () => {
    // barrier ω0³/(432Φ²) = 0.23 meV ≪ k_BT = 1.7 meV: every trajectory escapes within a few periods
    const pts: LlgPoint[] = [
      { temperature: 20, spins: [{ pinned: true }], oscillator: { omega0: 1, cubic: 0.1, damping: 1 } },
      { temperature: 20, spins: [{ pinned: true }], oscillator: { omega0: 1, cubic: 0, damping: 1 } },
    ];
    const problem = LlgProblem.fromPoints(pts, { trajectoriesPerPoint: 8 });
    const opts = { dt: 0.01, steps: 4000, averageFrom: 0, seed: 2 };
    const g = await webgpuBackend();
    for (const r of [runLlgCpu(problem, opts), ...(g ? [await g.run(llgKernel, problem, opts)] : [])]) {
      expect(r.stats.finite[0]).toBe(0);
      expect(Number.isNaN(r.stats.meanQ![0])).toBe(true);
      expect(r.stats.finite[1]).toBe(8);   // the harmonic point beside it is untouched
      expect(Number.isFinite(r.stats.meanQ![1])).toBe(true);
    }
  });
});

describe('oscillator input is validated', () => {
  const base: LlgPoint = { temperature: 5, spins: [{ alpha: 0.1 }, { alpha: 0.1 }], oscillator: { omega0: 1, damping: 1, couplings: [{ spin: 1, axis: [0, 0, 1], A: 0.2 }] } };
  const bad: [string, LlgPoint['oscillator'], RegExp][] = [
    ['ω0 = 0', { omega0: 0, damping: 1 }, /oscillator\.omega0/],
    ['negative γ', { omega0: 1, damping: -1 }, /oscillator\.damping/],
    ['NaN Φ', { omega0: 1, cubic: NaN, damping: 1 }, /oscillator\.cubic/],
    ['spin out of range', { omega0: 1, damping: 1, couplings: [{ spin: 2, axis: [0, 0, 1], A: 1 }] }, /couplings\[0\]\.spin/],
    ['zero axis', { omega0: 1, damping: 1, couplings: [{ spin: 0, axis: [0, 0, 0], A: 1 }] }, /couplings\[0\]\.axis/],
    ['infinite A', { omega0: 1, damping: 1, couplings: [{ spin: 0, axis: [0, 0, 1], A: Infinity }] }, /couplings\[0\]\.A/],
    ['NaN init', { omega0: 1, damping: 1, init: { Q: NaN } }, /oscillator\.init\.Q/],
  ];
  for (const [what, osc, re] of bad) it(what, () => { expect(() => LlgProblem.fromPoints([{ ...base, oscillator: osc }])).toThrow(re); });
  it('every point has an oscillator or none', () => {
    expect(() => LlgProblem.fromPoints([base, { ...base, oscillator: undefined }])).toThrow(/every point of this problem needs an oscillator/);
    expect(() => LlgProblem.fromPoints([{ ...base, oscillator: undefined }, base])).toThrow(/an oscillator needs every point/);
  });
  it('the model converts the paper\'s couplings: 𝕁 = −J S², coupling A·S on the coupled spins', () => {
    const pt = spinLatticeModel.describe({ J: 0.7, A: 0.3, omega0: 1, Phi: 0.01, gamma: 1, S: 2, alpha: 0.1, fieldOn: 'both', T: 5 });
    expect(pt.couplings![0].J).toBeCloseTo(-0.7 * 4, 14);
    expect(pt.oscillator!.couplings!.map(c => [c.spin, c.A])).toEqual([[0, 0.6], [1, 0.6]]);
    expect(spinLatticeModel.describe({ J: 0.7, A: 0.3, omega0: 1, Phi: 0.01, gamma: 1, S: 2, alpha: 0.1, fieldOn: 'first', T: 5 }).oscillator!.couplings!.length).toBe(1);
    expect(() => spinLatticeModel.describe({ J: 0.7, A: 0.3, omega0: 1, Phi: 0.01, gamma: 1, S: 2, alpha: 0.1, fieldOn: 'neither' as 'first', T: 5 })).toThrow(/fieldOn/);
  });
});

describe('nanospin llg vibronic', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nanospin-llg-vibronic-'));
  const capture = (args: string[]) => captureCommand(llgVibronicCommand, args);

  it('writes the run directory and prints the documented point fields', async () => {
    const out = join(tmp, 'run');
    const r = await capture(['--sweep', 'T=5:20:3', '--trajectories', '16', '--time', '20', '--average-from', '5', '--backend', 'cpu', '--json', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(3);
    for (const k of ['T', 'Q', 'QStderr', 'moment', 'momentStderr', 'QEq7Classical', 'QEq7']) expect(Object.keys(j.points[0])).toContain(k);
    expect(j.points.map((p: { T: number }) => p.T)).toEqual([5, 12.5, 20]);
    for (const p of j.points) {
      expect(p.QEq7Classical).toBeCloseTo(eq7Classical(0.002, 1, p.T), 14);
      expect(p.QEq7).toBeCloseTo(-6 * 0.002 / Math.tanh(1 / (2 * KB * p.T)), 12);
      expect(Number.isFinite(p.Q) && Number.isFinite(p.QStderr) && Number.isFinite(p.moment)).toBe(true);
    }
    for (const f of ['points.csv', 'Q_vs_T.svg', 'moment_vs_T.svg', 'equipartition.svg', 'Q.npy', 'manifest.json', 'summary.json', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'Q_vs_T.svg'), 'utf8')).toContain('temperature T (K)');
  });

  it('refuses bad input with the flag named', async () => {
    const cases: [string[], RegExp][] = [
      [['--sweep', 'T=0:10:3'], /> 0 K/],
      [['--Phi', '0.05', '--temperature', '100'], /Phi: the cubic well's barrier/],
      [['--A', '5', '--Phi', '0.02', '--field-on', 'both'], /removes the well/],
      [['--temperature', '5', '--sweep', 'T=1:2:2'], /both given/],
      [['--omega0', '0'], /--omega0/],
      [['--average-from', '300'], /--average-from/],
    ];
    for (const [args, re] of cases) await expect(llgVibronicCommand([...args, '--backend', 'cpu', '--quiet', '--out', join(tmp, 'bad')])).rejects.toThrow(re);
    await expect(llgVibronicCommand(['--Phi', 'x'])).rejects.toBeInstanceOf(UsageError);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });
});
