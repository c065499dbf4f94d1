// Host side of shaders/llg/heun.wgsl: buffer layout, dispatch in watchdog-safe chunks, readback.
// CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { seedKey, STREAM_THERMAL } from '../../numerics/philox.ts';
import { hasNoise, initialSide, packParams, SPIN, SPIN_STRIDE, PAIR, PAIR_STRIDE, SWITCH_BAND, type LlgEnsemble } from './ensemble.ts';
import { validateRunOptions, type LlgResult, type LlgRunOptions } from './options.ts';

const WORKGROUP = 64;

/**
 * The kernel for this ensemble's shape. `nonReciprocal` (default: some pair has a reverse tensor
 * other than the forward one's transpose) compiles in the reverse tensors; without it the field on j
 * is 𝕁_ijᵀ m_i from the forward tensor alone, which spares the private copy of the reverse tensors
 * (measured ~18 % of llvmpipe throughput at K = 3, 4) and keeps the arithmetic of reciprocal runs.
 * `onsiteTensor` (default: some spin has Q ≠ 0) likewise compiles in the on-site field 2 Q m, and
 * `drift` (default: ens.needsDriftCorrection()) the noise-induced drift of tensor damping, `record` the
 * trajectory sampling and `torque` (default: some spin has a spin torque) the spin-torque terms: llvmpipe
 * executes every branch body, taken or not, so code a run cannot use is compiled out.
 */
export function heunShader(ens: LlgEnsemble, nonReciprocal = !ens.isReciprocal(), onsiteTensor = ens.hasOnsiteTensor(), drift = ens.needsDriftCorrection(),
  reduced: FreeSpinReduction = freeSpinReduction(ens), record = true, torque = ens.hasSpinTorque(), perInvocation = 1): Promise<string> {
  const oneFree = reduced.free >= 0;
  const W = perInvocation;
  if (!Number.isInteger(W) || W < 1 || (W > 1 && ens.tensorDamping && !oneFree)) {
    throw new RangeError(`systems per invocation must be 1 with tensor damping of more than one free spin, an integer ≥ 1 otherwise (got ${W})`);
  }
  const nlf = oneFree && !reduced.noiseFreeOnly ? reduced.free + 1 : 1;
  const nspin = W * ens.spins, npair = W * ens.pairs;
  return composeShader(['rng/philox.wgsl', 'llg/heun.wgsl'], {
    KS: ens.spins, WS: W, NPS: ens.pairs, DIMS: ens.dim,
    NSPIN: nspin, NPAIR: npair, NPAIR1: Math.max(npair, 1), DIM: 3 * nspin, TENSOR: ens.tensorDamping, SWITCH_BAND: { f32: SWITCH_BAND },
    PSTRIDE: ens.stride, SSTRIDE: stateStride(ens), SPIN_STRIDE, PAIR_STRIDE, STREAM_THERMAL,
    NONRECIP: nonReciprocal, NPAIR_REV: nonReciprocal ? Math.max(npair, 1) : 1, PAIR_REVERSE: PAIR.reverse,
    ONSITE_TENSOR: onsiteTensor, NSPIN_Q: onsiteTensor ? nspin : 1, ...SLOT_CONSTANTS,
    DRIFT: drift, NSPIN_D: drift ? nspin : 1,
    ONE_FREE: oneFree, FREE: Math.max(reduced.free, 0), NOISE_FREE_ONLY: oneFree && reduced.noiseFreeOnly,
    NSPIN_LF: nlf, NLF: W * nlf, NA: ens.tensorDamping && !oneFree ? ens.dim * ens.dim : 1,
    RECORD: record, TORQUE: torque,
  });
}

/**
 * Tensor damping with every spin but one (`free`) pinned in every system (e.g. the SOC dimer with spin
 * 0 pinned): the kernel then solves only that spin's 3×3 damping block, in closed form, and reduces the
 * drift correction to it (ONE_FREE; ~free = -1 otherwise). `noiseFreeOnly`: the noise factor's rows of
 * the free spin are zero in every other spin's columns in every system, so only its normals are drawn.
 */
export interface FreeSpinReduction { free: number; noiseFreeOnly: boolean }

export function freeSpinReduction(ens: LlgEnsemble, packed?: Float64Array): FreeSpinReduction {
  const none = { free: -1, noiseFreeOnly: false };
  if (!ens.tensorDamping) return none;
  const K = ens.spins, n = ens.dim;
  let free = -1;
  for (let i = 0; i < K; i++) {
    let always = true;
    for (let s = 0; s < ens.systems && always; s++) always = ens.params[ens.spinOffset(s, i) + SPIN.pinned] !== 0;
    if (!always) { if (free >= 0) return none; free = i; }
  }
  if (free < 0) return none;
  // L/√dt has the zero pattern of L, so any dt shows it
  const p = packed ?? packParams(ens, 1);
  let noiseFreeOnly = true;
  for (let s = 0; s < ens.systems && noiseFreeOnly; s++) {
    const o = ens.dampingOffset(s) + n * n;
    for (let r = 3 * free; r < 3 * free + 3; r++) for (let c = 0; c < 3 * free; c++) if (p[o + r * n + c] !== 0) noiseFreeOnly = false;
  }
  return { free, noiseFreeOnly };
}

/**
 * Systems per invocation: 2 on a software adapter (llvmpipe runs each invocation as one SIMD lane of a
 * latency-bound CPU thread; two independent systems per lane hide latency: macrospin 1.32e8 → 1.72e8
 * spin-steps/s) with scalar damping or one free spin (ONE_FREE), else 1 (a GPU wants more, smaller
 * threads; general tensor damping keeps its own 3K×3K solve per invocation).
 */
export function systemsPerInvocation(ens: LlgEnsemble, software: boolean, reduced: FreeSpinReduction = freeSpinReduction(ens)): number {
  return software && (!ens.tensorDamping || reduced.free >= 0) ? 2 : 1;
}

/** SPIN slot offsets as shader constants: SPIN.torqueAxis → SLOT_TORQUE_AXIS, … (one source of truth). */
const SLOT_CONSTANTS: Record<string, number> = Object.fromEntries(
  Object.entries(SPIN).map(([k, v]) => [`SLOT_${k.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`, v]));

/** f32 state per system: m, time-average partial sum, initial side; u32 flags: switch steps, limit flag. */
function stateStride(ens: LlgEnsemble): number { return 2 * ens.dim + ens.spins; }
function flagStride(ens: LlgEnsemble): number { return ens.spins + 1; }

/**
 * Upper bound on loop iterations one invocation runs per step, counting every loop as if none were
 * unrolled (Philox rounds, per-spin loops, the 3K×3K damping solve, the probe loop). The pair loop
 * applies both tensors of a pair (forward and reverse) in one iteration, K² per right-hand side.
 * With one free spin (ONE_FREE) there is no DIM-sized loop left: Philox blocks, the free spin's pair
 * fields and the per-spin bookkeeping.
 */
export function loopIterationsPerStep(ens: LlgEnsemble, reduced: FreeSpinReduction = freeSpinReduction(ens)): number {
  const K = ens.spins, D = ens.dim;
  if (reduced.free >= 0) {
    // ONE_FREE: ≤ K Philox blocks (11 each) and their loop, two free-spin fields (K each), the per-spin tail
    return K * 12 + 2 * K + 4 * K + 2 + 8;
  }
  const noise = K * 11 + (ens.tensorDamping ? (D * (D + 1)) / 2 + 3 * K : K);
  const rhs = 4 * K + K * K + (ens.tensorDamping ? K * (D + 3) + D * (2 + D + D * D) + D * D + K : K);
  // noise-induced drift, once per step: g and X set-up, multi-column solve, κ and X κ by 3×3 blocks, adds
  const drift = ens.needsDriftCorrection() ? K * (D + 4) + D * (3 + 3 * D + 2 * D * D) + D * D * (D + 1) + 2 * K * (K + 1) + 2 * K : 0;
  return noise + 2 * rhs + drift + 4 * K + 2 + 8;
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

/** Steps per dispatch of `systems` systems: bounded work per submission so no GPU watchdog (TDR) can trip. */
export function stepsPerDispatch(ens: LlgEnsemble, steps: number, software: boolean, systems = ens.systems, reduced: FreeSpinReduction = freeSpinReduction(ens), perInvocation = 1): number {
  const cost = !ens.tensorDamping ? 1 : reduced.free >= 0 ? 2 : ens.needsDriftCorrection() ? 16 : 8;
  const budget = (software ? 2 ** 25 : 2 ** 26) / cost;
  let chunk = Math.floor(budget / (systems * ens.spins));
  if (software) chunk = Math.min(chunk, Math.floor((SOFTWARE_LOOP_BUDGET - 4 * ens.dim * ens.dim - 64) / (perInvocation * loopIterationsPerStep(ens, reduced))));
  // even, so that every dispatch starts a pair of steps (one Philox block per spin serves two steps)
  const c = Math.min(steps, Math.max(2, 2 * Math.floor(Math.min(chunk, MAX_STEPS_PER_DISPATCH) / 2)));
  return Math.max(1, c);
}

/**
 * Systems per batch: every buffer of a batch must fit the adapter's storage-binding and buffer
 * limits (128 MiB on llvmpipe ≈ 2·10⁶ macrospins). Batches carry their global system offset, so the
 * noise and therefore the results are identical to one unbatched run.
 */
export function systemsPerBatch(ens: LlgEnsemble, device: GPUDevice, recSystems: number, recSamples: number, cap = Infinity): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const recBytes = 4 * recSystems * recSamples * ens.dim;
  if (recBytes > limit) throw new RangeError(`trajectory recording needs ${recBytes} bytes, more than this adapter's buffer limit (${limit} bytes); record fewer systems or raise the sampling interval`);
  const bytesPerSystem = 4 * Math.max(ens.stride, stateStride(ens));
  return Math.max(1, Math.min(cap, Math.floor(limit / bytesPerSystem), WORKGROUP * device.limits.maxComputeWorkgroupsPerDimension ** 2));
}

export async function runLlgWebGpu(gpu: GpuContext, ens: LlgEnsemble,
  opts: LlgRunOptions & { maxSystemsPerBatch?: number; /** default: systemsPerInvocation() */ systemsPerInvocation?: number }): Promise<LlgResult> {
  const { avgFromStep, recSystems, recStride, recSamples } = validateRunOptions(ens, opts);
  const { device } = gpu;
  const tSetup = performance.now();
  const N = ens.systems, K = ens.spins, n = ens.dim, SS = stateStride(ens), P = ens.stride;
  const nonReciprocal = !ens.isReciprocal(), onsiteTensor = ens.hasOnsiteTensor(), drift = ens.needsDriftCorrection();
  const p64 = packParams(ens, opts.dt);
  const reduced = freeSpinReduction(ens, p64);
  const torque = ens.hasSpinTorque();
  const W = opts.systemsPerInvocation ?? systemsPerInvocation(ens, gpu.kind === 'software', reduced);
  const pipeline = await computePipeline(device, await heunShader(ens, nonReciprocal, onsiteTensor, drift, reduced, recSystems > 0, torque, W), 'main',
    `llg_heun K=${K}${ens.tensorDamping ? ' tensor' : ''}${drift ? ' drift' : ''}${nonReciprocal ? ' non-reciprocal' : ''}${onsiteTensor ? ' on-site tensor' : ''}${reduced.free >= 0 ? ` free spin ${reduced.free}` : ''}${recSystems > 0 ? ' recording' : ''}${torque ? ' torque' : ''}${W > 1 ? ` ${W} systems per invocation` : ''}`);
  // float32 must hold every parameter (and 1/(ħS)): overflow or underflow would give inf/NaN on the GPU only
  for (let k = 0; k < p64.length; k++) {
    const a = Math.abs(p64[k]);
    if (a > 1e30 || (a !== 0 && a < 1e-30)) throw new RangeError(`parameter ${p64[k]} (system ${Math.floor(k / ens.stride)}, slot ${k % ens.stride}) is outside the float32 range the WebGPU kernel can use; rescale or use --backend cpu`);
  }
  // noise is drawn for all systems when any has some; a noiseless system then gets exactly 0·ξ = 0
  let thermal = 0;
  for (let s = 0; s < N && !thermal; s++) thermal = hasNoise(ens, p64, s) ? 1 : 0;
  const key = seedKey(opts.seed);
  const batch = systemsPerBatch(ens, device, recSystems, recSamples, opts.maxSystemsPerBatch);
  const chunk = stepsPerDispatch(ens, opts.steps, gpu.kind === 'software', Math.min(batch, N), reduced, W);
  const nBatches = Math.ceil(N / batch);

  const finalM = new Float64Array(N * n), meanM = new Float64Array(N * n);
  const switchTime = new Float64Array(N * K), switched = new Uint8Array(N * K);
  const recAll = recSystems > 0 ? new Float64Array(recSystems * recSamples * n) : null;
  const cnt = opts.steps - avgFromStep;
  const uni = new ArrayBuffer(64), u = new Uint32Array(uni), f = new Float32Array(uni);
  let seconds = 0, setupSeconds = (performance.now() - tSetup) / 1000;

  for (let b = 0; b < nBatches; b++) {
    const tBatch = performance.now();
    const first = b * batch, count = Math.min(batch, N - first);
    const recHere = Math.max(0, Math.min(count, recSystems - first));
    const state = new Float32Array(count * SS);
    const s0 = new Float64Array(count * K);
    for (let l = 0; l < count; l++) {
      const s = first + l;
      for (let k = 0; k < n; k++) state[l * SS + k] = ens.init[s * n + k];
      for (let i = 0; i < K; i++) state[l * SS + 2 * n + i] = s0[l * K + i] = initialSide(ens, p64, s, i);
    }
    const FS = flagStride(ens);
    const recData = new Float32Array(Math.max(4, recHere * recSamples * n));
    for (let l = 0; l < recHere; l++) for (let k = 0; k < n; k++) recData[l * recSamples * n + k] = ens.init[(first + l) * n + k];
    const groups = Math.ceil(Math.ceil(count / W) / WORKGROUP);
    const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension), gy = Math.ceil(groups / gx);

    const buffers: GPUBuffer[] = [];
    let scopeOpen = false;
    try {
      const { stateBuf, recBuf, flagBuf, uniBuf, bind } = await checked(device, 'LLG buffer setup', () => {
        const paramBuf = storageBuffer(device, Float32Array.from(p64.subarray(first * P, (first + count) * P)), 'llg params');
        const stateBuf = storageBuffer(device, state, 'llg state');
        const recBuf = storageBuffer(device, recData, 'llg trajectories');
        const flagBuf = storageBuffer(device, new Uint32Array(count * FS), 'llg flags');
        const uniBuf = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'llg run' });
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
      const foldEvery = Math.max(1, Math.floor(FOLD_STEPS / chunk));
      let sinceFold = 0;
      device.pushErrorScope('validation');
      scopeOpen = true;
      for (let step0 = 0; step0 < opts.steps; step0 += chunk) {
        const nSteps = Math.min(chunk, opts.steps - step0);
        u[0] = count; u[1] = step0; u[2] = nSteps; u[3] = avgFromStep; u[4] = key[0]; u[5] = key[1]; u[6] = thermal;
        u[7] = recSystems; u[8] = recStride; u[9] = recSamples; f[10] = opts.dt; u[11] = gx; u[12] = 2; u[13] = first;
        device.queue.writeBuffer(uniBuf, 0, uni);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(gx, gy); pass.end();
        device.queue.submit([enc.finish()]);
        if (++sinceFold === foldEvery && step0 + nSteps < opts.steps) {
          // fold the float32 partial sums into float64 and restart them from zero on the device
          const st = new Float32Array(await readBuffer(device, stateBuf, count * SS * 4));
          for (let l = 0; l < count; l++) for (let k = 0; k < n; k++) { sum64[l * n + k] += st[l * SS + n + k]; st[l * SS + n + k] = 0; }
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
      const recOut = recHere > 0 ? new Float32Array(await readBuffer(device, recBuf, recHere * recSamples * n * 4)) : null;
      seconds += (performance.now() - t0) / 1000;

      for (let l = 0; l < count; l++) {
        if (outU[l * FS + K] !== 0) {
          throw new Error(`WebGPU adapter (${gpu.description}) cut the LLG kernel's loops short in system ${first + l} ` +
            '(shader loop-iteration limit); the results are discarded. Use --backend cpu, or report this with the adapter name.');
        }
        const s = first + l;
        for (let k = 0; k < n; k++) { finalM[s * n + k] = out[l * SS + k]; meanM[s * n + k] = (sum64[l * n + k] + out[l * SS + n + k]) / cnt; }
        for (let i = 0; i < K; i++) {
          const t = outU[l * FS + i];
          switchTime[s * K + i] = t > 0 ? t * opts.dt : NaN;
          const o = ens.spinOffset(s, i);
          let d = 0;
          for (let a = 0; a < 3; a++) d += finalM[s * n + 3 * i + a] * p64[o + SPIN.axis + a];
          switched[s * K + i] = s0[l * K + i] * d < -SWITCH_BAND ? 1 : 0;
        }
      }
      if (recOut && recAll) recAll.set(recOut, first * recSamples * n);
    } finally {
      if (scopeOpen) await device.popErrorScope().catch(() => null);
      for (const buf of buffers) buf.destroy();
    }
  }
  return {
    systems: N, spins: K, steps: opts.steps, dt: opts.dt, finalM, meanM, averagedSteps: cnt, switchTime, switched,
    record: recAll ? { systems: recSystems, times: Float64Array.from({ length: recSamples }, (_, k) => k * recStride * opts.dt), m: recAll } : undefined,
    backend: 'webgpu', adapter: gpu.description, seconds, setupSeconds, spinStepsPerSecond: (N * K * opts.steps) / seconds,
  };
}
