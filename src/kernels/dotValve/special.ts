// The float32 special functions of shaders/common/digamma.wgsl evaluated at given arguments, with the float64
// twin (src/numerics/digamma.ts): the accuracy check of the WGSL digamma.
import type { Kernel } from '../../backends/index.ts';
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { digamma, polygammaComplex, trigamma, MAX_POLYGAMMA_ORDER } from '../../numerics/digamma.ts';
import { EVAL, digammaConstants } from './layout.ts';

/** 'digamma' / 'trigamma': real x (args = x values); polygamma n: complex z = x + iy (args = x, y pairs, Re z > 0). */
export type SpecialFunction = { fn: 'digamma' } | { fn: 'trigamma' } | { fn: 'polygamma'; n: number };

function count(f: SpecialFunction, args: Float64Array): number {
  if (f.fn === 'polygamma') {
    if (!Number.isInteger(f.n) || f.n < 0 || f.n > MAX_POLYGAMMA_ORDER) throw new RangeError(`polygamma order must be in [0, ${MAX_POLYGAMMA_ORDER}], got ${f.n}`);
    if (args.length % 2) throw new RangeError('polygamma: args must be (Re z, Im z) pairs');
    return args.length / 2;
  }
  return args.length;
}

/** Values: real functions one per argument; polygamma (Re, Im) pairs. */
function specialCpu(f: SpecialFunction, args: Float64Array): Float64Array {
  const n = count(f, args);
  if (f.fn === 'digamma') return Float64Array.from(args, digamma);
  if (f.fn === 'trigamma') return Float64Array.from(args, trigamma);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) out.set(polygammaComplex(f.n, args[2 * i], args[2 * i + 1]), 2 * i);
  return out;
}

async function specialWebGpu(gpu: GpuContext, f: SpecialFunction, args: Float64Array): Promise<Float64Array> {
  const { device } = gpu;
  const n = count(f, args);
  if (n === 0) return new Float64Array(0);
  const code = await composeShader(['common/digamma.wgsl', 'dotValve/special_eval.wgsl'], digammaConstants(), { structs: [EVAL] });
  const pipeline = await computePipeline(device, code, 'main', 'dot-valve special functions');
  const packed = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (f.fn === 'polygamma') { packed[2 * i] = args[2 * i]; packed[2 * i + 1] = args[2 * i + 1]; } else packed[2 * i] = args[i];
  }
  const { a, v, u } = await checked(device, 'special buffers', () => ({
    a: storageBuffer(device, packed, 'special args'),
    v: storageBuffer(device, 8 * n, 'special values'),
    u: device.createBuffer({ size: EVAL.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'special eval' }),
  }));
  try {
    await checked(device, 'special dispatch', () => {
      device.queue.writeBuffer(u, 0, EVAL.pack({ mode: f.fn === 'digamma' ? 0 : f.fn === 'trigamma' ? 1 : 2 + f.n, count: n }));
      const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'special functions' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [u, a, v].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
      const groups = Math.ceil(n / WORKGROUP), gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
      pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
      pass.end();
      device.queue.submit([enc.finish()]);
    });
    const r = new Float32Array(await readBuffer(device, v, 8 * n));
    if (f.fn === 'polygamma') return Float64Array.from(r);
    return Float64Array.from({ length: n }, (_, i) => r[2 * i]);
  } finally { a.destroy(); v.destroy(); u.destroy(); }
}

/** ψ, ψ′, ψ⁽ⁿ⁾ at given arguments: float32 WGSL or the float64 twin. */
export const specialFunctionsKernel: Kernel<[f: SpecialFunction, args: Float64Array], Float64Array> = {
  name: 'dot-valve special functions',
  cpu: specialCpu,
  webgpu: specialWebGpu,
};
