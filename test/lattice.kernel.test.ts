// Lattice Langevin kernel: the WebGPU kernel against its float64 twin step by step, results independent of how
// the lattice is split across dispatches, submissions, replica batches and runs, the regular lattice against the
// same bonds as a neighbour list, and clear errors for bad input and grids past the device limits.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/backends/index.ts';
import { latticeKernel, type LatticeResult, type LatticeRunOptions } from '../src/kernels/lattice/index.ts';
import { runLatticeCpu } from '../src/kernels/lattice/cpu.ts';
import { LatticeProblem, type BondList, type ReplicaSpec } from '../src/models/lattice/problem.ts';
import { webgpuBackend } from './gpu.ts';

const cpu = new CpuBackend();

// Odd sides and one open axis catch index and boundary errors; two replicas with different T and fields.
function mixed(over: { bonds?: BondList; J?: number } = {}): LatticeProblem {
  return LatticeProblem.create({
    geometry: { dims: [5, 4, 3], periodic: [true, false, true] }, J: over.J ?? 1, bonds: over.bonds,
    anisotropy: { K: 0.3, axes: 'random', seed: 3 },
    replicas: [{ temperature: 5, field: [0.1, 0, 0.2] }, { temperature: 12, field: [0, -0.3, 0] }],
    init: 'random', alpha: 0.5,
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let d = 0; for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k])); return d; };
const same = (a: LatticeResult, b: LatticeResult) => {
  expect(Array.from(a.state!)).toEqual(Array.from(b.state!));
  expect(Array.from(a.M)).toEqual(Array.from(b.M));
  expect(Array.from(a.E)).toEqual(Array.from(b.E));
  expect(Array.from(a.gradSq)).toEqual(Array.from(b.gradSq));
};

describe('lattice kernel: webgpu vs the float64 twin', () => {
  const opts: LatticeRunOptions = { dt: 0.02, steps: 40, seed: 7, sampleEvery: 5, sampleFrom: 10 };

  it('one step agrees to float32 rounding, 40 steps within 1e-5 per component; sampled sums within 2e-6 per grain', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const p = mixed();
    const N = p.sites;
    const one = { dt: 0.02, steps: 1, seed: 7 };
    const [c1, g1] = [await cpu.run(latticeKernel, p, one), await gpu.run(latticeKernel, p, one)];
    expect(maxDiff(c1.state!, g1.state!)).toBeLessThan(2e-6);
    const c = await cpu.run(latticeKernel, p, opts), g = await gpu.run(latticeKernel, p, opts);
    expect(g.samples).toBe(6);
    expect(maxDiff(c.state!, g.state!)).toBeLessThan(1e-5);
    // the dynamics moved the state well past the tolerance
    expect(maxDiff(c.state!, p.initialState(7))).toBeGreaterThan(0.1);
    expect(maxDiff(c.M, g.M) / N).toBeLessThan(2e-6);
    expect(maxDiff(c.E, g.E) / N).toBeLessThan(2e-6);
    expect(maxDiff(c.gradSq, g.gradSq) / N).toBeLessThan(1e-5);
    expect(maxDiff(c.laplacian, g.laplacian) / N).toBeLessThan(1e-5);
    // the measured energy is the model's energy of the state (twin, float64)
    const last = (r: number) => c.E[r * c.samples + c.samples - 1];
    for (let r = 0; r < 2; r++) expect(Math.abs(last(r) - p.energy(c.state!, r))).toBeLessThan(1e-10 * N);
  });

  it('a disordered neighbour list (per-bond J) agrees with the twin', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    // the regular bonds of the mixed lattice with a different J on every bond (symmetric), plus one long bond
    const reg = mixed().regularBondList();
    const Jof = (i: number, j: number) => 0.5 + ((Math.min(i, j) * 7 + Math.max(i, j) * 13) % 11) / 10;
    const lists: number[][] = Array.from({ length: 60 }, () => []);
    for (let i = 0; i < 60; i++) for (let k = reg.offsets[i]; k < reg.offsets[i + 1]; k++) lists[i].push(reg.neighbours[k]);
    lists[0].push(59); lists[59].push(0);
    const offsets = new Uint32Array(61), nb: number[] = [], J: number[] = [];
    lists.forEach((l, i) => { for (const j of l) { nb.push(j); J.push(Jof(i, j)); } offsets[i + 1] = nb.length; });
    const p = mixed({ bonds: { offsets, neighbours: Uint32Array.from(nb), J: Float64Array.from(J) } });
    const c = await cpu.run(latticeKernel, p, opts), g = await gpu.run(latticeKernel, p, opts);
    expect(maxDiff(c.state!, g.state!)).toBeLessThan(1e-5);
    expect(maxDiff(c.E, g.E) / p.sites).toBeLessThan(2e-6);
    for (let r = 0; r < 2; r++) expect(Math.abs(c.E[r * c.samples + c.samples - 1] - p.energy(c.state!, r))).toBeLessThan(1e-10 * p.sites);
  });
});

describe('lattice kernel: results do not depend on how the work is split', () => {
  it('webgpu: sites per dispatch, steps per submission and replicas per batch change no bit', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const p = mixed();
    const base = { dt: 0.02, steps: 21, seed: 9, sampleEvery: 4, sampleFrom: 3 };
    const ref = await gpu.run(latticeKernel, p, base);
    same(ref, await gpu.run(latticeKernel, p, { ...base, maxSitesPerDispatch: 37 }));
    same(ref, await gpu.run(latticeKernel, p, { ...base, stepsPerSubmit: 3 }));
    same(ref, await gpu.run(latticeKernel, p, { ...base, maxReplicasPerBatch: 1, maxSitesPerDispatch: 64, stepsPerSubmit: 5 }));
  });

  it('webgpu and twin: a run continued from its state at an odd step equals the whole run (noise counters go on)', async () => {
    const p = mixed();
    for (const be of [cpu, await webgpuBackend()]) {
      if (!be) continue;
      const whole = await be.run(latticeKernel, p, { dt: 0.02, steps: 30, seed: 4 });
      const a = await be.run(latticeKernel, p, { dt: 0.02, steps: 17, seed: 4 });
      const b = await be.run(latticeKernel, p, { dt: 0.02, steps: 13, seed: 4, firstStep: 17, initialState: a.state! });
      // the webgpu state goes through float32 both ways: the continued run restarts from the same float32 values
      expect(Array.from(b.state!)).toEqual(Array.from(whole.state!));
    }
  });

  it('twin: a replica alone gives the same trajectory as inside a batch of replicas (counter word 0 = r·N + i)', () => {
    const p = mixed();
    const all = runLatticeCpu(p, { dt: 0.02, steps: 12, seed: 2 });
    // replica 1 as the only replica of a problem whose replica 0 is a dummy at the same index… the noise of replica 1
    // must differ from replica 0's: same temperature and field for both, different trajectories
    const twin = p.withReplicas([{ temperature: 12, field: [0, -0.3, 0] }, { temperature: 12, field: [0, -0.3, 0] }]);
    const t = runLatticeCpu(twin, { dt: 0.02, steps: 12, seed: 2, initialState: p.initialState(2) });
    const N3 = 3 * p.sites;
    // replica 1 of `twin` is replica 1 of `p` (same counters, same parameters, same start)
    expect(Array.from(t.state!.subarray(N3))).toEqual(Array.from(all.state!.subarray(N3)));
    // replica 0 of `twin` has replica 1's parameters but its own noise: a different trajectory
    expect(maxDiff(t.state!.subarray(0, N3), t.state!.subarray(N3))).toBeGreaterThan(0.01);
  });

  it('twin: the regular lattice equals its own bonds given as a neighbour list (float64 rounding)', () => {
    const p = mixed();
    const q = mixed({ bonds: p.regularBondList() });
    const o = { dt: 0.02, steps: 25, seed: 5, sampleEvery: 5 };
    const a = runLatticeCpu(p, o), b = runLatticeCpu(q, o);
    expect(maxDiff(a.state!, b.state!)).toBeLessThan(1e-12);
    expect(maxDiff(a.E, b.E)).toBeLessThan(1e-11);
    expect(Math.abs(p.energy(a.state!, 0) - q.energy(a.state!, 0))).toBeLessThan(1e-12);
  });
});

describe('lattice kernel: replica offset (a chunk of a sweep draws what the whole sweep draws)', () => {
  // five replicas, one at T = 0, random start: the whole problem, and its replicas [2, 5) and [0, 1) as problems of their own
  const reps: ReplicaSpec[] = [{ temperature: 5, field: [0.1, 0, 0.2] }, { temperature: 0 }, { temperature: 12, field: [0, -0.3, 0] }, { temperature: 0 }, { temperature: 8 }];
  const spec = { geometry: { dims: [5, 4, 3] as [number, number, number], periodic: [true, false, true] as [boolean, boolean, boolean] }, J: 1, anisotropy: { K: 0.3, axes: 'random' as const, seed: 3 }, init: 'random' as const, alpha: 0.5 };
  const whole = LatticeProblem.create({ ...spec, replicas: reps });
  const part = LatticeProblem.create({ ...spec, replicas: reps.slice(2), replicaOffset: 2 });
  // replica 1 alone is at T = 0: the whole problem draws noise for it (σ = 0), so must the chunk
  const cold = LatticeProblem.create({ ...spec, replicas: [reps[1]], replicaOffset: 1, thermal: true });
  const o = { dt: 0.02, steps: 23, seed: 6, sampleEvery: 4, sampleFrom: 3 };
  const N = whole.sites, S = 5;
  const replicasOf = (r: LatticeResult, first: number, count: number) => ({
    state: Array.from(r.state!.subarray(3 * N * first, 3 * N * (first + count))), M: Array.from(r.M.subarray(3 * S * first, 3 * S * (first + count))),
    E: Array.from(r.E.subarray(S * first, S * (first + count))), gradSq: Array.from(r.gradSq.subarray(S * first, S * (first + count))), laplacian: Array.from(r.laplacian.subarray(S * first, S * (first + count))),
  });

  it('twin and webgpu: replicas [k, k + R) with offset k equal those replicas of the whole problem bit for bit (state, M, E, the T_conf pair)', async () => {
    expect(Array.from(part.initialState(6))).toEqual(Array.from(whole.initialState(6).subarray(3 * N * 2)));
    for (const be of [cpu, await webgpuBackend()]) {
      if (!be) continue;
      const a = await be.run(latticeKernel, whole, o), b = await be.run(latticeKernel, part, o), c = await be.run(latticeKernel, cold, o);
      expect(b.samples).toBe(S);
      expect(replicasOf(b, 0, 3)).toEqual(replicasOf(a, 2, 3));
      expect(replicasOf(c, 0, 1)).toEqual(replicasOf(a, 1, 1));
      // without the offset the same replicas draw replica 0's noise: another trajectory
      const z = await be.run(latticeKernel, LatticeProblem.create({ ...spec, replicas: reps.slice(2) }), o);
      expect(maxDiff(z.state!.subarray(0, 3 * N), a.state!.subarray(6 * N, 9 * N))).toBeGreaterThan(0.01);
    }
  });

  it('twin vs webgpu: global site indices crossing 2^32 inside a replica (counter word 2 takes the carry) agree as at offset 0', async () => {
    const k = Math.floor(2 ** 32 / N);   // replica k starts 16 sites below 2^32
    const far = LatticeProblem.create({ ...spec, replicas: reps.slice(0, 3), replicaOffset: k });
    expect(far.replicaOffset * N + N).toBeGreaterThan(2 ** 32);
    // the start of site 2^32 (word 2 = 1) is not the start of site 0 (word 2 = 0)
    const g = 2 ** 32 - k * N, s0 = far.initialState(6), w0 = whole.initialState(6);
    expect(maxDiff(s0.subarray(3 * g, 3 * g + 3), w0.subarray(0, 3))).toBeGreaterThan(1e-3);
    const c = await cpu.run(latticeKernel, far, { dt: 0.02, steps: 40, seed: 7 });
    expect(maxDiff(c.state!, whole.initialState(7).subarray(0, 9 * N))).toBeGreaterThan(0.1);
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const one = await gpu.run(latticeKernel, far, { dt: 0.02, steps: 1, seed: 7 }), c1 = await cpu.run(latticeKernel, far, { dt: 0.02, steps: 1, seed: 7 });
    expect(maxDiff(c1.state!, one.state!)).toBeLessThan(2e-6);
    const g40 = await gpu.run(latticeKernel, far, { dt: 0.02, steps: 40, seed: 7 });
    expect(maxDiff(c.state!, g40.state!)).toBeLessThan(1e-5);
  });

  it('refuses offsets past 2^53 global sites and thermal: false with a replica at T > 0', () => {
    expect(() => LatticeProblem.create({ ...spec, replicas: reps, replicaOffset: Math.floor(2 ** 53 / 60) })).toThrow(/more than the 2\^53/);
    expect(() => LatticeProblem.create({ ...spec, replicas: reps, replicaOffset: -1 })).toThrow(/replicaOffset must be an integer ≥ 0/);
    expect(() => LatticeProblem.create({ ...spec, replicas: reps, thermal: false })).toThrow(/thermal: false with a replica at T > 0/);
  });
});

describe('lattice kernel: bad input', () => {
  it('refuses lattices and parameters it cannot run, naming what is wrong', () => {
    const geo = { dims: [4, 4, 4] as [number, number, number], periodic: [true, true, true] as [boolean, boolean, boolean] };
    expect(() => LatticeProblem.create({ geometry: { dims: [1, 1, 1], periodic: [true, true, true] }, J: 1, replicas: [{ temperature: 1 }] })).toThrow(/at least one side must be ≥ 2/);
    expect(() => LatticeProblem.create({ geometry: geo, J: NaN, replicas: [{ temperature: 1 }] })).toThrow(/exchange J must be a finite number/);
    expect(() => LatticeProblem.create({ geometry: geo, J: Infinity, replicas: [{ temperature: 1 }] })).toThrow(/exchange J must be a finite number/);
    expect(() => LatticeProblem.create({ geometry: geo, J: 1, replicas: [{ temperature: -1 }] })).toThrow(/temperature must be finite and ≥ 0/);
    expect(() => LatticeProblem.create({ geometry: geo, J: 1, anisotropy: { K: NaN, axes: 'random' }, replicas: [{ temperature: 1 }] })).toThrow(/anisotropy K must be a finite/);
    expect(() => LatticeProblem.create({ geometry: geo, J: 1, replicas: [] })).toThrow(/at least one replica/);
    expect(() => LatticeProblem.create({ geometry: { dims: [65536, 65536, 1], periodic: [true, true, true] }, J: 1, replicas: [{ temperature: 1 }, { temperature: 2 }] })).toThrow(/more than the 2\^32/);
    // an asymmetric neighbour list
    const bad = { offsets: Uint32Array.from([0, 1, 1]), neighbours: Uint32Array.from([1]), J: Float64Array.from([1]) };
    expect(() => LatticeProblem.create({ geometry: { dims: [2, 1, 1], periodic: [false, false, false] }, bonds: bad, replicas: [{ temperature: 1 }] })).toThrow(/not symmetric/);
    const p = LatticeProblem.create({ geometry: geo, J: 1, replicas: [{ temperature: 1 }] });
    expect(() => runLatticeCpu(p, { dt: 0, steps: 1, seed: 1 })).toThrow(/dt must be a finite number > 0/);
    expect(() => runLatticeCpu(p, { dt: 0.01, steps: 10, seed: 1, sampleEvery: 2, sampleFrom: 11 })).toThrow(/sampleFrom/);
    expect(() => runLatticeCpu(p, { dt: 0.01, steps: 1, seed: 1, initialState: new Float64Array(5) })).toThrow(/initial state must hold/);
  });

  it('webgpu: a lattice whose state buffer exceeds the adapter limit is refused before anything is allocated', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const lim = Math.min(gpu.gpu.device.limits.maxStorageBufferBindingSize, gpu.gpu.device.limits.maxBufferSize);
    const n = Math.floor(lim / 16) + 1;   // one vec4 per grain no longer fits
    const p = LatticeProblem.create({ geometry: { dims: [n, 1, 1], periodic: [true, false, false] }, J: 1, replicas: [{ temperature: 0 }] });
    await expect(gpu.run(latticeKernel, p, { dt: 0.01, steps: 1, seed: 1 })).rejects.toThrow(/lattice of \d+ sites.*(limit|workgroups).*lower the lattice size/);
  });
});
