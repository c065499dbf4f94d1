// The LLG core's problem contract (src/llg/): parameter points shared by trajectories.
//  - a model's describe() is called once per point, and the packed rows do not grow with the number of
//    trajectories (host memory is O(points));
//  - P points × M trajectories give, trajectory for trajectory, the same results as P·M points of one
//    trajectory each (the noise is keyed by the trajectory index alone), on the CPU twin and on WebGPU,
//    also when the device run is cut into batches;
//  - per-trajectory initial states equal points that start there;
//  - per-point statistics equal the two-pass mean and standard error over the point's trajectories,
//    with non-finite trajectories left out and counted.
import { describe, it, expect } from 'vitest';
import { runLlgCpu } from '../src/kernels/llg/cpu.ts';
import { runLlgWebGpu, stepsPerDispatch } from '../src/kernels/llg/webgpu.ts';
import { LlgProblem, type LlgModel, type LlgPoint, type LlgRunOptions } from '../src/llg/index.ts';
import { webgpuBackend } from './gpu.ts';
import { maxAbsDiff } from './compare.ts';

/** A dimer whose field and temperature depend on the point (b, T). */
const dimer: LlgModel<{ b: number; T: number }> = {
  describe: ({ b, T }) => ({
    temperature: T,
    spins: [
      { field: [0.1, 0, b], anisotropy: 0.4, alpha: 0.2, init: [0.3, 0, 1] },
      { field: [0, 0.05, 0.2], anisotropy: 0.2, S: 2, alpha: 0.1, init: [0, 0.4, 1] },
    ],
    couplings: [{ i: 0, j: 1, J: 0.5, D: [0, 0, 0.1] }],
  }),
};
const params = [{ b: 0.3, T: 2 }, { b: -0.2, T: 5 }, { b: 0.05, T: 0 }];
const M = 5;
const opts: LlgRunOptions = { dt: 0.01, steps: 203, averageFrom: 0.4, seed: 17, keepTrajectories: true, record: { systems: 11, stride: 3 } };

describe('LLG problem: parameter points × trajectories', () => {
  it('describes each point once and packs O(points) rows, whatever the trajectory count', () => {
    let calls = 0;
    const counting: LlgModel<{ b: number; T: number }> = { describe: p => { calls++; return dimer.describe(p); } };
    const small = LlgProblem.fromModel(counting, params, { trajectoriesPerPoint: 1 });
    const large = LlgProblem.fromModel(counting, params, { trajectoriesPerPoint: 1 << 20 });
    expect(calls).toBe(2 * params.length);
    expect(large.rows.length).toBe(small.rows.length);
    expect(large.rows.length).toBe(params.length * large.stride);
    expect(large.trajectories).toBe(params.length << 20);
    expect(large.pointOf((1 << 20) * 2 + 7)).toBe(2);
  });

  it('P points × M trajectories = P·M single-trajectory points, bit for bit (CPU twin)', () => {
    const shared = LlgProblem.fromModel(dimer, params, { trajectoriesPerPoint: M });
    const flat = LlgProblem.fromModel(dimer, params.flatMap(p => new Array(M).fill(p)));
    const a = runLlgCpu(shared, opts), b = runLlgCpu(flat, opts);
    expect(Array.from(a.trajectoryData!.finalM)).toEqual(Array.from(b.trajectoryData!.finalM));
    expect(Array.from(a.trajectoryData!.meanM)).toEqual(Array.from(b.trajectoryData!.meanM));
    expect(Array.from(a.record!.m)).toEqual(Array.from(b.record!.m));
    // the trajectories of a point differ from each other (own noise), except at T = 0
    const n = 6, tr = a.trajectoryData!.finalM;
    expect(maxAbsDiff(tr.subarray(0, n), tr.subarray(n, 2 * n))).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(tr.subarray(2 * M * n, 2 * M * n + n), tr.subarray((2 * M + 1) * n, (2 * M + 2) * n))).toBe(0);
  });

  it('the same on WebGPU, whole and cut into batches of 4 trajectories', async (ctx) => {
    const b = await webgpuBackend(); if (!b) return ctx.skip();
    const shared = LlgProblem.fromModel(dimer, params, { trajectoriesPerPoint: M });
    const flat = LlgProblem.fromModel(dimer, params.flatMap(p => new Array(M).fill(p)));
    const one = { ...opts, systemsPerInvocation: 1 };
    const a = await runLlgWebGpu(b.gpu, shared, one), f = await runLlgWebGpu(b.gpu, flat, one);
    const c = await runLlgWebGpu(b.gpu, shared, { ...one, maxSystemsPerBatch: 4 });
    for (const r of [f, c]) {
      expect(maxAbsDiff(a.trajectoryData!.finalM, r.trajectoryData!.finalM)).toBe(0);
      expect(maxAbsDiff(a.trajectoryData!.meanM, r.trajectoryData!.meanM)).toBe(0);
      expect(maxAbsDiff(a.record!.m, r.record!.m)).toBe(0);
    }
    const cpu = runLlgCpu(shared, opts);
    expect(maxAbsDiff(cpu.trajectoryData!.finalM, a.trajectoryData!.finalM)).toBeLessThan(1e-4);
  });

  it('per-trajectory initial states = points that start there', () => {
    const init = Array.from({ length: params.length * M }, (_, t) => [Math.cos(t), Math.sin(t), 0.5, 0.2, -0.1 * t, 1]).flat();
    const withStates = LlgProblem.fromModel(dimer, params, { trajectoriesPerPoint: M, initialStates: init });
    const asPoints = LlgProblem.fromPoints(params.flatMap(p => new Array(M).fill(p)).map((p, t) => {
      const pt = dimer.describe(p);
      return { ...pt, spins: pt.spins.map((s, i) => ({ ...s, init: init.slice(6 * t + 3 * i, 6 * t + 3 * i + 3) })) };
    }));
    const a = runLlgCpu(withStates, opts), b = runLlgCpu(asPoints, opts);
    expect(Array.from(a.trajectoryData!.finalM)).toEqual(Array.from(b.trajectoryData!.finalM));
    expect(Array.from(a.trajectoryData!.switchTime)).toEqual(Array.from(b.trajectoryData!.switchTime));
    expect(() => LlgProblem.fromModel(dimer, params, { trajectoriesPerPoint: M, initialStates: [1, 0, 0] })).toThrow(/initialStates must hold 15 trajectories/);
  });

  it('per-point statistics: two-pass mean ± standard error over the finite trajectories; non-finite ones counted', () => {
    // point 1 has a field no float64 step survives: its trajectories end non-finite
    const pts: LlgPoint[] = [dimer.describe(params[0]), { ...dimer.describe(params[1]), spins: [{ field: [1e306, 0, 0], alpha: 0.1 }, { alpha: 0.1 }] }];
    const r = runLlgCpu(LlgProblem.fromPoints(pts, { trajectoriesPerPoint: M }), { ...opts, record: undefined });
    const tr = r.trajectoryData!, st = r.stats, n = 6;
    for (let k = 0; k < n; k++) {
      const xs = Array.from({ length: M }, (_, t) => tr.meanM[t * n + k]);
      const mean = xs.reduce((a, x) => a + x, 0) / M;
      const se = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (M - 1) / M);
      expect(st.meanM[k]).toBeCloseTo(mean, 12);
      expect(st.meanMStderr[k]).toBeCloseTo(se, 12);
    }
    expect(Array.from(st.finite)).toEqual([M, 0]);
    expect(Number.isNaN(st.meanM[n])).toBe(true);
    // one trajectory: a mean, but no standard error
    const one = runLlgCpu(LlgProblem.fromPoints([pts[0]]), { ...opts, record: undefined });
    expect(Number.isFinite(one.stats.meanM[0])).toBe(true);
    expect(Number.isNaN(one.stats.meanMStderr[0])).toBe(true);
  });

  it('refuses points that do not share the problem shape, naming the point and the field', () => {
    const base = dimer.describe(params[0]);
    expect(() => LlgProblem.fromPoints([base, { ...base, spins: base.spins.slice(0, 1) }])).toThrow(/every point of a problem has 2 spins; point 1 has 1/);
    expect(() => LlgProblem.fromPoints([base, { ...base, spins: base.spins.map(s => ({ ...s, alpha: undefined })), damping: new Array(36).fill(0) }])).toThrow(/point 1: a damping tensor needs every point/);
    expect(() => LlgProblem.fromPoints([{ ...base, temperature: -1 }])).toThrow(/temperature \(K\) must be a finite number in \[0, 100000\]/);
    expect(() => LlgProblem.fromPoints([{ ...base, couplings: [{ i: 0, j: 2, J: 1 }] }])).toThrow(/couplings\[0\]: coupling pair \(0,2\)/);
    expect(() => LlgProblem.fromPoints([], {})).toThrow(/at least one parameter point/);
  });
});

describe('LLG problem: a sweep cut into pieces', () => {
  it('points [a, b) with trajectoryOffset a·M give the trajectories of the whole problem, bit for bit (CPU and WebGPU)', async (ctx) => {
    const pts = [{ b: 0.3, T: 2 }, { b: -0.2, T: 5 }, { b: 0.1, T: 3 }, { b: 0.2, T: 7 }];
    const M = 3, o: LlgRunOptions = { dt: 0.01, steps: 101, averageFrom: 0.2, seed: 5, keepTrajectories: true };
    const whole = LlgProblem.fromModel(dimer, pts, { trajectoriesPerPoint: M });
    const tail = LlgProblem.fromModel(dimer, pts.slice(1), { trajectoriesPerPoint: M, trajectoryOffset: M });
    const a = runLlgCpu(whole, o), b = runLlgCpu(tail, o);
    expect(Array.from(b.trajectoryData!.finalM)).toEqual(Array.from(a.trajectoryData!.finalM.subarray(M * 6)));
    expect(Array.from(b.stats.meanM)).toEqual(Array.from(a.stats.meanM.subarray(6)));
    const g = await webgpuBackend(); if (!g) return ctx.skip();
    const ga = await runLlgWebGpu(g.gpu, whole, o), gb = await runLlgWebGpu(g.gpu, tail, o);
    expect(maxAbsDiff(gb.trajectoryData!.finalM, ga.trajectoryData!.finalM.subarray(M * 6))).toBe(0);
  });

  // The device sums time averages in float32 per block, per dispatch and per host fold, and a dispatch's length
  // follows the trajectory count: a smaller slice (a sweep's last chunk, a shard) would take longer dispatches and
  // round its averages differently. dispatchTrajectories (the sweep's chunk size) makes every slice dispatch alike.
  it('WebGPU: a slice run with dispatchTrajectories = the whole problem\'s size has the whole run\'s time averages, bit for bit', async (ctx) => {
    const g = await webgpuBackend(); if (!g) return ctx.skip();
    const macrospin: LlgModel<{ b: number }> = { describe: ({ b }) => ({ temperature: 4, spins: [{ field: [0.2, 0, b], anisotropy: 0.5, alpha: 0.3, init: [0.2, 0, 1] }] }) };
    const M = 1 << 16, o: LlgRunOptions = { dt: 0.01, steps: 1024, averageFrom: 0, seed: 9, keepTrajectories: true };
    const whole = LlgProblem.fromModel(macrospin, [{ b: 0.3 }, { b: -0.1 }], { trajectoriesPerPoint: M });
    const tail = LlgProblem.fromModel(macrospin, [{ b: -0.1 }], { trajectoriesPerPoint: M, trajectoryOffset: M });
    // the two sizes take different dispatch lengths on this adapter (else the test would show nothing)
    const software = g.gpu.kind === 'software', spd = (p: LlgProblem) => stepsPerDispatch(p, o.steps, software, p.trajectories, undefined, software ? 2 : 1);
    expect(spd(tail)).not.toBe(spd(whole));
    const a = await runLlgWebGpu(g.gpu, whole, o);
    const ref = a.trajectoryData!.meanM.subarray(M * 3);
    const plain = await runLlgWebGpu(g.gpu, tail, o);
    expect(maxAbsDiff(plain.trajectoryData!.finalM, a.trajectoryData!.finalM.subarray(M * 3))).toBe(0);
    expect(maxAbsDiff(plain.trajectoryData!.meanM, ref)).toBeGreaterThan(0);     // the rounding differs without it
    const fixed = await runLlgWebGpu(g.gpu, tail, { ...o, dispatchTrajectories: whole.trajectories });
    expect(maxAbsDiff(fixed.trajectoryData!.meanM, ref)).toBe(0);
    expect(Array.from(fixed.stats.meanM)).toEqual(Array.from(a.stats.meanM.subarray(3)));
  }, 60_000);
});
