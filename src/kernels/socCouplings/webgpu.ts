// Host side of shaders/socDimer/couplings.wgsl: one invocation per (μ_F, V) point, batched so a
// dispatch stays short; results come back as float32 and are widened. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { COUPLING_STRIDE, pointSpec, type CouplingRule } from '../../models/socDimer/couplings.ts';
import type { SocDimerParams } from '../../models/socDimer/params.ts';
import type { MapProgress } from './cpu.ts';

const STRIDE_IN = 6, WORKGROUP = 64;

/** Points per dispatch: small enough that no dispatch trips a watchdog on a slow adapter. */
export const POINTS_PER_DISPATCH = 4096;

export async function couplingsMapWebGpu(gpu: GpuContext, points: SocDimerParams[], rule: CouplingRule, progress?: MapProgress): Promise<Float64Array> {
  const { device } = gpu;
  if (!points.length) return new Float64Array(0);
  const m = points[0];
  for (const p of points) {
    for (const k of ['te', 'tL', 'tR', 't0', 't', 'eps0'] as const) if (p[k] !== m[k]) throw new RangeError(`couplings map: ${k} must be the same at every point`);
  }
  const code = await composeShader(['common/complex2.wgsl', 'socDimer/couplings.wgsl'], { STRIDE_IN, STRIDE_OUT: COUPLING_STRIDE });
  const pipeline = await computePipeline(device, code, 'main', 'soc-dimer couplings');
  const batch = Math.min(points.length, POINTS_PER_DISPATCH);
  const out = new Float64Array(points.length * COUPLING_STRIDE);
  const { input, result, uniform } = await checked(device, 'couplings buffers', () => ({
    input: storageBuffer(device, batch * STRIDE_IN * 4, 'couplings points'),
    result: storageBuffer(device, batch * COUPLING_STRIDE * 4, 'couplings result'),
    uniform: device.createBuffer({ size: 48, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'couplings model' }),
  }));
  try {
    for (let first = 0; first < points.length; first += batch) {
      const count = Math.min(batch, points.length - first);
      const packed = new Float32Array(count * STRIDE_IN);
      for (let i = 0; i < count; i++) {
        const s = pointSpec(points[first + i]);
        packed.set([s.muL, s.muR, s.kTL, s.kTR, s.cL, s.cR], i * STRIDE_IN);
      }
      const u = new ArrayBuffer(48), f = new Float32Array(u), n = new Uint32Array(u);
      f.set([m.te, m.tL, m.tR, m.t0, m.t, m.eps0, rule.panelWidth, rule.axisScale]);
      n[8] = rule.matsubara; n[9] = count;
      await checked(device, 'couplings dispatch', () => {
        device.queue.writeBuffer(uniform, 0, u);
        device.queue.writeBuffer(input, 0, packed);
        const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'soc-dimer couplings' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [uniform, input, result].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
        const groups = Math.ceil(count / WORKGROUP), gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
        pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      const r = new Float32Array(await readBuffer(device, result, count * COUPLING_STRIDE * 4));
      for (let k = 0; k < r.length; k++) out[first * COUPLING_STRIDE + k] = r[k];
      progress?.(first + count, points.length);
    }
  } finally { input.destroy(); result.destroy(); uniform.destroy(); }
  return out;
}
