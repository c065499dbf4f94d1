// The WebGPU LLG kernel (float32) against its float64 CPU twin: same seed → same Philox noise → the
// same trajectories, step by step, for every feature of the kernel (thermal noise, exchange with DM and
// anisotropic parts, per-spin S and alpha, tensor damping with nonlocal blocks and FDT noise, pinned
// spins, spin torques), plus multi-dispatch runs, zero-noise determinism and the tensor ↔ scalar
// damping equivalence.
//
// Tolerance on m (unit vectors): 1e-4 absolute. The device integrates in float32 (unit roundoff 6e-8)
// and its Box–Muller variates differ from the CPU's by ≲1e-6 (see philox.test.ts); over a few hundred
// Heun steps of these mildly chaotic, thermally driven systems the differences grow to a few 1e-6
// (measured ≤ 8e-6 here on llvmpipe). A wrong noise counter, a missing term, a sign error or a wrong parameter
// slot gives differences of O(σ·dt) ≳ 1e-3 after one step and O(1) after a few hundred.
import { describe, it, expect } from 'vitest';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { heunShader, runLlgWebGpu, shaderOptions, stepsPerDispatch, systemsPerInvocation } from '../src/kernels/llg/webgpu.ts';
import { LlgProblem, MAX_SPINS, type LlgPoint, type LlgResult, type LlgRunOptions } from '../src/llg/index.ts';
import { HBAR, KB } from '../src/numerics/units.ts';
import type { Backend } from '../src/backends/index.ts';
import { webgpuBackend } from './gpu.ts';
import { kept, maxAbsDiff, TOL_M } from './compare.ts';

/** Parameter points with one trajectory each: trajectory s = old system s (same noise counters). */
const perSystem = (points: LlgPoint[]) => LlgProblem.fromPoints(points);

/** Every unit vector of a [..][xyz] array has |m| = 1 to float tolerance. */
function expectUnit(m: ArrayLike<number>, tol: number): void {
  let worst = 0;
  for (let k = 0; k < m.length; k += 3) worst = Math.max(worst, Math.abs(Math.hypot(m[k], m[k + 1], m[k + 2]) - 1));
  expect(worst).toBeLessThan(tol);
}

interface TwinReport { traj: number; final: number; mean: number; moved: number }

/**
 * Run on both backends, compare recorded trajectories, final states and window averages to TOL_M.
 * `moved` (largest excursion of any recorded m from its start) guards against vacuous agreement.
 */
async function twin(b: Backend, problem: LlgProblem, runOpts: LlgRunOptions): Promise<{ cpu: LlgResult; gpu: LlgResult; r: TwinReport }> {
  const opts = { ...runOpts, keepTrajectories: true };
  const cpu = runLlgCpu(problem, opts);
  const gpu = await b.run(llgKernel, problem, opts);
  expect(gpu.backend).toBe('webgpu');
  const rc = cpu.record!, rg = gpu.record!;
  expect(rg.systems).toBe(rc.systems);
  expect(Array.from(rg.times)).toEqual(Array.from(rc.times));
  const samples = rc.times.length, n = problem.dim;
  const kc = kept(cpu), kg = kept(gpu);
  expect(rc.m.length).toBe(rc.systems * samples * n);
  let moved = 0;
  for (let s = 0; s < rc.systems; s++) for (let t = 0; t < samples; t++) for (let k = 0; k < n; k++) {
    moved = Math.max(moved, Math.abs(rc.m[(s * samples + t) * n + k] - rc.m[s * samples * n + k]));
  }
  const r = { traj: maxAbsDiff(rc.m, rg.m), final: maxAbsDiff(kc.finalM, kg.finalM), mean: maxAbsDiff(kc.meanM, kg.meanM), moved };
  // the last recorded sample is the final state
  if (opts.steps % (opts.record?.stride ?? 1) === 0) {
    for (let s = 0; s < rc.systems; s++) {
      expect(maxAbsDiff(rc.m.subarray(((s + 1) * samples - 1) * n, (s + 1) * samples * n), kc.finalM.subarray(s * n, (s + 1) * n))).toBe(0);
    }
  }
  expectUnit(kc.finalM, 1e-12);
  expectUnit(kg.finalM, 1e-6);
  expect(r.traj).toBeLessThan(TOL_M);
  expect(r.final).toBeLessThan(TOL_M);
  expect(r.mean).toBeLessThan(TOL_M);
  expect(cpu.averagedSteps).toBe(gpu.averagedSteps);
  return { cpu, gpu, r };
}

const fmt = (r: TwinReport) => `traj ${r.traj.toExponential(2)}, final ${r.final.toExponential(2)}, mean ${r.mean.toExponential(2)} (max excursion ${r.moved.toFixed(2)})`;

/** Thermal dimer with J, DM vector and symmetric anisotropic exchange, different S and alpha per spin. */
function thermalDimerPoints(N: number): LlgPoint[] {
  return Array.from({ length: N }, (_, s) => ({
    temperature: 3 + 4 * s,
    spins: [
      { field: [0.05, 0, 0.2 + 0.01 * s], anisotropy: 0.5, easyAxis: [0, 0, 1], S: 1, alpha: 0.1, init: [0.2, 0.1, 1] },
      { field: [0, -0.1, 0.1], anisotropy: -0.3, easyAxis: [1, 1, 0], S: 2.5, alpha: 0.25, init: [1, 0.3, -0.2] },
    ],
    couplings: [{ i: 0, j: 1, J: 0.8, D: [0.1, -0.2, 0.3], symmetric: [0.05, 0.02, 0, 0.02, -0.04, 0.01, 0, 0.01, -0.01] }],
  }));
}
const thermalDimer = (N: number) => perSystem(thermalDimerPoints(N));

/** 6×6 damping tensor: local anisotropic blocks plus nonlocal (off-diagonal) blocks, symmetric positive definite. */
function nonlocalDamping(): number[] {
  const a = new Array(36).fill(0);
  const diag = [0.12, 0.1, 0.08, 0.2, 0.18, 0.22];
  for (let k = 0; k < 6; k++) a[k * 6 + k] = diag[k];
  a[0 * 6 + 1] = a[1 * 6 + 0] = 0.02;    // anisotropic within spin 0
  a[4 * 6 + 5] = a[5 * 6 + 4] = -0.03;   // within spin 1
  for (let k = 0; k < 3; k++) a[k * 6 + 3 + k] = a[(3 + k) * 6 + k] = 0.05; // nonlocal α_12 = α_21
  a[0 * 6 + 4] = a[4 * 6 + 0] = 0.01;
  return a;
}

describe('LLG: WebGPU kernel vs float64 CPU twin, step by step', () => {
  it('(a) thermal macrospin ensemble', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 16;
    const ens = perSystem(Array.from({ length: N }, (_, s) => ({
      temperature: 2 + 5 * s,
      spins: [{ field: [0.1 * Math.cos(s), 0.1 * Math.sin(s), 0.4 - 0.05 * s], anisotropy: 1 - 0.1 * s, easyAxis: [0.1 * s, 0, 1], S: 0.5 + 0.25 * s, alpha: 0.02 + 0.05 * s, init: [0.3, -0.2, 1] }],
    })));
    const { r } = await twin(b, ens, { dt: 0.01, steps: 500, averageFrom: 1.23, seed: 42, record: { systems: N, stride: 1 } });
    expect(r.moved).toBeGreaterThan(0.5);
    console.log(`twin (a) macrospin: ${fmt(r)}`);
  });

  it('(b) thermal dimer: J, DM, symmetric anisotropic exchange, per-spin S and alpha', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 12;
    const { r } = await twin(b, thermalDimer(N), { dt: 0.01, steps: 400, averageFrom: 0.5, seed: 2024, record: { systems: N, stride: 1 } });
    expect(r.moved).toBeGreaterThan(0.5);
    console.log(`twin (b) dimer: ${fmt(r)}`);
  });

  it('(c) tensor damping dimer: nonlocal damping, default FDT noise (multi-dispatch on llvmpipe)', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 8, steps = 300;
    const alpha = nonlocalDamping();
    const ens = perSystem(Array.from({ length: N }, (_, s) => ({
      temperature: 5 + 5 * s,
      spins: [
        { field: [0, 0.1, 0.3], anisotropy: 0.6, S: 1, init: [0.5, 0, 1] },
        { field: [0.2, 0, 0], anisotropy: 0.2, easyAxis: [0, 1, 1], S: 1.5, init: [0, 1, 0.2] },
      ],
      couplings: [{ i: 0, j: 1, J: 0.5, D: [0, 0.15, 0] }],
      damping: alpha,
    })));
    // on a software adapter this runs in several dispatches (the 6×6 solve is loop-heavy)
    const sw = b.gpu!.kind === 'software';
    console.log(`twin (c): ${steps} steps in dispatches of ${stepsPerDispatch(ens, steps, sw, N, undefined, systemsPerInvocation(ens, sw))}`);
    const { r } = await twin(b, ens, { dt: 0.01, steps, averageFrom: 0.77, seed: 99, record: { systems: N, stride: 1 } });
    expect(r.moved).toBeGreaterThan(0.5);
    console.log(`twin (c) tensor dimer: ${fmt(r)}`);
  });

  it('(d) dimer with a pinned spin and field-/damping-like spin torques', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 8;
    const ens = perSystem(Array.from({ length: N }, (_, s) => ({
      temperature: 4 * s,
      spins: [
        { pinned: true, init: [1, 0, 1], field: [0, 0, 1], alpha: 0.3 },
        { field: [0, 0, 0.2], anisotropy: 0.4, alpha: 0.05 + 0.02 * s, S: 1.2, torqueAxis: [0, 1, 1], fieldLikeTorque: 0.05 * s, dampingLikeTorque: 0.1 - 0.03 * s, init: [0, 0.1, -1] },
      ],
      couplings: [{ i: 0, j: 1, J: 0.3, D: [0.05, 0, 0] }],
    })));
    const opts = { dt: 0.01, steps: 400, averageFrom: 0.01, seed: 5, record: { systems: N, stride: 1 } };
    const { cpu, gpu, r } = await twin(b, ens, opts);
    // the pinned spin stays exactly at its (normalised) initial orientation on both backends
    const p0 = [Math.SQRT1_2, 0, Math.SQRT1_2];
    for (const res of [kept(cpu), kept(gpu)]) for (let s = 0; s < N; s++) {
      expect(maxAbsDiff(res.finalM.subarray(6 * s, 6 * s + 3), p0)).toBeLessThan(1e-7);
      expect(maxAbsDiff(res.meanM.subarray(6 * s, 6 * s + 3), p0)).toBeLessThan(1e-6);
    }
    expect(r.moved).toBeGreaterThan(0.3);
    console.log(`twin (d) pinned + torques: ${fmt(r)}`);
  });

  for (const tensorDamping of [false, true]) {
    it(`(e) MAX_SPINS cluster, all pairs coupled, ${tensorDamping ? 'nonlocal tensor' : 'scalar'} damping`, async (ctx) => {
      const b = await webgpuBackend(); if (!b) return ctx.skip();
      const N = 6, K = MAX_SPINS, d = 3 * K;
      const points: LlgPoint[] = [];
      for (let s = 0; s < N; s++) {
        const pt: LlgPoint = { temperature: 5 + 3 * s, spins: [], couplings: [] };
        for (let i = 0; i < K; i++) {
          pt.spins.push({ field: [0.1 * i, 0.05 * s, 0.5 - 0.1 * i], anisotropy: 1 - 0.3 * i, easyAxis: [i, 1, 2], S: 1 + 0.5 * i, init: [0.3, 0.1 * i, 1 - i], ...(tensorDamping ? {} : { alpha: 0.1 + 0.05 * i }) });
        }
        for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) pt.couplings!.push({ i, j, J: 0.7 - 0.2 * j, D: [0.1 * i, 0.2, -0.1 * j] });
        if (tensorDamping) {
          const a = new Array(d * d).fill(0);
          for (let k = 0; k < d; k++) a[k * d + k] = 0.2;
          for (let k = 0; k < d - 3; k++) a[k * d + k + 3] = a[(k + 3) * d + k] = 0.05;
          pt.damping = a;
        }
        points.push(pt);
      }
      const ens = perSystem(points);
      const steps = 150;
      const { r } = await twin(b, ens, { dt: 0.01, steps, averageFrom: 0.25, seed: 31, record: { systems: N, stride: 1 } });
      expect(r.moved).toBeGreaterThan(0.3);
      console.log(`twin (e) K=${K} ${tensorDamping ? 'tensor' : 'scalar'} (${Math.ceil(steps / stepsPerDispatch(ens, steps, b.gpu!.kind === 'software', ens.trajectories, undefined, systemsPerInvocation(ens, b.gpu!.kind === 'software')))} dispatches): ${fmt(r)}`);
    });
  }

  it('switch times, switched flags, final m and time averages agree (thermal switching ensemble)', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 32, dt = 0.01;
    // fields from 1.2 K_SW... to 3 K: some switch, some only precess; small thermal noise seeds the switching
    const ens = perSystem(Array.from({ length: N }, (_, s) => ({
      temperature: 1 + (s % 4),
      spins: [{ field: [0, 0, -(1.2 + 0.06 * s)], anisotropy: 1, alpha: 0.3, init: [0.02, 0, 1] }],
    })));
    const opts = { dt, steps: 600, averageFrom: 3, seed: 8, record: { systems: 4, stride: 7 }, keepTrajectories: true };
    const cpuRun = runLlgCpu(ens, opts);
    const gpuRun = await b.run(llgKernel, ens, opts);
    const cpu = kept(cpuRun), gpu = kept(gpuRun);
    expect(maxAbsDiff(cpu.finalM, gpu.finalM)).toBeLessThan(TOL_M);
    expect(maxAbsDiff(cpu.meanM, gpu.meanM)).toBeLessThan(TOL_M);
    expect(maxAbsDiff(cpuRun.record!.m, gpuRun.record!.m)).toBeLessThan(TOL_M);
    expect(Array.from(gpu.switched)).toEqual(Array.from(cpu.switched));
    let nSwitched = 0, worstDt = 0;
    for (let s = 0; s < N; s++) {
      expect(Number.isNaN(gpu.switchTime[s])).toBe(Number.isNaN(cpu.switchTime[s]));
      if (!Number.isNaN(cpu.switchTime[s])) {
        nSwitched++;
        // the crossing of m·n = 0 is fast; at most one step apart
        worstDt = Math.max(worstDt, Math.abs(gpu.switchTime[s] - cpu.switchTime[s]));
      }
    }
    expect(worstDt).toBeLessThanOrEqual(dt * (1 + 1e-9));
    // non-vacuous: both outcomes occur
    expect(nSwitched).toBeGreaterThan(4);
    expect(nSwitched).toBeLessThan(N);
    console.log(`twin switching: ${nSwitched}/${N} switched, worst |Δ switch time| = ${worstDt} ps`);
  });

  it('multi-dispatch run (stepsPerDispatch < steps, odd last dispatch) matches the CPU', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    // 1501 steps: full dispatches (even, one Philox block per two steps) and then an odd one ending on
    // half a pair
    const N = 5, steps = 1501;
    const ens = thermalDimer(N);
    const software = b.gpu!.kind === 'software';
    const W = systemsPerInvocation(ens, software);
    const chunkSoftware = stepsPerDispatch(ens, steps, true, N, undefined, systemsPerInvocation(ens, true));
    expect(chunkSoftware).toBeLessThan(steps);
    const chunk = stepsPerDispatch(ens, steps, software, N, undefined, W);
    expect(chunk % 2).toBe(0);
    // record stride and averaging window chosen not to align with dispatch boundaries
    const { cpu, r } = await twin(b, ens, { dt: 0.005, steps, averageFrom: 1.234, seed: 77, record: { systems: N, stride: 3 } });
    if (software) expect(steps % chunk % 2).toBe(1);
    expect(cpu.averagedSteps).toBe(steps - 246);
    expect(r.moved).toBeGreaterThan(0.3);
    console.log(`twin multi-dispatch: ${steps} steps, ${Math.ceil(steps / chunk)} dispatches of ≤ ${chunk} on this adapter; ${fmt(r)}`);
  });
});

describe('LLG: zero noise and tensor/scalar damping equivalence', () => {
  it('T = 0 is deterministic: different seeds give bit-identical results on both backends', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 4;
    const ens = perSystem(thermalDimerPoints(N).map(p => ({ ...p, temperature: 0 })));
    const base = { dt: 0.01, steps: 300, averageFrom: 0.5, record: { systems: N, stride: 1 }, keepTrajectories: true };
    const c1 = runLlgCpu(ens, { ...base, seed: 1 }), c2 = runLlgCpu(ens, { ...base, seed: 987654321 });
    const g1 = await b.run(llgKernel, ens, { ...base, seed: 1 }), g2 = await b.run(llgKernel, ens, { ...base, seed: 987654321 });
    for (const [x, y] of [[c1, c2], [g1, g2]]) {
      expect(Array.from(kept(y).finalM)).toEqual(Array.from(kept(x).finalM));
      expect(Array.from(kept(y).meanM)).toEqual(Array.from(kept(x).meanM));
      expect(Array.from(y.record!.m)).toEqual(Array.from(x.record!.m));
    }
    expect(maxAbsDiff(c1.record!.m, g1.record!.m)).toBeLessThan(TOL_M);
    // and a thermal run differs (so the seed does reach the noise)
    const hot = thermalDimer(N);
    const h1 = runLlgCpu(hot, { ...base, seed: 1 }), h2 = runLlgCpu(hot, { ...base, seed: 2 });
    expect(maxAbsDiff(kept(h1).finalM, kept(h2).finalM)).toBeGreaterThan(1e-2);

    // T = 0 systems inside a thermal ensemble see no noise: identical to the all-T=0 run
    const mixed = perSystem(thermalDimerPoints(N).map((p, s) => (s === 1 ? { ...p, temperature: 0 } : p)));
    const gm = await b.run(llgKernel, mixed, { ...base, seed: 3 });
    const cm = runLlgCpu(mixed, { ...base, seed: 3 });
    expect(Array.from(kept(gm).finalM.subarray(6, 12))).toEqual(Array.from(kept(g1).finalM.subarray(6, 12)));
    expect(Array.from(kept(cm).finalM.subarray(6, 12))).toEqual(Array.from(kept(c1).finalM.subarray(6, 12)));
  });

  // An explicit noise covariance (setNoiseCovariance) applies even at T = 0, on both backends, whether
  // or not another system of the ensemble is thermal (both decide from the packed noise factor).
  it('explicit noise covariance in a T = 0 system: applied, and the backends agree', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const A = [0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1], C = [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01];
    const opts = { dt: 0.01, steps: 100, averageFrom: 0, seed: 1, keepTrajectories: true };
    for (const otherThermal of [true, false]) {
      const spins = [{ field: [0, 0, 0.5], init: [0, 0, 1] }];
      const ens = perSystem([
        { temperature: otherThermal ? 10 : 0, spins, damping: A },
        { temperature: 0, spins, damping: A, noiseCovariance: C },
      ]);
      const cpu = kept(runLlgCpu(ens, opts)), gpu = kept(await b.run(llgKernel, ens, opts));
      expect(maxAbsDiff(cpu.finalM, gpu.finalM)).toBeLessThan(TOL_M);
      // the noisy T = 0 system has left +z; without the covariance it would stay exactly there
      expect(cpu.finalM[5]).toBeLessThan(0.999);
      if (!otherThermal) expect(Array.from(cpu.finalM.subarray(0, 3))).toEqual([0, 0, 1]);
    }
  });

  it('diagonal damping tensor α·1 with covariance 2αħS k_BT·1 reproduces the scalar path', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 6;
    const alphas = [0.1, 0.3], Ss = [1, 2.5];
    const spin = (s: number, i: number) => ({
      field: [0.05 * i, 0.1, 0.3 - 0.02 * s] as [number, number, number], anisotropy: 0.5 - 0.2 * i, easyAxis: [0, i, 1] as [number, number, number], S: Ss[i],
      init: [0.3, 0.2 * i, 1 - 2 * i] as [number, number, number], torqueAxis: [1, 0, 0] as [number, number, number], dampingLikeTorque: 0.02 * i,
    });
    const scalarPts: LlgPoint[] = [], tensorPts: LlgPoint[] = [], tensorFdtPts: LlgPoint[] = [];
    for (let s = 0; s < N; s++) {
      const T = 5 + 7 * s;
      const A = new Array(36).fill(0), C = new Array(36).fill(0);
      for (let i = 0; i < 2; i++) {
        for (let a = 0; a < 3; a++) {
          const k = 3 * i + a;
          A[k * 6 + k] = alphas[i];
          C[k * 6 + k] = 2 * alphas[i] * HBAR * Ss[i] * KB * T;
        }
      }
      const couplings = [{ i: 0, j: 1, J: 0.4, D: [0, 0, 0.1] }];
      scalarPts.push({ temperature: T, spins: [0, 1].map(i => ({ ...spin(s, i), alpha: alphas[i] })), couplings });
      tensorPts.push({ temperature: T, spins: [0, 1].map(i => spin(s, i)), couplings, damping: A, noiseCovariance: C });
      tensorFdtPts.push({ temperature: T, spins: [0, 1].map(i => spin(s, i)), couplings, damping: A });
    }
    const scalar = perSystem(scalarPts), tensor = perSystem(tensorPts), tensorFdt = perSystem(tensorFdtPts);
    const opts = { dt: 0.01, steps: 300, averageFrom: 0.3, seed: 11, record: { systems: N, stride: 1 } };
    const cs = runLlgCpu(scalar, opts), ct = runLlgCpu(tensor, opts), cf = runLlgCpu(tensorFdt, opts);
    // float64: only the rounding of the 6×6 solve vs the closed form differs → 1e-12
    const dCpu = Math.max(maxAbsDiff(cs.record!.m, ct.record!.m), maxAbsDiff(cs.record!.m, cf.record!.m));
    expect(dCpu).toBeLessThan(1e-12);
    const gs = await b.run(llgKernel, scalar, opts), gt = await b.run(llgKernel, tensor, opts);
    // float32: ~1e-7 per step rounding differences, amplified by the dynamics → 1e-5
    const dGpu = maxAbsDiff(gs.record!.m, gt.record!.m);
    expect(dGpu).toBeLessThan(1e-5);
    expect(maxAbsDiff(cs.record!.m, gt.record!.m)).toBeLessThan(TOL_M);
    console.log(`tensor vs scalar damping: CPU ${dCpu.toExponential(2)}, GPU ${dGpu.toExponential(2)}`);
  });
});

describe('LLG: batching over the adapter buffer limit', () => {
  // Ensembles larger than the adapter's storage-binding limit run in batches that carry their global
  // system offset (Philox counter, recording). Forcing tiny batches must not change a single bit of
  // the GPU result, including trajectories of recorded systems that straddle a batch boundary.
  it('batched run is bit-identical to the unbatched run and matches the CPU twin', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 13;
    const ens = thermalDimer(N);
    const opts = { dt: 0.01, steps: 200, averageFrom: 0.5, seed: 21, record: { systems: 7, stride: 4 }, keepTrajectories: true };
    const whole = await runLlgWebGpu(b.gpu!, ens, opts);
    const batched = await runLlgWebGpu(b.gpu!, ens, { ...opts, maxSystemsPerBatch: 5 });
    expect(Array.from(kept(batched).finalM)).toEqual(Array.from(kept(whole).finalM));
    expect(Array.from(kept(batched).meanM)).toEqual(Array.from(kept(whole).meanM));
    expect(Array.from(kept(batched).switchTime)).toEqual(Array.from(kept(whole).switchTime));
    expect(Array.from(batched.record!.m)).toEqual(Array.from(whole.record!.m));
    const cpu = runLlgCpu(ens, opts);
    expect(maxAbsDiff(cpu.record!.m, batched.record!.m)).toBeLessThan(TOL_M);
    expect(maxAbsDiff(kept(cpu).finalM, kept(batched).finalM)).toBeLessThan(TOL_M);
  });
});

describe('LLG: systems per invocation', () => {
  // On a CPU adapter the kernel integrates two systems per invocation (independent dependency chains that
  // llvmpipe overlaps). Each system keeps its own arithmetic and noise counters, so the results must not
  // depend on the grouping: an odd count (a half-empty last invocation), recording and dimer couplings.
  it('1, 2 and 3 systems per invocation agree (macrospin bit-identical, dimers to float32 rounding)', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const macro = perSystem(Array.from({ length: 9 }, (_, s) => ({
      temperature: 5 + s,
      spins: [{ field: [0.02 * s, 0, 0.5], anisotropy: 1, alpha: 0.1, init: [0.1, 0, 1] }],
    })));
    // one free spin of a tensor-damped dimer (ONE_FREE): nonlocal damping, so its noise mixes both spins'
    // normals and the drift correction is on
    const pinned = perSystem(Array.from({ length: 7 }, (_, s) => ({
      temperature: 3 + s,
      spins: [{ pinned: true, init: [1, 0, 1] }, { field: [0, 0, 0.3], anisotropy: 0.4, S: 1.5, init: [0.2, 0.1, -1] }],
      couplings: [{ i: 0, j: 1, J: 0.4, D: [0, 0.05, 0] }],
      damping: nonlocalDamping(),
    })));
    expect(pinned.features().reduction).toEqual({ free: 1, noiseFreeOnly: false });
    for (const [ens, tol] of [[macro, 0], [thermalDimer(7), 1e-6], [pinned, 1e-6]] as const) {
      const opts = { dt: 0.01, steps: 301, averageFrom: 0.5, seed: 5, record: { systems: 5, stride: 7 }, keepTrajectories: true };
      const one = await runLlgWebGpu(b.gpu!, ens, { ...opts, systemsPerInvocation: 1 });
      for (const w of [2, 3]) {
        const r = await runLlgWebGpu(b.gpu!, ens, { ...opts, systemsPerInvocation: w });
        expect(maxAbsDiff(kept(r).finalM, kept(one).finalM)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(kept(r).meanM, kept(one).meanM)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(r.record!.m, one.record!.m)).toBeLessThanOrEqual(tol);
        expect(Array.from(kept(r).switched)).toEqual(Array.from(kept(one).switched));
      }
      expect(maxAbsDiff(kept(runLlgCpu(ens, opts)).finalM, kept(one).finalM)).toBeLessThan(TOL_M);
    }
  });

  it('tensor damping with more than one free spin refuses more than one system per invocation', async () => {
    // two free spins with a (zero) damping tensor, two points as the two systems
    const ens = perSystem([0, 1].map(() => ({ temperature: 0, spins: [{}, {}], damping: new Array(36).fill(0) })));
    expect(() => heunShader(ens, shaderOptions(ens, { nonReciprocal: false, onsiteTensor: false, drift: false, record: true, torque: false, systemsPerInvocation: 2 }))).toThrow(/systems per invocation/);
  });
});

describe('LLG: review regressions', () => {
  it('time average of a static spin over 3e5 steps (several float64 folds) is exact to 2e-6 on the GPU', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    // A pinned spin at a generic orientation never moves: its time average is its orientation. Plain
    // float32 accumulation over the run gave a relative error of 5e-4 here.
    const m0: [number, number, number] = [0.6123, 0.3, 0.7313];
    const ens = perSystem([{ temperature: 0, spins: [{ pinned: true, init: m0, alpha: 0.1 }] }]);
    const r = kept(await b.run(llgKernel, ens, { dt: 0.01, steps: 300_000, averageFrom: 0, seed: 1, keepTrajectories: true }));
    const n = Math.hypot(...m0);
    for (let a = 0; a < 3; a++) expect(Math.abs(r.meanM[a] - m0[a] / n)).toBeLessThan(2e-6);
  });

  it('a pinned spin perpendicular to its axis never counts as switched, on either backend', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const N = 8;
    const ens = perSystem(Array.from({ length: N }, (_, s) => {
      const axis: [number, number, number] = [0.3 + 0.1 * s, -0.7, 0.2 * s - 0.5];
      const perp: [number, number, number] = [0.7, 0.3 + 0.1 * s, 0]; // axis·perp = 0 exactly in reals
      return {
        temperature: 3,
        spins: [{ pinned: true, init: perp, easyAxis: axis, alpha: 0.1 }, { init: [0, 0, 1], alpha: 0.1, field: [0, 0, 0.2] }],
        couplings: [{ i: 0, j: 1, J: 0.3 }],
      };
    }));
    const opts = { dt: 0.01, steps: 100, averageFrom: 0, seed: 5, keepTrajectories: true };
    const [g, c] = [kept(await b.run(llgKernel, ens, opts)), kept(runLlgCpu(ens, opts))];
    for (let s = 0; s < N; s++) {
      for (const r of [g, c]) { expect(r.switched[2 * s]).toBe(0); expect(r.switchTime[2 * s]).toBeNaN(); }
      expect(g.switched[2 * s + 1]).toBe(c.switched[2 * s + 1]);
    }
  });
});
