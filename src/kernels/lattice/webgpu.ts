// Host side of shaders/lattice/heun.wgsl: global state buffers per batch of replicas (m, m̃, mid, the pair's six
// normals), one predict and one correct dispatch per step (more where a dispatch is capped in sites), a measure
// dispatch per sample whose per-workgroup partial sums are folded in float64 here. Many steps go into one
// submission: each dispatch reads its own 256-byte slot of one uniform buffer (bind groups per slot are made
// once per batch and reused). CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { seedKey, STREAM_THERMAL } from '../../numerics/philox.ts';
import { HBAR } from '../../numerics/units.ts';
import { siteCounter, type LatticeProblem } from '../../models/lattice/problem.ts';
import { LATTICE_RUN, REPLICA_ROW, SITES_PER_INVOCATION, UNIFORM_SLOT } from './layout.ts';
import { bytesPerGrain, sampleIndex, validateLatticeRun, type LatticeResult, type LatticeRunOptions } from './run.ts';

/** The shader for this problem's shape (lattice sides and boundaries are compile-time constants). */
export function latticeShader(problem: LatticeProblem): Promise<string> {
  const [LX, LY, LZ] = problem.dims, N = problem.sites, aniso = problem.K !== 0;
  return composeShader(['rng/philox.wgsl', 'lattice/heun.wgsl'], {
    NS: N, LX, LY, LZ,
    OX: !problem.periodic[0], OY: !problem.periodic[1], OZ: !problem.periodic[2],
    NBR_LIST: problem.bonds !== null, NBR_PAIRS: N + 1,
    ANISO: aniso, REP0: aniso ? 3 * N : 0, ...REPLICA_ROW.constants('REP'),
    THERMAL: problem.thermal, STREAM_THERMAL, SPT: SITES_PER_INVOCATION, WPR: workgroupsPerReplica(N),
  }, { structs: [LATTICE_RUN] });
}

export function workgroupsPerReplica(N: number): number { return Math.ceil(N / (WORKGROUP * SITES_PER_INVOCATION)); }

/**
 * Bytes of device memory per replica (m, m̃, mid as vec4 = 16 B each per grain; the pair's six normals, 24 B, when
 * thermal; its replica row) and shared by all replicas (easy axes 12 B per grain, the neighbour list).
 */
export function deviceBytes(problem: LatticeProblem): { perReplica: number; shared: number; largestPerReplica: number } {
  const N = problem.sites;
  const z = problem.thermal ? 24 * N : 0;
  const perReplica = 3 * 16 * N + z + 4 * REPLICA_ROW.stride;
  const shared = (problem.K !== 0 ? 12 * N : 0) + (problem.bonds ? 4 * (N + 1) + 8 * problem.bonds.neighbours.length : 0);
  return { perReplica, shared, largestPerReplica: Math.max(16 * N, z) };
}

/** Dispatch slots (uniform slots) per submission at most. */
const MAX_SLOTS = 2048;
/** Site-steps per submission at most (bounded work per queue submission; no watchdog can trip). */
const SUBMIT_BUDGET = 2 ** 24;

interface Batch { first: number; count: number }

/** Replica batches that fit the adapter's buffer limits (throws when one replica does not fit). */
export function replicaBatches(problem: LatticeProblem, device: GPUDevice, samplesPerSubmit: number, cap = Infinity): Batch[] {
  const lim = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const N = problem.sites, b = deviceBytes(problem), wpr = workgroupsPerReplica(N);
  if (wpr > device.limits.maxComputeWorkgroupsPerDimension) {
    throw new RangeError(`lattice of ${N} sites: the measure pass needs ${wpr} workgroups per replica, more than this adapter's ${device.limits.maxComputeWorkgroupsPerDimension}; lower the lattice size (at most ${device.limits.maxComputeWorkgroupsPerDimension * WORKGROUP * SITES_PER_INVOCATION} sites)`);
  }
  if (b.largestPerReplica > lim) {
    throw new RangeError(`lattice of ${N} sites needs ${b.largestPerReplica} bytes in one state buffer, more than this adapter's storage-buffer limit of ${lim} bytes; lower the lattice size (at most ${Math.floor(lim / (b.largestPerReplica / N))} sites per replica)`);
  }
  const axesBytes = problem.K !== 0 ? 12 * N : 0, nbrBytes = problem.bonds ? 4 * (N + 1) + 8 * problem.bonds.neighbours.length : 0;
  if (axesBytes + 4 * REPLICA_ROW.stride > lim || nbrBytes > lim) throw new RangeError(`lattice of ${N} sites: the easy axes (${axesBytes} bytes) or the neighbour list (${nbrBytes} bytes) exceed this adapter's storage-buffer limit of ${lim} bytes; lower the lattice size`);
  const perRep = Math.max(b.largestPerReplica, 32 * wpr * Math.max(1, samplesPerSubmit));
  const maxRep = Math.max(1, Math.min(cap, Math.floor(lim / perRep), Math.floor((lim - axesBytes) / (4 * REPLICA_ROW.stride)), Math.floor(0xffffffff / N)));
  const out: Batch[] = [];
  for (let first = 0; first < problem.replicas; first += maxRep) out.push({ first, count: Math.min(maxRep, problem.replicas - first) });
  return out;
}

type Stage = 'predict_draw' | 'predict_load' | 'correct' | 'measure';
const STAGES: Stage[] = ['predict_draw', 'predict_load', 'correct', 'measure'];

export async function runLatticeWebGpu(gpu: GpuContext, problem: LatticeProblem, opts: LatticeRunOptions): Promise<LatticeResult> {
  const v = validateLatticeRun(problem, opts);
  const { device } = gpu;
  const tSetup = performance.now();
  const N = problem.sites, R = problem.replicas, dt = opts.dt, thermal = problem.thermal;
  const maxWG = device.limits.maxComputeWorkgroupsPerDimension;
  const key = seedKey(opts.seed);
  const w = -1 / (HBAR * problem.S * (1 + problem.alpha * problem.alpha));
  // float32 must hold every parameter: overflow or underflow would give inf/NaN (or 0) on the GPU only
  const f32ok = (x: number) => x === 0 || (Math.abs(x) < 1e30 && Math.abs(x) > 1e-30);
  const f32check = (what: string, x: number) => { if (!f32ok(x)) throw new RangeError(`lattice: ${what} = ${x} is outside the float32 range of the WebGPU kernel; rescale or use --backend cpu`); };
  f32check('J', problem.J); f32check('K', problem.K); f32check('dt', dt); f32check('1/(ħS(1+α²))', w);
  if (problem.bonds) for (const x of problem.bonds.J) f32check('a bond exchange', x);
  for (let r = 0; r < R; r++) { f32check(`the noise σ of replica ${r}`, problem.sigma(r, dt, HBAR)); for (let a = 0; a < 3; a++) f32check(`the field of replica ${r}`, problem.fields[3 * r + a]); }
  const wpr = workgroupsPerReplica(N);
  const sitesPerDispatch = Math.min(opts.maxSitesPerDispatch ?? Infinity, WORKGROUP * maxWG * maxWG);
  // steps per submission: bounded site-steps and uniform slots
  const stepsWanted = opts.stepsPerSubmit ?? Infinity;
  const samplesCap = v.sampleEvery > 0 ? Math.ceil(Math.min(stepsWanted, 4096) / v.sampleEvery) + 1 : 0;
  const batches = replicaBatches(problem, device, samplesCap, opts.maxReplicasPerBatch);
  // limits are checked (above) before anything is compiled or allocated
  const code = await latticeShader(problem);
  const label = `lattice heun ${problem.dims.join('×')}${problem.bonds ? ' bonds' : ''}${problem.K !== 0 ? ' aniso' : ''}${thermal ? ' thermal' : ''}`;
  const pipes = {} as Record<Stage, GPUComputePipeline>;
  for (const s of STAGES) pipes[s] = await computePipeline(device, code, s, `${label} ${s}`);
  const M = new Float64Array(R * v.samples * 3), E = new Float64Array(R * v.samples), G = new Float64Array(R * v.samples), Lp = new Float64Array(R * v.samples);
  const state = v.keepState ? new Float64Array(3 * N * R) : null;
  const init = opts.initialState;
  const axes32 = problem.axes ? Float32Array.from(problem.axes) : null;
  let nbr: Uint32Array | null = null;
  if (problem.bonds) {
    const { offsets, neighbours, J } = problem.bonds, nnz = neighbours.length;
    nbr = new Uint32Array(N + 1 + 2 * nnz);
    nbr.set(offsets, 0);
    const jb = new Uint32Array(Float32Array.from(J).buffer);
    for (let k = 0; k < nnz; k++) { nbr[N + 1 + 2 * k] = neighbours[k]; nbr[N + 1 + 2 * k + 1] = jb[k]; }
  }
  let stepSeconds = 0, done = 0;
  const totalWork = N * R * Math.max(1, opts.steps);
  const uniBytes = new ArrayBuffer(MAX_SLOTS * UNIFORM_SLOT);

  for (const batch of batches) {
    const NB = N * batch.count;
    const aniso = problem.K !== 0;
    const params = new Float32Array((aniso ? 3 * N : 0) + REPLICA_ROW.stride * batch.count);
    if (axes32) params.set(axes32, 0);
    for (let r = 0; r < batch.count; r++) {
      const o = (aniso ? 3 * N : 0) + r * REPLICA_ROW.stride, g = batch.first + r;
      params[o + REPLICA_ROW.offsets.sigma] = problem.sigma(g, dt, HBAR);
      for (let a = 0; a < 3; a++) params[o + REPLICA_ROW.offsets.field + a] = problem.fields[3 * g + a];
    }
    const m0 = new Float32Array(4 * NB);
    const src0 = init ?? problem.initialState(opts.seed, batch.first, batch.count), off0 = init ? 3 * N * batch.first : 0;
    for (let k = 0; k < NB; k++) for (let a = 0; a < 3; a++) m0[4 * k + a] = src0[off0 + 3 * k + a];
    // steps per submission for this batch
    const slotsPerStep = 2 * Math.ceil(NB / sitesPerDispatch) + (v.sampleEvery > 0 ? Math.ceil(batch.count / maxWG) : 0);
    const perSubmit = Math.max(1, Math.min(stepsWanted, Math.floor(MAX_SLOTS / slotsPerStep), Math.max(1, Math.floor(SUBMIT_BUDGET / NB)), 4096));
    if (slotsPerStep > MAX_SLOTS) throw new RangeError(`lattice: ${slotsPerStep} dispatches per step (sites per dispatch ${sitesPerDispatch}) exceed the ${MAX_SLOTS} slots of one submission; raise maxSitesPerDispatch`);
    const samplesPerSubmit = v.sampleEvery > 0 ? Math.ceil(perSubmit / v.sampleEvery) + 1 : 0;
    const partialBytes = Math.max(32, 32 * wpr * batch.count * samplesPerSubmit);
    const buffers: GPUBuffer[] = [];
    try {
      const bufs = await checked(device, 'lattice buffer setup', () => {
        const mk = (data: ArrayBufferView | number, label: string) => { const b = storageBuffer(device, data, label); buffers.push(b); return b; };
        const b = {
          params: mk(params, 'lattice params'),
          A: mk(m0, 'lattice m'),
          P: mk(16 * NB, 'lattice m-tilde'),
          F: mk(16 * NB, 'lattice mid'),
          Z: mk(thermal ? 24 * NB : 16, 'lattice normals'),
          nbr: mk(nbr ?? 16, 'lattice neighbours'),
          partial: mk(partialBytes, 'lattice partial sums'),
          uni: device.createBuffer({ size: MAX_SLOTS * UNIFORM_SLOT, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'lattice run' }),
        };
        buffers.push(b.uni);
        return b;
      });
      const groups = new Map<string, GPUBindGroup>();
      const bindGroup = (stage: Stage, slot: number): GPUBindGroup => {
        const k = `${stage}:${slot}`;
        let g = groups.get(k);
        if (!g) {
          const [src, dst] = stage === 'correct' ? [bufs.P, bufs.A] : [bufs.A, bufs.P];
          g = device.createBindGroup({ layout: pipes[stage].getBindGroupLayout(0), entries: [
            { binding: 0, resource: { buffer: bufs.uni, offset: slot * UNIFORM_SLOT, size: LATTICE_RUN.size } },
            { binding: 1, resource: { buffer: bufs.params } }, { binding: 2, resource: { buffer: src } },
            { binding: 3, resource: { buffer: dst } }, { binding: 4, resource: { buffer: bufs.F } },
            { binding: 5, resource: { buffer: bufs.Z } }, { binding: 6, resource: { buffer: bufs.nbr } },
            { binding: 7, resource: { buffer: bufs.partial } }] });
          groups.set(k, g);
        }
        return g;
      };
      const [ctr0, ctrHi] = siteCounter((problem.replicaOffset + batch.first) * N);
      const base = { first: 0, count: 0, groups_x: 1, step: 0, ctr0, ctr_hi: ctrHi, slot: 0, rep_first: 0, n_rep: batch.count, key, dt, J: problem.J, K: problem.K, alpha: problem.alpha, w, probe_iters: 2 };
      const t0 = performance.now();
      let inflight: Promise<undefined> | null = null;
      for (let s0 = 0; s0 < opts.steps; s0 += perSubmit) {
        const nSteps = Math.min(perSubmit, opts.steps - s0);
        const records: { stage: Stage; x: number; y: number }[] = [];
        const sampled: number[] = [];   // sample index of each slot of the partial buffer
        const pushRecord = (stage: Stage, vals: Partial<typeof base>, x: number, y: number) => {
          LATTICE_RUN.pack({ ...base, ...vals }, uniBytes, records.length * UNIFORM_SLOT);
          records.push({ stage, x, y });
        };
        for (let s = s0; s < s0 + nSteps; s++) {
          const step = v.firstStep + s;
          const pred: Stage = thermal && ((step & 1) === 0 || s === 0) ? 'predict_draw' : 'predict_load';
          for (const stage of [pred, 'correct'] as Stage[]) {
            for (let first = 0; first < NB; first += sitesPerDispatch) {
              const count = Math.min(sitesPerDispatch, NB - first), groupsN = Math.ceil(count / WORKGROUP);
              const gx = Math.min(groupsN, maxWG), gy = Math.ceil(groupsN / gx);
              pushRecord(stage, { first, count, groups_x: gx, step }, gx, gy);
            }
          }
          const k = sampleIndex(v, s + 1);
          if (k >= 0) {
            const slot = sampled.length;
            sampled.push(k);
            for (let r0 = 0; r0 < batch.count; r0 += maxWG) pushRecord('measure', { step, slot, rep_first: r0 }, wpr, Math.min(maxWG, batch.count - r0));
          }
        }
        device.queue.writeBuffer(bufs.uni, 0, uniBytes, 0, records.length * UNIFORM_SLOT);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        let current: Stage | null = null;
        records.forEach((rec, slot) => {
          if (rec.stage !== current) { pass.setPipeline(pipes[rec.stage]); current = rec.stage; }
          pass.setBindGroup(0, bindGroup(rec.stage, slot));
          pass.dispatchWorkgroups(rec.x, rec.y);
        });
        pass.end();
        device.queue.submit([enc.finish()]);
        if (sampled.length > 0) {
          const part = new Float32Array(await readBuffer(device, bufs.partial, 32 * wpr * batch.count * sampled.length));
          sampled.forEach((k, slot) => {
            for (let r = 0; r < batch.count; r++) {
              let sx = 0, sy = 0, sz = 0, se = 0, sg = 0, sl = 0;
              const o = 8 * (slot * batch.count + r) * wpr;
              for (let q = 0; q < wpr; q++) {
                const b = o + 8 * q;
                sx += part[b]; sy += part[b + 1]; sz += part[b + 2]; se += part[b + 3]; sg += part[b + 4]; sl += part[b + 5];
              }
              if (!(Math.abs(sx) + Math.abs(sy) + Math.abs(sz) + Math.abs(se) + Math.abs(sg) + Math.abs(sl) < 1e37)) {
                throw new Error(`lattice: the measure pass returned non-finite sums (replica ${batch.first + r}, sample ${k}): ${Math.abs(se) >= 1e37 && Number.isFinite(se) ? "the adapter's loop-iteration cap was reached" : 'the state diverged; lower the time step'}`);
              }
              const q = (batch.first + r) * v.samples + k;
              M[3 * q] = sx; M[3 * q + 1] = sy; M[3 * q + 2] = sz; E[q] = se; G[q] = sg; Lp[q] = sl;
            }
          });
        } else {
          // at most two submissions in flight: encode the next while the device runs this one
          const p = device.queue.onSubmittedWorkDone();
          if (inflight) await inflight;
          inflight = p;
        }
        done += NB * nSteps;
        opts.onProgress?.(done / totalWork);
      }
      await device.queue.onSubmittedWorkDone();
      stepSeconds += (performance.now() - t0) / 1000;
      if (state) {
        const m = new Float32Array(await readBuffer(device, bufs.A, 16 * NB));
        for (let k = 0; k < NB; k++) for (let a = 0; a < 3; a++) state[3 * N * batch.first + 3 * k + a] = m[4 * k + a];
      }
    } finally {
      for (const b of buffers) b.destroy();
    }
  }
  if (opts.steps === 0) opts.onProgress?.(1);
  return {
    sites: N, replicas: R, steps: opts.steps, firstStep: v.firstStep, dt, samples: v.samples, sampleSteps: v.sampleSteps, M, E, gradSq: G, laplacian: Lp, state,
    backend: 'webgpu', adapter: gpu.description, seconds: (performance.now() - tSetup) / 1000, stepSeconds,
    spinStepsPerSecond: stepSeconds > 0 ? (N * R * opts.steps) / stepSeconds : NaN,
    bytesPerSpin: bytesPerGrain(deviceBytes(problem), N, R),
  };
}
