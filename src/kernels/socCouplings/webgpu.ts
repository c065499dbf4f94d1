// Host side of shaders/socDimer/couplings.wgsl: one invocation per (μ_F, V) point, batched so a
// dispatch stays short; results come back as float32 and are widened. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { defineStruct } from '../../backends/layout.ts';
import { GK15_NODES, GK15_WEIGHTS } from '../../numerics/quadrature.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { AXIS_BREAKS, COUPLING_STRIDE, FERMI_CUTS, pointSpec, type CouplingRule } from '../../models/socDimer/couplings.ts';
import type { SocDimerParams } from '../../models/socDimer/params.ts';
import type { MapProgress } from './cpu.ts';

const STRIDE_IN = 6;

/** The model uniform: the shared hoppings and energies (meV) and the composite rule. */
const MODEL_UNIFORM = defineStruct('Model', {
  te: 'f32', tL: 'f32', tR: 'f32', t0: 'f32', t: 'f32', eps0: 'f32', panelWidth: 'f32', axisScale: 'f32', matsubara: 'u32', count: 'u32',
});

/** Points per dispatch: small enough that no dispatch trips a watchdog on a slow adapter. */
export const POINTS_PER_DISPATCH = 4096;

export async function couplingsMapWebGpu(gpu: GpuContext, points: SocDimerParams[], rule: CouplingRule, progress?: MapProgress): Promise<Float64Array> {
  const { device } = gpu;
  if (!points.length) return new Float64Array(0);
  const m = points[0];
  for (const p of points) {
    for (const k of ['te', 'tL', 'tR', 't0', 't', 'eps0'] as const) if (p[k] !== m[k]) throw new RangeError(`couplings map: ${k} must be the same at every point`);
  }
  const code = await composeShader(['common/complex2.wgsl', 'socDimer/couplings.wgsl'], {
    STRIDE_IN, STRIDE_OUT: COUPLING_STRIDE, XGK: { f32array: GK15_NODES }, WGK: { f32array: GK15_WEIGHTS },
    AXIS_BREAKS: { f32array: AXIS_BREAKS }, FERMI_CUTS: { f32array: FERMI_CUTS },
  }, { structs: [MODEL_UNIFORM] });
  const pipeline = await computePipeline(device, code, 'main', 'soc-dimer couplings');
  const batch = Math.min(points.length, POINTS_PER_DISPATCH);
  const out = new Float64Array(points.length * COUPLING_STRIDE);
  const { input, result, uniform } = await checked(device, 'couplings buffers', () => ({
    input: storageBuffer(device, batch * STRIDE_IN * 4, 'couplings points'),
    result: storageBuffer(device, batch * COUPLING_STRIDE * 4, 'couplings result'),
    uniform: device.createBuffer({ size: MODEL_UNIFORM.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'couplings model' }),
  }));
  try {
    for (let first = 0; first < points.length; first += batch) {
      const count = Math.min(batch, points.length - first);
      const packed = new Float32Array(count * STRIDE_IN);
      for (let i = 0; i < count; i++) {
        const s = pointSpec(points[first + i]);
        packed.set([s.muL, s.muR, s.kTL, s.kTR, s.cL, s.cR], i * STRIDE_IN);
      }
      const u = MODEL_UNIFORM.pack({ te: m.te, tL: m.tL, tR: m.tR, t0: m.t0, t: m.t, eps0: m.eps0, panelWidth: rule.panelWidth, axisScale: rule.axisScale, matsubara: rule.matsubara, count });
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
