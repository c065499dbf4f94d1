// Host side of the Keldysh exchange kernel on the device: G^< on the grid (pack_lesser.wgsl) →
// principal value by FFT (src/kernels/hilbert) → contraction into Pauli bilinears (contract.wgsl),
// all on the device for a batch of parameter points; only the chunk partial sums come back and are
// added in float64. CPU twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import { BILINEAR_FLOATS } from '../../models/junction/exchange.ts';
import type { JunctionParams } from '../../models/junction/params.ts';
import { encodePrincipalValue, principalValuePlan } from '../hilbert/webgpu.ts';
import { PV_ROWS } from './cpu.ts';
import type { EnergyGrid } from './grid.ts';
import { chunksFor, GRID_UNIFORM, packGrid, packJunctionParams, PARAM_STRIDE } from './layout.ts';


function shader(entry: 'pack_lesser' | 'contract'): Promise<string> {
  return composeShader(['common/complex2.wgsl', 'exchange/energy_grid.wgsl', 'exchange/junction_greens.wgsl', `exchange/${entry}.wgsl`], { PARAM_STRIDE, PV_ROWS }, { structs: [GRID_UNIFORM] });
}

function grid2d(device: GPUDevice, groups: number): [number, number] {
  const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  return [gx, Math.ceil(groups / gx)];
}

export interface ExchangeProgress { (donePoints: number, totalPoints: number): void }

/** Pauli bilinears (BILINEAR_FLOATS per point, float64 after the chunk fold) for every point. */
export async function exchangeBilinearsWebGpu(gpu: GpuContext, points: JunctionParams[], grid: EnergyGrid,
  opts: { maxPointsPerBatch?: number; progress?: ExchangeProgress } = {}): Promise<Float64Array> {
  const { device } = gpu;
  const plan = await principalValuePlan(device, grid.N);
  const [pack, contract] = await Promise.all([
    shader('pack_lesser').then(c => computePipeline(device, c, 'main', 'exchange pack_lesser')),
    shader('contract').then(c => computePipeline(device, c, 'main', 'exchange contract')),
  ]);
  const chunks = chunksFor(grid.N);
  const rowsPerPoint = PV_ROWS;
  const batch = Math.max(1, Math.min(points.length, opts.maxPointsPerBatch ?? Infinity, Math.floor(plan.maxRows / rowsPerPoint)));
  const partialFloats = 4 * chunks * 128;
  const out = new Float64Array(points.length * BILINEAR_FLOATS);
  const { rows, params, partial, uniform } = await checked(device, 'exchange buffers', () => ({
    rows: storageBuffer(device, batch * rowsPerPoint * plan.rowBytes, 'exchange G< rows'),
    params: storageBuffer(device, batch * PARAM_STRIDE * 4, 'exchange params'),
    partial: storageBuffer(device, batch * partialFloats * 4, 'exchange partial sums'),
    uniform: device.createBuffer({ size: GRID_UNIFORM.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'exchange grid' }),
  }));
  try {
    for (let first = 0; first < points.length; first += batch) {
      const count = Math.min(batch, points.length - first);
      await checked(device, 'exchange dispatch', () => {
        device.queue.writeBuffer(uniform, 0, packGrid(grid, count, plan.L, chunks));
        device.queue.writeBuffer(params, 0, packJunctionParams(points.slice(first, first + count)));
        const enc = device.createCommandEncoder();
        const bind = (pipe: GPUComputePipeline, bufs: GPUBuffer[]) => device.createBindGroup({ layout: pipe.getBindGroupLayout(0),
          entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) });
        let pass = enc.beginComputePass({ label: 'exchange pack_lesser' });
        pass.setPipeline(pack); pass.setBindGroup(0, bind(pack, [uniform, params, rows]));
        pass.dispatchWorkgroups(...grid2d(device, Math.ceil((count * grid.N) / WORKGROUP)));
        pass.end();
        encodePrincipalValue(plan, enc, rows, count * rowsPerPoint);
        pass = enc.beginComputePass({ label: 'exchange contract' });
        pass.setPipeline(contract); pass.setBindGroup(0, bind(contract, [uniform, params, rows, partial]));
        pass.dispatchWorkgroups(...grid2d(device, count * 4 * chunks));
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      const part = new Float32Array(await readBuffer(device, partial, count * partialFloats * 4));
      // fold chunks in float64, times the energy step (the device sums bare integrands)
      for (let i = 0; i < count; i++) for (let blk = 0; blk < 4; blk++) {
        const dst = (first + i) * BILINEAR_FLOATS + blk * 128;
        for (let c = 0; c < chunks; c++) {
          const src = ((i * 4 + blk) * chunks + c) * 128;
          for (let j = 0; j < 128; j++) out[dst + j] += grid.h * part[src + j];
        }
      }
      opts.progress?.(first + count, points.length);
    }
  } finally {
    rows.destroy(); params.destroy(); partial.destroy(); uniform.destroy();
  }
  return out;
}
