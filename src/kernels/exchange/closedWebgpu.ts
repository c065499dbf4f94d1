// Host side of shaders/exchange/closed_forms.wgsl: Eqs. 7–9 and the derived DM fields for a whole
// sweep in one dispatch (float32 trapezoid sums on the keldysh energy grid, Kahan-compensated, chunks
// folded in float64). Reference: the adaptive float64 forms in src/models/junction/closedForms.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { symmetricDimer } from '../../models/junction/closedForms.ts';
import type { JunctionParams } from '../../models/junction/params.ts';
import type { EnergyGrid } from './grid.ts';
import { chunksFor, GRID_UNIFORM, packGrid } from './layout.ts';

const CLOSED_STRIDE = 10;

export interface ClosedFormValues { eq7: number; eq8: number; eq9: number; Dz: number; kappa: number }

export async function closedFormsWebGpu(gpu: GpuContext, points: JunctionParams[], grid: EnergyGrid): Promise<ClosedFormValues[]> {
  const { device } = gpu;
  const dimers = points.map(p => symmetricDimer(p));
  const code = await composeShader(['exchange/energy_grid.wgsl', 'exchange/closed_forms.wgsl'], { CLOSED_STRIDE }, { structs: [GRID_UNIFORM] });
  const pipeline = await computePipeline(device, code, 'main', 'exchange closed_forms');
  const chunks = chunksFor(grid.N), maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const batch = Math.max(1, Math.min(points.length, Math.floor((maxDim * maxDim) / chunks), Math.floor(device.limits.maxStorageBufferBindingSize / (20 * chunks))));
  const out: ClosedFormValues[] = [];
  for (let first = 0; first < points.length; first += batch) {
    const part = dimers.slice(first, first + batch), n = part.length;
    const packed = new Float32Array(n * CLOSED_STRIDE);
    part.forEach((d, i) => packed.set([d.e0, d.Tc, d.gL[0], d.gL[1], d.gR[0], d.gR[1], d.L.mu, d.R.mu, d.L.kT, d.R.kT], i * CLOSED_STRIDE));
    const { params, partial, uniform } = await checked(device, 'closed-form buffers', () => ({
      params: storageBuffer(device, packed, 'closed-form params'),
      partial: storageBuffer(device, n * chunks * 5 * 4, 'closed-form partial sums'),
      uniform: device.createBuffer({ size: GRID_UNIFORM.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'closed-form grid' }),
    }));
    try {
      await checked(device, 'closed-form dispatch', () => {
        device.queue.writeBuffer(uniform, 0, packGrid(grid, n, 0, chunks));
        const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'closed forms' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [uniform, params, partial].map((buffer, binding) => ({ binding, resource: { buffer } })) }));
        const groups = n * chunks, gx = Math.min(groups, maxDim);
        pass.dispatchWorkgroups(gx, Math.ceil(groups / gx));
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      const sums = new Float32Array(await readBuffer(device, partial, n * chunks * 5 * 4));
      part.forEach((d, i) => {
        const s = [0, 0, 0, 0, 0];
        for (let c = 0; c < chunks; c++) for (let q = 0; q < 5; q++) s[q] += sums[(i * chunks + c) * 5 + q];
        const T2 = d.Tc * d.Tc, h = grid.h, c8 = -(d.JJ * T2) / (8 * Math.PI);
        const K = d.gL[0] * d.gR[1] - d.gL[1] * d.gR[0], P = d.gL[0] * d.gR[0] - d.gL[1] * d.gR[1];
        out.push({
          eq7: -(T2 * d.JJ) / (8 * Math.PI) * h * s[0], eq8: -(T2 * d.JJ) / (4 * Math.PI) * h * s[1],
          eq9: -(d.JJ * T2 * K) / Math.PI * h * s[2], Dz: c8 * P * h * s[3], kappa: c8 * K * h * s[4],
        });
      });
    } finally { params.destroy(); partial.destroy(); uniform.destroy(); }
  }
  return out;
}
