// Host side of shaders/vibronic/: batched exact diagonalization of spin pairs in float32.
//  • blocks (H conserves S^z): one invocation per point diagonalizes the 4S + 1 M blocks in private memory;
//    up to POINTS_PER_DISPATCH points (≥ 10⁶) in one dispatch.
//  • dense (a rhombic term): state in storage, build → sweep windows → finish, chunks of ≤ 64 MiB of matrices.
// Results come back as float32 and are widened; spectra are sorted on the host. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP, type ShaderConstant } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { spinDim } from '../../models/vibronic/hamiltonian.ts';
import { lowering, mValues, raising, spinLabel } from '../../models/vibronic/spin.ts';
import { DEGENERACY_TOL } from '../../models/vibronic/spectrum.ts';
import { JACOBI_THETA_BIG } from '../../numerics/jacobi.ts';
import {
  BLOCK_MAX_SPIN, BLOCK_MAX_SWEEPS, DENSE_MAX_DIM, DENSE_MAX_SWEEPS, F32_TOL, POINT_ROW, POINT_STRIDE, RESULT_ROW, RESULT_STRIDE,
  RUN_UNIFORM, denseRotationsPerDispatch,
} from './layout.ts';
import { batchCount, batchPath, type PairBatch, type PairBatchResult, type PairProgress } from './cpu.ts';

/** Most points in one block-path dispatch (also bounded by the adapter's storage-binding size). */
export const POINTS_PER_DISPATCH = 1 << 22;
/** Bytes of matrices (A and V) per dense-path chunk. */
const DENSE_CHUNK_BYTES = 64 * 2 ** 20;

function constants(S: number, spectrum: boolean, extra: Record<string, ShaderConstant> = {}): Record<string, ShaderConstant> {
  const ns = spinDim(S), m = mValues(S);
  return {
    S2: ns - 1, NS: ns, D: ns * ns,
    LOWER: { f32array: Array.from(m, x => lowering(S, x)) }, UPPER: { f32array: Array.from(m, x => raising(S, x)) },
    ...POINT_ROW.constants('PT'), ...RESULT_ROW.constants('RES'),
    F32_TOL2: { f32: F32_TOL * F32_TOL }, DEG_TOL: { f32: DEGENERACY_TOL }, THETA_BIG: { f32: JACOBI_THETA_BIG },
    SPECTRUM: spectrum, ...extra,
  };
}

function grid(device: GPUDevice, count: number): { gx: number; gy: number; strideY: number } {
  const groups = Math.max(1, Math.ceil(count / WORKGROUP)), gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  return { gx, gy: Math.ceil(groups / gx), strideY: gx * WORKGROUP };
}

function uniform(device: GPUDevice, values: { count: number; stride_y: number; p0?: number; q0?: number; rotations?: number }, label: string): GPUBuffer {
  const buf = device.createBuffer({ size: RUN_UNIFORM.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label });
  device.queue.writeBuffer(buf, 0, RUN_UNIFORM.pack({ count: values.count, stride_y: values.stride_y, probe_iters: 2, p0: values.p0 ?? 0, q0: values.q0 ?? 0, rotations: values.rotations ?? 0, pad0: 0, pad1: 0 }));
  return buf;
}

function bindGroup(device: GPUDevice, pipeline: GPUComputePipeline, entries: [number, GPUBuffer][]): GPUBindGroup {
  return device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: entries.map(([binding, buffer]) => ({ binding, resource: { buffer } })) });
}

function unpack(f32: Float32Array, out: Float64Array, at: number): void {
  for (let k = 0; k < f32.length; k++) out[at + k] = f32[k];
}

function checkResiduals(r: Float32Array, first: number, S: number, path: string): void {
  for (let k = 0; k < r.length / RESULT_STRIDE; k++) {
    const res = r[k * RESULT_STRIDE + RESULT_ROW.offsets.residual];
    if (res < 0) throw new Error(`vibronic ${path} kernel (S = ${spinLabel(S)}): point ${first + k} hit the adapter's loop-iteration cap (results would be wrong)`);
  }
}

function sortSpectra(spec: Float32Array, out: Float64Array, at: number, d: number): void {
  const tmp = new Float64Array(d);
  for (let p = 0; p < spec.length / d; p++) {
    for (let k = 0; k < d; k++) tmp[k] = spec[p * d + k];
    tmp.sort();
    out.set(tmp, at + p * d);
  }
}

export async function pairBatchWebGpu(gpu: GpuContext, b: PairBatch, progress?: PairProgress): Promise<PairBatchResult> {
  const t0 = performance.now();
  const count = batchCount(b), path = batchPath(b), S = b.S, ns = spinDim(S), d = ns * ns;
  if (path === 'blocks' && S > BLOCK_MAX_SPIN) throw new RangeError(`webgpu block kernel: S = ${spinLabel(S)} exceeds S ≤ ${spinLabel(BLOCK_MAX_SPIN)} (loop-iteration budget per invocation); use --backend cpu`);
  if (path === 'dense' && d > DENSE_MAX_DIM) throw new RangeError(`webgpu dense kernel: (2S+1)² = ${d} exceeds ${DENSE_MAX_DIM} (S ≤ 5); use --backend cpu`);
  const results = new Float64Array(count * RESULT_STRIDE), spectrum = b.spectrum ? new Float64Array(count * d) : null;
  if (count === 0) return { path, count, results, spectrum, seconds: 0, dispatches: 0 };
  let dispatches = 0;
  const { device } = gpu;
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const code = await composeShader(['vibronic/pair_common.wgsl', `vibronic/${path}.wgsl`], constants(S, !!b.spectrum, { BLOCK_SWEEPS: BLOCK_MAX_SWEEPS }), { structs: [RUN_UNIFORM] });
  const rowBytes = Math.max(POINT_STRIDE, b.spectrum ? d : 0, path === 'dense' ? 2 * d * d : 0) * 4;
  const cap = path === 'blocks' ? POINTS_PER_DISPATCH : Math.floor(DENSE_CHUNK_BYTES / (2 * d * d * 4));
  const batch = Math.max(1, Math.min(count, cap, Math.floor(maxBinding / rowBytes), 65535 * WORKGROUP));
  const bufs: GPUBuffer[] = [];
  const keep = <T extends GPUBuffer>(x: T) => { bufs.push(x); return x; };
  try {
    const { input, result, spec } = await checked(device, 'vibronic buffers', () => ({
      input: keep(storageBuffer(device, batch * POINT_STRIDE * 4, 'vibronic points')),
      result: keep(storageBuffer(device, batch * RESULT_STRIDE * 4, 'vibronic results')),
      spec: keep(storageBuffer(device, b.spectrum ? batch * d * 4 : 16, 'vibronic spectra')),
    }));
    // read back points [first, first + n): results (residual-checked) and spectra
    const collect = async (first: number, n: number) => {
      const r = new Float32Array(await readBuffer(device, result, n * RESULT_STRIDE * 4));
      checkResiduals(r, first, S, path);
      unpack(r, results, first * RESULT_STRIDE);
      if (spectrum) sortSpectra(new Float32Array(await readBuffer(device, spec, n * d * 4)), spectrum, first * d, d);
      progress?.(first + n, count);
    };
    if (path === 'blocks') {
      const pipeline = await computePipeline(device, code, 'main', `vibronic blocks S=${spinLabel(S)}`);
      for (let first = 0; first < count; first += batch) {
        const n = Math.min(batch, count - first), g = grid(device, n);
        await checked(device, 'vibronic blocks dispatch', () => {
          device.queue.writeBuffer(input, 0, Float32Array.from(b.rows.subarray(first * POINT_STRIDE, (first + n) * POINT_STRIDE)));
          const u = keep(uniform(device, { count: n, stride_y: g.strideY }, 'vibronic run'));
          const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'vibronic blocks' });
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup(device, pipeline, [[0, u], [1, input], [2, result], [3, spec]]));
          pass.dispatchWorkgroups(g.gx, g.gy);
          pass.end();
          device.queue.submit([enc.finish()]);
        });
        dispatches++;
        await collect(first, n);
      }
    } else {
      const [build, sweep, finish] = await Promise.all(['build', 'sweep', 'finish'].map(e => computePipeline(device, code, e, `vibronic dense ${e} S=${spinLabel(S)}`)));
      const mats = keep(storageBuffer(device, batch * d * d * 4, 'vibronic dense matrices'));
      const vecs = keep(storageBuffer(device, batch * d * d * 4, 'vibronic dense eigenvectors'));
      const R = denseRotationsPerDispatch(d), P = (d * (d - 1)) / 2;
      // rotation windows of one sweep: (p0, q0, count)
      const windows: { p0: number; q0: number; rotations: number }[] = [];
      let p = 0, q = 1;
      for (let start = 0; start < P; start += R) {
        const rotations = Math.min(R, P - start);
        windows.push({ p0: p, q0: q, rotations });
        for (let k = 0; k < rotations; k++) { q++; if (q === d) { p++; q = p + 1; } }
      }
      for (let first = 0; first < count; first += batch) {
        const n = Math.min(batch, count - first), g = grid(device, n);
        await checked(device, 'vibronic dense dispatch', () => {
          device.queue.writeBuffer(input, 0, Float32Array.from(b.rows.subarray(first * POINT_STRIDE, (first + n) * POINT_STRIDE)));
          device.queue.writeBuffer(result, 0, new Float32Array(n * RESULT_STRIDE));
          const base = keep(uniform(device, { count: n, stride_y: g.strideY }, 'vibronic dense run'));
          const wins = windows.map(w => keep(uniform(device, { count: n, stride_y: g.strideY, ...w }, 'vibronic dense window')));
          const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'vibronic dense' });
          pass.setPipeline(build);
          pass.setBindGroup(0, bindGroup(device, build, [[0, base], [1, input], [2, mats], [3, vecs]]));
          pass.dispatchWorkgroups(g.gx, g.gy);
          pass.setPipeline(sweep);
          const groups = wins.map(u => bindGroup(device, sweep, [[0, u], [2, mats], [3, vecs], [4, result]]));
          for (let s = 0; s < DENSE_MAX_SWEEPS; s++) for (const bg of groups) { pass.setBindGroup(0, bg); pass.dispatchWorkgroups(g.gx, g.gy); dispatches++; }
          pass.setPipeline(finish);
          pass.setBindGroup(0, bindGroup(device, finish, [[0, base], [1, input], [2, mats], [3, vecs], [4, result], [5, spec]]));
          pass.dispatchWorkgroups(g.gx, g.gy);
          dispatches += 2;
          pass.end();
          device.queue.submit([enc.finish()]);
        });
        await collect(first, n);
      }
    }
  } finally {
    for (const x of bufs) x.destroy();
  }
  return { path, count, results, spectrum, seconds: (performance.now() - t0) / 1000, dispatches };
}
