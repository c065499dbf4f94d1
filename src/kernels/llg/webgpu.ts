// Host side of shaders/llg/heun.wgsl: the problem's point rows (float32) and a state buffer per batch of
// trajectories, dispatches in watchdog-safe chunks, readback into the per-point reduction. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { defineStruct } from '../../backends/layout.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { seedKey, STREAM_OSCILLATOR, STREAM_THERMAL } from '../../numerics/philox.ts';
import { OSC_ROW, PAIR_ROW, SPIN, SPIN_ROW, SWITCH_BAND } from '../../llg/layout.ts';
import type { FreeSpinReduction, LlgFeatures, LlgProblem } from '../../llg/problem.ts';
import { BatchCollector, validateRunOptions, type LlgResult, type LlgRunOptions } from '../../llg/run.ts';

/** The per-dispatch uniform (declared in the shader from this description). */
export const RUN_UNIFORM = defineStruct('Run', {
  n_systems: 'u32',    // trajectories in this batch
  step0: 'u32',        // global index of this dispatch's first step
  n_steps: 'u32',      // steps in this dispatch
  avg_from: 'u32',     // steps n (1-based) with n > avg_from enter the time average
  key: 'vec2<u32>',    // Philox key = seed
  thermal: 'u32',      // 0: no noise anywhere, none drawn
  rec_systems: 'u32',
  rec_stride: 'u32',
  rec_samples: 'u32',
  dt: 'f32',
  groups_x: 'u32',
  probe_iters: 'u32',  // = 2; a loop with a runtime bound the compiler cannot unroll (loop-cap probe)
  sys_offset: 'u32',   // global index of this batch's first trajectory (noise counters, recording)
  tpp: 'u32',          // trajectories per point
  point0: 'u32',       // point of the params buffer's first row
  init_state: 'u32',   // 1: start every trajectory from its point's init (first dispatch, no per-trajectory states)
  noise_offset: 'u32', // the problem's first trajectory in the whole sweep (its noise counters; chunks, shards)
});

/** What the kernel is compiled for: the problem's features plus how it is run. */
export interface LlgShaderOptions extends Omit<LlgFeatures, 'thermal'> {
  /** Some trajectory is recorded. */
  record: boolean;
  /** Time-average the angle to the torque axis / the readout table (run options' observables). */
  angle: boolean;
  readout: boolean;
  /** Independent systems integrated by one invocation (see systemsPerInvocation). */
  systemsPerInvocation: number;
}

export function shaderOptions(problem: LlgProblem, over: Partial<LlgShaderOptions> = {}): LlgShaderOptions {
  const { thermal: _t, ...f } = problem.features();
  return { ...f, record: true, angle: false, readout: false, systemsPerInvocation: 1, ...over };
}

/**
 * The kernel for this problem's shape. Features a run cannot use are compiled out (llvmpipe executes every
 * branch body, taken or not): the reverse pair tensors unless some pair is non-reciprocal (~18 % of llvmpipe
 * throughput at K = 3, 4), the on-site tensor field 2 Q m, the noise-induced drift of tensor damping, the
 * trajectory sampling, the spin torques and their tables.
 */
export function heunShader(problem: LlgProblem, o: LlgShaderOptions = shaderOptions(problem)): Promise<string> {
  const oneFree = o.reduction.free >= 0;
  if (o.oscillator !== problem.oscillator) throw new RangeError(`shader options: oscillator ${o.oscillator} does not match the problem's (${problem.oscillator})`);
  if (o.oscillator && oneFree) {
    // the closed-form one-free-spin path (ONE_FREE) integrates m only; problems with an oscillator never get the reduction
    throw new RangeError('the oscillator is integrated on the generic path only: a problem with an oscillator cannot use the one-free-spin reduction (ONE_FREE)');
  }
  const W = o.systemsPerInvocation;
  if (!Number.isInteger(W) || W < 1 || (W > 1 && problem.tensorDamping && !oneFree)) {
    throw new RangeError(`systems per invocation must be 1 with tensor damping of more than one free spin, an integer ≥ 1 otherwise (got ${W})`);
  }
  const K = problem.spins, P = problem.pairs;
  const nlf = oneFree && !o.reduction.noiseFreeOnly ? o.reduction.free + 1 : 1;
  const nspin = W * K, npair = W * P, NT = o.torqueNodes;
  return composeShader(['rng/philox.wgsl', 'llg/heun.wgsl'], {
    KS: K, WS: W, NPS: P, DIMS: problem.dim,
    NSPIN: nspin, NPAIR: npair, NPAIR1: Math.max(npair, 1), DIM: 3 * nspin, TENSOR: problem.tensorDamping, SWITCH_BAND: { f32: SWITCH_BAND },
    SSTRIDE: stateStride(problem, o), STREAM_THERMAL, ANGLE: o.angle, READOUT: o.readout,
    XS_ANGLE: 2 * problem.dim + K, XS_READOUT: 2 * problem.dim + K + (o.angle ? K : 0), TABLES_PER_SPIN: problem.layout.tablesPerSpin,
    ...SPIN_ROW.constants('SLOT'), ...PAIR_ROW.constants('PAIR'), ...problem.layout.constants,
    NONRECIP: o.nonReciprocal, NPAIR_REV: o.nonReciprocal ? Math.max(npair, 1) : 1,
    ONSITE_TENSOR: o.onsiteTensor, NSPIN_Q: o.onsiteTensor ? nspin : 1,
    DRIFT: o.drift, NSPIN_D: o.drift ? nspin : 1,
    ONE_FREE: oneFree, FREE: Math.max(o.reduction.free, 0), NOISE_FREE_ONLY: oneFree && o.reduction.noiseFreeOnly,
    NSPIN_LF: nlf, NLF: W * nlf, NA: problem.tensorDamping && !oneFree ? problem.dim * problem.dim : 1,
    RECORD: o.record, TORQUE: o.torque,
    TORQUE_TABLE: NT > 0, NT: Math.max(NT, 2), TABLE_ZETA: problem.torqueGrid === 'zeta', TABLE_SCALE: { f32: 0.5 * (Math.max(NT, 2) - 1) },
    OSCILLATOR: o.oscillator, NSPIN_O: o.oscillator ? nspin : 1, XS_OSC: oscillatorSlot(problem, o), STREAM_OSCILLATOR,
    RECDIM: recordStride(problem), ...OSC_ROW.constants('OSC'),
  }, { structs: [RUN_UNIFORM] });
}

/**
 * Systems per invocation: 2 on a software adapter (llvmpipe runs each invocation as one SIMD lane of a
 * latency-bound CPU thread; two independent systems per lane hide latency: macrospin 1.32e8 → 1.72e8
 * spin-steps/s) with scalar damping or one free spin (ONE_FREE), else 1 (a GPU wants more, smaller
 * threads; general tensor damping keeps its own 3K×3K solve per invocation).
 */
export function systemsPerInvocation(problem: LlgProblem, software: boolean, reduced: FreeSpinReduction = problem.features().reduction): number {
  return software && (!problem.tensorDamping || reduced.free >= 0) ? 2 : 1;
}

/**
 * f32 state per trajectory: m, time-average partial sum, initial side, then the partial sums of the angle and
 * readout observables (when asked for), then (oscillator) the partial sums of Q, Q², P² and Q, P; u32 flags:
 * switch steps, limit flag.
 */
function stateStride(problem: LlgProblem, o: { angle?: boolean; readout?: boolean } = {}): number {
  return oscillatorSlot(problem, o) + (problem.oscillator ? 5 : 0);
}
/** Offset of the oscillator's slots in a trajectory's state (= the end of the spins' slots). */
function oscillatorSlot(problem: LlgProblem, o: { angle?: boolean; readout?: boolean } = {}): number {
  return 2 * problem.dim + problem.spins * (1 + (o.angle ? 1 : 0) + (o.readout ? 1 : 0));
}
/** Floats per recorded sample: m, then (oscillator) Q, P. */
function recordStride(problem: LlgProblem): number { return problem.dim + (problem.oscillator ? 2 : 0); }
function flagStride(problem: LlgProblem): number { return problem.spins + 1; }

/**
 * Upper bound on loop iterations one invocation runs per step, counting every loop as if none were
 * unrolled (Philox rounds, per-spin loops, the 3K×3K damping solve, the probe loop). The pair loop
 * applies both tensors of a pair (forward and reverse) in one iteration, K² per right-hand side.
 * With one free spin (ONE_FREE) there is no DIM-sized loop left: Philox blocks, the free spin's pair
 * fields and the per-spin bookkeeping.
 */
export function loopIterationsPerStep(problem: LlgProblem, reduced: FreeSpinReduction = problem.features().reduction): number {
  const K = problem.spins, D = problem.dim;
  // the oscillator (generic path only): its Philox block (11) and draw loops, two rates (K + 1 each), the
  // predictor and corrector loops, its time-average, recording and fold loops
  const osc = problem.oscillator ? 2 * K + 20 : 0;
  if (reduced.free >= 0) {
    // ONE_FREE: ≤ K Philox blocks (11 each) and their loop, two free-spin fields (K each), the per-spin tail
    return K * 12 + 2 * K + 6 * K + 2 + 8;
  }
  const noise = K * 11 + (problem.tensorDamping ? (D * (D + 1)) / 2 + 3 * K : K);
  const rhs = 4 * K + K * K + (problem.tensorDamping ? K * (D + 3) + D * (2 + D + D * D) + D * D + K : K);
  // noise-induced drift, once per step: g and X set-up, multi-column solve, κ and X κ by 3×3 blocks, adds
  const drift = problem.features().drift ? K * (D + 4) + D * (3 + 3 * D + 2 * D * D) + D * D * (D + 1) + 2 * K * (K + 1) + 2 * K : 0;
  // + 2K for the angle / readout observables when asked for (counted always: a bound)
  return noise + 2 * rhs + drift + 6 * K + 2 + 8 + osc;
}

/** Loop iterations per invocation and dispatch kept on software adapters (llvmpipe's cap is 65535). */
const SOFTWARE_LOOP_BUDGET = 40000;
/**
 * Steps per dispatch on any adapter: bounds the serial work of one invocation (a small ensemble must
 * not trip a watchdog either) and the float32 per-dispatch partial sum of the time average.
 */
const MAX_STEPS_PER_DISPATCH = 4096;
/** The device's float32 partial sums of the time average are folded into float64 this often (steps). */
const FOLD_STEPS = 65536;
/** Spin-steps of one dispatch: bounded work per submission so no GPU watchdog (TDR) can trip. */
const dispatchBudget = (software: boolean) => (software ? 2 ** 25 : 2 ** 26);
/** Batches are cut so a dispatch covers at least this many steps where the run has them (each dispatch re-loads parameters and noise streams). */
const MIN_STEPS_PER_DISPATCH = 64;
/**
 * Trajectories per batch at most: bounds the host's readback and reduction arrays (~160 B per trajectory
 * of a dimer: ~40 MB per batch) without costing throughput (2^18 trajectories keep every CPU or GPU core busy).
 */
const MAX_BATCH = 2 ** 18;

function dispatchCost(problem: LlgProblem, reduced: FreeSpinReduction): number {
  return !problem.tensorDamping ? 1 : reduced.free >= 0 ? 2 : problem.features().drift ? 16 : 8;
}

/** Steps per dispatch of `systems` trajectories: bounded work per submission so no GPU watchdog (TDR) can trip. */
export function stepsPerDispatch(problem: LlgProblem, steps: number, software: boolean, systems = problem.trajectories,
  reduced: FreeSpinReduction = problem.features().reduction, perInvocation = 1): number {
  const budget = dispatchBudget(software) / dispatchCost(problem, reduced);
  let chunk = Math.floor(budget / (systems * problem.spins));
  if (software) chunk = Math.min(chunk, Math.floor((SOFTWARE_LOOP_BUDGET - 4 * problem.dim * problem.dim - 64) / (perInvocation * loopIterationsPerStep(problem, reduced))));
  // even, so that every dispatch starts a pair of steps (one Philox block per spin serves two steps)
  const c = Math.min(steps, Math.max(2, 2 * Math.floor(Math.min(chunk, MAX_STEPS_PER_DISPATCH) / 2)));
  return Math.max(1, c);
}

/**
 * Trajectories per batch: every buffer of a batch must fit the adapter's storage-binding and buffer limits
 * (128 MiB on llvmpipe), a dispatch should cover ≥ MIN_STEPS_PER_DISPATCH steps, and the host's per-batch
 * arrays stay bounded. Batches carry their global trajectory offset, so the noise and therefore the results
 * are identical to one unbatched run.
 */
export function systemsPerBatch(problem: LlgProblem, device: GPUDevice, steps: number, software: boolean, recSystems: number, recSamples: number, cap = Infinity): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const recBytes = 4 * recSystems * recSamples * recordStride(problem);
  if (recBytes > limit) throw new RangeError(`trajectory recording needs ${recBytes} bytes, more than this adapter's buffer limit (${limit} bytes); record fewer systems or raise the sampling interval`);
  const M = problem.trajectoriesPerPoint, rowBytes = 4 * problem.stride;
  const byState = Math.floor(limit / (4 * stateStride(problem, { angle: true, readout: true })));
  // the params slice of a batch holds ⌈count/M⌉ + 1 rows
  const byParams = Math.max(1, (Math.floor(limit / rowBytes) - 1) * M);
  const reduced = problem.features().reduction;
  const work = Math.floor(dispatchBudget(software) / dispatchCost(problem, reduced) / (Math.min(steps, MIN_STEPS_PER_DISPATCH) * problem.spins));
  return Math.max(1, Math.min(cap, byState, byParams, Math.max(WORKGROUP, work), MAX_BATCH, WORKGROUP * device.limits.maxComputeWorkgroupsPerDimension ** 2));
}

export interface WebGpuRunOptions extends LlgRunOptions {
  /** Cap on trajectories per batch (tests: batching must not change results). */
  maxSystemsPerBatch?: number;
  /** Default: systemsPerInvocation(). */
  systemsPerInvocation?: number;
}

export async function runLlgWebGpu(gpu: GpuContext, problem: LlgProblem, opts: WebGpuRunOptions): Promise<LlgResult> {
  const { avgFromStep, recSystems, recStride, recSamples } = validateRunOptions(problem, opts);
  const { device } = gpu;
  const tSetup = performance.now();
  const software = gpu.kind === 'software';
  const obs = { angle: !!opts.observables?.angle, readout: !!opts.observables?.readout };
  const N = problem.trajectories, M = problem.trajectoriesPerPoint, K = problem.spins, n = problem.dim, SS = stateStride(problem, obs), P = problem.stride;
  // the observables' slots: angle at XA, readout at XR, oscillator sums (Q, Q², P²) at XO, then its (Q, P);
  // NX partial sums from XA on, folded on the host
  const osc = problem.oscillator, XA = 2 * n + K, XR = XA + (obs.angle ? K : 0), XO = oscillatorSlot(problem, obs), NX = XO - XA + (osc ? 3 : 0);
  const RD = recordStride(problem);
  const feat = problem.features();
  const p32 = problem.packForRun(opts.dt, 'f32'), rows = problem.rows;
  const W = opts.systemsPerInvocation ?? systemsPerInvocation(problem, software, feat.reduction);
  const so = shaderOptions(problem, { record: recSystems > 0, systemsPerInvocation: W, ...obs });
  const pipeline = await computePipeline(device, await heunShader(problem, so), 'main',
    `llg_heun K=${K}${problem.tensorDamping ? ' tensor' : ''}${so.drift ? ' drift' : ''}${so.nonReciprocal ? ' non-reciprocal' : ''}${so.onsiteTensor ? ' on-site tensor' : ''}` +
    `${so.reduction.free >= 0 ? ` free spin ${so.reduction.free}` : ''}${so.record ? ' recording' : ''}${so.torque ? ' torque' : ''}${so.torqueNodes ? ` table ${so.torqueNodes}` : ''}${so.oscillator ? ' oscillator' : ''}${W > 1 ? ` ${W} systems per invocation` : ''}`);
  // float32 must hold every parameter (and 1/(ħS)): overflow or underflow would give inf/NaN on the GPU only
  for (let k = 0; k < p32.length; k++) {
    const a = Math.abs(p32[k]), x = rows[k];
    if (a > 1e30 || (x !== 0 && Math.abs(x) < 1e-30)) throw new RangeError(`parameter ${x} (point ${Math.floor(k / P)}, slot ${k % P}) is outside the float32 range the WebGPU kernel can use; rescale or use --backend cpu`);
  }
  // noise is drawn for all trajectories when any point has some; a noiseless one then gets exactly 0·ξ = 0
  const thermal = feat.thermal ? 1 : 0;
  const key = seedKey(opts.seed);
  const batch = systemsPerBatch(problem, device, opts.steps, software, recSystems, recSamples, opts.maxSystemsPerBatch);
  // steps per dispatch from the sweep's chunk size when given, so a smaller chunk (or shard) rounds alike
  const chunk = stepsPerDispatch(problem, opts.steps, software, Math.min(batch, opts.dispatchTrajectories ?? N), feat.reduction, W);
  const nBatches = Math.ceil(N / batch);
  const collector = new BatchCollector(problem, opts);

  const recAll = recSystems > 0 ? new Float64Array(recSystems * recSamples * n) : null;
  const recOscAll = osc && recSystems > 0 ? new Float64Array(recSystems * recSamples * 2) : null;
  const cnt = opts.steps - avgFromStep;
  const uni = new ArrayBuffer(RUN_UNIFORM.size);
  const m0 = new Float64Array(n), side0 = new Float64Array(K);
  let seconds = 0, setupSeconds = (performance.now() - tSetup) / 1000;

  for (let b = 0; b < nBatches; b++) {
    const tBatch = performance.now();
    const first = b * batch, count = Math.min(batch, N - first);
    const point0 = Math.floor(first / M), point1 = Math.floor((first + count - 1) / M);
    const recHere = Math.max(0, Math.min(count, recSystems - first));
    // per-trajectory initial states are uploaded; otherwise the first dispatch starts every trajectory from its point
    const state = problem.hasInitialStates ? new Float32Array(count * SS) : null;
    if (state) for (let l = 0; l < count; l++) {
      problem.initialState(first + l, m0, side0);
      for (let k = 0; k < n; k++) state[l * SS + k] = m0[k];
      for (let i = 0; i < K; i++) state[l * SS + 2 * n + i] = side0[i];
      if (osc) { const [q0, p0] = problem.initialOscillator(first + l); state[l * SS + XO + 3] = q0; state[l * SS + XO + 4] = p0; }
    }
    const FS = flagStride(problem);
    const recData = new Float32Array(Math.max(4, recHere * recSamples * RD));
    for (let l = 0; l < recHere; l++) {
      problem.initialState(first + l, m0, side0);
      for (let k = 0; k < n; k++) recData[l * recSamples * RD + k] = m0[k];
      if (osc) { const [q0, p0] = problem.initialOscillator(first + l); recData[l * recSamples * RD + n] = q0; recData[l * recSamples * RD + n + 1] = p0; }
    }
    const groups = Math.ceil(Math.ceil(count / W) / WORKGROUP);
    const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension), gy = Math.ceil(groups / gx);

    const buffers: GPUBuffer[] = [];
    let scopeOpen = false;
    try {
      const { stateBuf, recBuf, flagBuf, uniBuf, bind } = await checked(device, 'LLG buffer setup', () => {
        const paramBuf = storageBuffer(device, p32.subarray(point0 * P, (point1 + 1) * P), 'llg point rows');
        const stateBuf = storageBuffer(device, state ?? count * SS * 4, 'llg state');
        const recBuf = storageBuffer(device, recData, 'llg trajectories');
        const flagBuf = storageBuffer(device, count * FS * 4, 'llg flags');
        const uniBuf = device.createBuffer({ size: RUN_UNIFORM.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'llg run' });
        buffers.push(paramBuf, stateBuf, recBuf, flagBuf, uniBuf);
        const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [
          { binding: 0, resource: { buffer: uniBuf } }, { binding: 1, resource: { buffer: paramBuf } },
          { binding: 2, resource: { buffer: stateBuf } }, { binding: 3, resource: { buffer: recBuf } },
          { binding: 4, resource: { buffer: flagBuf } }] });
        return { stateBuf, recBuf, flagBuf, uniBuf, bind };
      });
      const t0 = performance.now();
      setupSeconds += (t0 - tBatch) / 1000;
      let lastSync = t0;
      const sum64 = new Float64Array(count * n);   // folded time-average sums (float64)
      const sumX = new Float64Array(count * NX);     // and of the angle / readout observables
      const foldEvery = Math.max(1, Math.floor(FOLD_STEPS / chunk));
      let sinceFold = 0;
      device.pushErrorScope('validation');
      scopeOpen = true;
      for (let step0 = 0; step0 < opts.steps; step0 += chunk) {
        const nSteps = Math.min(chunk, opts.steps - step0);
        RUN_UNIFORM.pack({
          n_systems: count, step0, n_steps: nSteps, avg_from: avgFromStep, key, thermal, rec_systems: recSystems, rec_stride: recStride,
          rec_samples: recSamples, dt: opts.dt, groups_x: gx, probe_iters: 2, sys_offset: first, tpp: M, point0, noise_offset: problem.trajectoryOffset,
          init_state: step0 === 0 && !state ? 1 : 0,
        }, uni);
        device.queue.writeBuffer(uniBuf, 0, uni);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(gx, gy); pass.end();
        device.queue.submit([enc.finish()]);
        if (++sinceFold === foldEvery && step0 + nSteps < opts.steps) {
          // fold the float32 partial sums into float64 and restart them from zero on the device
          const st = new Float32Array(await readBuffer(device, stateBuf, count * SS * 4));
          for (let l = 0; l < count; l++) {
            for (let k = 0; k < n; k++) { sum64[l * n + k] += st[l * SS + n + k]; st[l * SS + n + k] = 0; }
            for (let k = 0; k < NX; k++) { sumX[l * NX + k] += st[l * SS + XA + k]; st[l * SS + XA + k] = 0; }
          }
          device.queue.writeBuffer(stateBuf, 0, st);
          sinceFold = 0;
        }
        // Keep the queue short and report progress without per-step round trips.
        if (performance.now() - lastSync > 250 || step0 + nSteps >= opts.steps) {
          await device.queue.onSubmittedWorkDone();
          lastSync = performance.now();
          opts.onProgress?.((b + (step0 + nSteps) / opts.steps) / nBatches);
        }
      }
      scopeOpen = false;
      const err = await device.popErrorScope();
      if (err) throw new Error(`WebGPU validation error in LLG dispatch: ${err.message}`);
      const out = new Float32Array(await readBuffer(device, stateBuf, count * SS * 4));
      const outU = new Uint32Array(await readBuffer(device, flagBuf, count * FS * 4));
      const recOut = recHere > 0 ? new Float32Array(await readBuffer(device, recBuf, recHere * recSamples * RD * 4)) : null;
      for (const buf of buffers) buf.destroy();
      buffers.length = 0;
      seconds += (performance.now() - t0) / 1000;

      const finalM = new Float32Array(count * n), meanM = sum64;
      const switchTime = new Float64Array(count * K), switched = new Uint8Array(count * K);
      const meanAngle = obs.angle ? new Float64Array(count * K) : undefined, meanReadout = obs.readout ? new Float64Array(count * K) : undefined;
      const oscillator = osc ? { finalQ: new Float64Array(count), finalP: new Float64Array(count), meanQ: new Float64Array(count), meanQ2: new Float64Array(count), meanP2: new Float64Array(count) } : undefined;
      for (let l = 0; l < count; l++) {
        if (outU[l * FS + K] !== 0) {
          throw new Error(`WebGPU adapter (${gpu.description}) cut the LLG kernel's loops short in trajectory ${first + l} ` +
            '(shader loop-iteration limit); the results are discarded. Use --backend cpu, or report this with the adapter name.');
        }
        const row = Math.floor((first + l) / M) * P;
        for (let k = 0; k < n; k++) { finalM[l * n + k] = out[l * SS + k]; meanM[l * n + k] = (sum64[l * n + k] + out[l * SS + n + k]) / cnt; }
        for (let i = 0; i < K; i++) {
          const t = outU[l * FS + i];
          switchTime[l * K + i] = t > 0 ? t * opts.dt : NaN;
          const a = row + problem.layout.spin(i) + SPIN.axis;
          let d = 0;
          for (let c = 0; c < 3; c++) d += finalM[l * n + 3 * i + c] * rows[a + c];
          switched[l * K + i] = out[l * SS + 2 * n + i] * d < -SWITCH_BAND ? 1 : 0;
          if (meanAngle) meanAngle[l * K + i] = (sumX[l * NX + i] + out[l * SS + XA + i]) / cnt;
          if (meanReadout) meanReadout[l * K + i] = (sumX[l * NX + (XR - XA) + i] + out[l * SS + XR + i]) / cnt;
        }
        if (oscillator) {
          const x = l * NX + (XO - XA), y = l * SS + XO;
          oscillator.meanQ[l] = (sumX[x] + out[y]) / cnt;
          oscillator.meanQ2[l] = (sumX[x + 1] + out[y + 1]) / cnt;
          oscillator.meanP2[l] = (sumX[x + 2] + out[y + 2]) / cnt;
          oscillator.finalQ[l] = out[y + 3]; oscillator.finalP[l] = out[y + 4];
        }
      }
      collector.add({ first, count, finalM, meanM, switchTime, switched, meanAngle, meanReadout, ...(oscillator ? { oscillator } : {}) });
      if (recOut && recAll) {
        if (!osc) recAll.set(recOut, first * recSamples * n);
        else for (let r = 0; r < recHere * recSamples; r++) {
          for (let k = 0; k < n; k++) recAll[(first * recSamples + r) * n + k] = recOut[r * RD + k];
          recOscAll![(first * recSamples + r) * 2] = recOut[r * RD + n]; recOscAll![(first * recSamples + r) * 2 + 1] = recOut[r * RD + n + 1];
        }
      }
    } finally {
      if (scopeOpen) await device.popErrorScope().catch(() => null);
      for (const buf of buffers) buf.destroy();
    }
  }
  return {
    points: problem.points, trajectoriesPerPoint: M, trajectories: N, spins: K, steps: opts.steps, dt: opts.dt, averagedSteps: cnt,
    stats: collector.finish(), trajectoryData: collector.kept,
    record: recAll ? { systems: recSystems, times: Float64Array.from({ length: recSamples }, (_, k) => k * recStride * opts.dt), m: recAll, ...(recOscAll ? { osc: recOscAll } : {}) } : undefined,
    backend: 'webgpu', adapter: gpu.description, seconds, setupSeconds, spinStepsPerSecond: (N * K * opts.steps) / seconds,
  };
}
