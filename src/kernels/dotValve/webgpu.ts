// Host side of shaders/dotValve/torque_table.wgsl: one workgroup per (ε̃, V) point computes the point's
// θ-independent scalars once (lanes 0–19: the digamma family at E1,2 − μ_S,D and at the S–D midpoint; lane 0 the
// Fermi factors, exchange fields and cotunnelling integrals) and then every angle of the point (lane a, a + WG, …),
// so the whole table of a chunk of points is one dispatch. Chunks of POINTS_PER_DISPATCH points bound a dispatch's
// run time and buffer sizes; results come back as float32 and are widened. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { MODEL, ROW, torqueTableConstants } from './layout.ts';
import { checkJob, type TorqueTableJob } from './job.ts';

/** Points per dispatch (all their angles in the same dispatch). */
export const POINTS_PER_DISPATCH = 8192;

/**
 * |sin θ| below which the float32 kernel uses the exact θ → 0, π limits of I_FL, I_DL (the float64 twin only at
 * sin θ = 0): the direct Eq. 2 quotient loses ~ε₃₂|I_S,D|/sin θ there, the limit is off by O(θ²).
 */
export const LIMIT_SIN = 1e-3;

export function torqueTableShader(): Promise<string> {
  return composeShader(['common/digamma.wgsl', 'dotValve/torque_table.wgsl'], torqueTableConstants(), { structs: [MODEL] });
}

export async function torqueTableWebGpu(gpu: GpuContext, job: TorqueTableJob): Promise<Float64Array> {
  const { device } = gpu;
  const { nPoints, nAngles } = checkJob(job);
  const out = new Float64Array(nPoints * nAngles * ROW.stride);
  if (nPoints === 0) return out;
  const pipeline = await computePipeline(device, await torqueTableShader(), 'main', 'dot-valve torque table');
  const maxRows = Math.floor(device.limits.maxStorageBufferBindingSize / (4 * ROW.stride * nAngles));
  const batch = Math.max(1, Math.min(nPoints, POINTS_PER_DISPATCH, maxRows));
  const b = job.base;
  const { pts, ang, res, uni } = await checked(device, 'dot-valve buffers', () => ({
    pts: storageBuffer(device, batch * 2 * 4, 'dot-valve points'),
    ang: storageBuffer(device, Float32Array.from(job.angles), 'dot-valve angles'),
    res: storageBuffer(device, batch * nAngles * ROW.stride * 4, 'dot-valve rows'),
    uni: device.createBuffer({ size: MODEL.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'dot-valve model' }),
  }));
  try {
    for (let first = 0; first < nPoints; first += batch) {
      const count = Math.min(batch, nPoints - first);
      await checked(device, 'dot-valve dispatch', () => {
        device.queue.writeBuffer(uni, 0, MODEL.pack({
          u: b.U, t: b.T, gamma_s: b.gammaS, gamma_d: b.gammaD, p_s: b.pS, p_d: b.pD, limit_sin: LIMIT_SIN,
          order: b.order === 'cotunnelling' ? 1 : 0, n_points: count, n_angles: nAngles,
        }));
        device.queue.writeBuffer(pts, 0, Float32Array.from(job.points.subarray(2 * first, 2 * (first + count))));
        const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'dot-valve torque table' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [uni, pts, ang, res].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
        const gx = Math.min(count, device.limits.maxComputeWorkgroupsPerDimension);
        pass.dispatchWorkgroups(gx, Math.ceil(count / gx));
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      const r = new Float32Array(await readBuffer(device, res, count * nAngles * ROW.stride * 4));
      const at = first * nAngles * ROW.stride;
      for (let k = 0; k < r.length; k++) out[at + k] = r[k];
      job.onProgress?.(first + count, nPoints);
    }
  } finally { pts.destroy(); ang.destroy(); res.destroy(); uni.destroy(); }
  return out;
}
