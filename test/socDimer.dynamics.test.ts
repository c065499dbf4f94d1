// The generalized stochastic LLG of the SOC dimer (seed 001, Eqs. 3–8) on the LLG core: the fields it
// integrates are the gradient of Eq. 7, the Langevin ensemble reproduces the Fokker–Planck (Boltzmann
// at T_eff) orientation where damping and noise are nearly isotropic, the FDT limit holds, energy
// injection is flagged without blowing up, and the WebGPU kernel follows its CPU twin step by step.
import { describe, expect, it } from 'vitest';
import { openBackend } from '../src/backends/index.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { LlgProblem } from '../src/llg/index.ts';
import { socDimer } from '../src/models/socDimer/params.ts';
import { socCouplings } from '../src/models/socDimer/couplings.ts';
import { dimerModel, dimerPoint, minDampingEigenvalue, type DimerSetup } from '../src/models/socDimer/dynamics.ts';
import { kTeff, pinnedEnergy, spinModel } from '../src/models/socDimer/spinModel.ts';
import { runSocLangevin } from '../src/runs/socLangevin.ts';
import { HBAR, KB } from '../src/numerics/units.ts';
import { adaptiveBoltzmannMean, boltzmannMean, evalEnergy, sphereGrid } from '../src/numerics/sphere.ts';
import { webgpuBackend } from './gpu.ts';
import { kept, maxAbsDiff, TOL_M } from './compare.ts';

const floor = 0.02 / KB; // k_BT = 0.02 meV
const setup = (over: Partial<DimerSetup> = {}): DimerSetup => ({ spins: spinModel(), tHat: [1, 0, 0], pinned: true, m1: [0, 0, 1], init2: [0, 0, -1], ...over });

describe('SOC dimer LLG wiring', () => {
  it('the precession of the free spin is −(1/ħS) m × (−∂E/∂m) of Eq. 7 (no damping, no noise, one small step)', async () => {
    const cpu = await openBackend('cpu');
    const c = socCouplings(socDimer({ t: 1, V: 3, muF: 0.4, TL: floor }));
    const d = setup({ init2: [0.6, -0.48, 0.64] });
    // the dimer's point with its damping and noise replaced by zero (the old setDamping / setNoiseCovariance after configureDimer)
    const undamped = { describe: (x: typeof c) => ({ ...dimerModel(d).describe(x), damping: new Float64Array(36), noiseCovariance: new Float64Array(36) }) };
    const ens = LlgProblem.fromModel(undamped, [c]);
    const dt = 1e-5, r = kept(await cpu.run(llgKernel, ens, { dt, steps: 1, averageFrom: 0, seed: 1, keepTrajectories: true }));
    const q = pinnedEnergy(c, d.spins, d.m1, d.tHat), E = (x: number, y: number, z: number) => evalEnergy(q, x, y, z), m = d.init2, h = 1e-6;
    const grad = [0, 1, 2].map(a => { const p = [...m], q = [...m]; p[a] += h; q[a] -= h; return (E(p[0], p[1], p[2]) - E(q[0], q[1], q[2])) / (2 * h); });
    const B = grad.map(g => -g), S = d.spins.S;
    const mxB = [m[1] * B[2] - m[2] * B[1], m[2] * B[0] - m[0] * B[2], m[0] * B[1] - m[1] * B[0]];
    for (let a = 0; a < 3; a++) expect(Math.abs((r.finalM[3 + a] - m[a]) / dt - (-mxB[a] / (HBAR * S)))).toBeLessThan(1e-4 * Math.hypot(...mxB) / (HBAR * S) + 1e-9);
    expect(Array.from(r.finalM.subarray(0, 3))).toEqual([0, 0, 1]); // the pinned spin stays
  });

  it('weak SOC: the Langevin ensemble matches the Fokker–Planck orientation within 4 standard errors along the Fig. 4 cut', async () => {
    const cpu = await openBackend('cpu');
    const r = await runSocLangevin(cpu, {
      model: socDimer({ t: 0.1, TL: floor }), setup: setup(), points: [-3, 0, 2, 4].map(V => ({ muF: 0, V })),
      trajectories: 48, dt: 0.01, time: 40, averageFrom: 10, seed: 7,
    });
    for (const p of r.points) for (let a = 0; a < 3; a++) {
      expect(Math.abs(p.m[a] - p.fp[a]), `V=${p.V} component ${a}: ${p.m[a]} vs ${p.fp[a]} ± ${p.stderr[a]}`).toBeLessThan(4 * p.stderr[a] + 0.01);
    }
    // the AFM → FM switch and the m_y excursion of opposite sign for opposite bias (Fig. 4)
    const at = (V: number) => r.points.find(p => p.V === V)!;
    expect(at(0).m[2]).toBeLessThan(-0.95);
    expect(at(4).m[2]).toBeGreaterThan(0.6);
    expect(at(-3).m[1]).toBeLessThan(-0.3);
  }, 60_000);

  it('equilibrium (V = 0, finite T): T_eff = T and the ensemble is Boltzmann at the lead temperature, also with strongly anisotropic damping (noise-induced drift)', async () => {
    const cpu = await openBackend('cpu');
    const T = 0.3 / KB; // k_BT = 0.3 meV, comparable to the exchange energy scale of the free spin
    for (const t of [0, 1]) {
      const model = socDimer({ t, TL: T, muF: 1.2 });
      const c = socCouplings(model);
      expect(kTeff(c, spinModel())).toBeCloseTo(KB * T, 6);
      if (t === 1) expect(Math.abs(c.damping[1][1].an / c.damping[1][1].iso)).toBeGreaterThan(0.5);
      const r = await runSocLangevin(cpu, { model, setup: setup(), points: [{ muF: 1.2, V: 0 }], trajectories: 96, dt: 0.01, time: 40, averageFrom: 10, seed: 3 });
      const p = r.points[0];
      for (let a = 0; a < 3; a++) expect(Math.abs(p.m[a] - p.fp[a]), `t=${t} component ${a}: ${p.m[a]} vs ${p.fp[a]} ± ${p.stderr[a]}`).toBeLessThan(4 * p.stderr[a] + 0.005);
    }
  }, 90_000);

  it("the 'literal' reading (the paper's β = 2S²ħα/j with Eq. 7 as printed) is also Boltzmann-consistent in equilibrium: its Langevin noise ħΔ²j/S matches", async () => {
    const cpu = await openBackend('cpu');
    const spins = spinModel({ reading: 'literal' });
    const model = socDimer({ t: 1, TL: 0.3 / KB, muF: 1.2 });
    const c = socCouplings(model);
    expect(kTeff(c, spins)).toBeCloseTo((KB * model.TL) / (spins.S * spins.S), 6);
    const r = await runSocLangevin(cpu, { model, setup: setup({ spins }), points: [{ muF: 1.2, V: 0 }], trajectories: 96, dt: 0.02, time: 120, averageFrom: 40, seed: 4 });
    const p = r.points[0];
    for (let a = 0; a < 3; a++) expect(Math.abs(p.m[a] - p.fp[a]), `component ${a}: ${p.m[a]} vs ${p.fp[a]} ± ${p.stderr[a]}`).toBeLessThan(4 * p.stderr[a] + 0.005);
  }, 90_000);

  it('energy injection (α^(i) < 0 where |μ_L| < t0 − t and |μ_R| > t0) is flagged and the run stays finite', async () => {
    const cpu = await openBackend('cpu');
    const c = socCouplings(socDimer({ t: 0.1, muF: -2, V: 4, TL: floor }));
    expect(c.damping[1][1].iso).toBeLessThan(0);
    expect(minDampingEigenvalue(c, setup())).toBeLessThan(0);
    const r = await runSocLangevin(cpu, { model: socDimer({ t: 0.1, TL: floor }), setup: setup(), points: [{ muF: -2, V: 4 }, { muF: 0, V: 0 }], trajectories: 8, dt: 0.01, time: 10, averageFrom: 5, seed: 1 });
    expect(r.points.map(p => p.energyInjection)).toEqual([true, false]);
    expect(r.points[0].kTeff).toBeLessThan(0);
    for (const p of r.points) { expect(p.nonFinite).toBe(0); expect(p.m.every(Number.isFinite)).toBe(true); }
  }, 30_000);
});

describe('SOC dimer LLG: WebGPU vs CPU twin', () => {
  it('same seed → same trajectories (tensor damping, 6×6 correlated noise, non-reciprocal pair, on-site tensor, free dimer and pinned)', async (ctx) => {
    const gpu = await webgpuBackend();
    if (!gpu) return ctx.skip();
    const cpu = await openBackend('cpu');
    // 12 systems with their own couplings and setup: 12 points, one trajectory each (trajectory s = old system s)
    const points = [];
    for (const V of [-4, 3]) for (const muF of [-1, 0.5, 2]) for (const pinned of [true, false]) {
      const c = socCouplings(socDimer({ t: 1, V, muF, TL: 5 }));
      points.push(dimerPoint(c, setup({ pinned, m1: [0.2, 0.1, 0.97], init2: [0.3, -0.5, -0.8], spins: spinModel({ selfTorque: !pinned }) })));
    }
    const ens = LlgProblem.fromPoints(points);
    expect(ens.trajectories).toBe(12);
    const opts = { dt: 0.005, steps: 400, averageFrom: 0, seed: 11, keepTrajectories: true };
    const a = kept(await cpu.run(llgKernel, ens, opts)), b = kept(await gpu.run(llgKernel, ens, opts));
    expect(maxAbsDiff(a.finalM, b.finalM)).toBeLessThan(TOL_M);
    expect(maxAbsDiff(a.meanM, b.meanM)).toBeLessThan(TOL_M);
  }, 60_000);
});

describe('Fokker–Planck sphere quadrature', () => {
  it('a spin in a field: ⟨m·ĥ⟩ = coth(x) − 1/x (Langevin function) from mild to very sharp distributions, any field direction', () => {
    const L = (x: number) => 1 / Math.tanh(x) - 1 / x;
    for (const x of [0.3, 5, 80, 3000]) {
      const h = [0.36, -0.48, 0.8];
      const m = adaptiveBoltzmannMean({ A: [0, 0, 0, 0, 0, 0, 0, 0, 0], b: h.map(v => -x * v) }, 1);
      const f = adaptiveBoltzmannMean((a, b, c) => -x * (a * h[0] + b * h[1] + c * h[2]), 1);
      for (let k = 0; k < 3; k++) expect(m[k]).toBeCloseTo(f[k], 12); // quadratic-form path = closure path
      for (let k = 0; k < 3; k++) expect(Math.abs(m[k] - L(x) * h[k]), `x=${x}`).toBeLessThan(1e-9);
      // negative k_BT (energy injection) favours the energy maximum
      const inv = boltzmannMean((a, b, c) => -x * c, -1, sphereGrid(64, 256));
      if (x < 100) expect(inv[2]).toBeCloseTo(-L(x), 9);
    }
  });
});
