// The junction exchange kernels (seed 000): Keldysh Pauli bilinears (WGSL host ./webgpu.ts, float64 twin
// ./cpu.ts) and the closed forms Eqs. 7–9 batched over a sweep (./closedWebgpu.ts; float64 twin: the
// adaptive quadrature of src/models/junction/closedForms.ts on the same integrands).
import type { Kernel } from '../../backends/index.ts';
import { BILINEAR_FLOATS } from '../../models/junction/exchange.ts';
import type { JunctionParams } from '../../models/junction/params.ts';
import { pairCouplingClosed } from '../../models/junction/closedForms.ts';
import { exchangeBilinearsCpu } from './cpu.ts';
import { exchangeBilinearsWebGpu, type ExchangeProgress } from './webgpu.ts';
import { closedFormsWebGpu, type ClosedFormValues } from './closedWebgpu.ts';
import type { EnergyGrid } from './grid.ts';

export type { ExchangeProgress } from './webgpu.ts';
export type { ClosedFormValues } from './closedWebgpu.ts';

/** Pauli bilinears (BILINEAR_FLOATS per point) of every point on the energy grid. */
export const keldyshBilinearsKernel: Kernel<[points: JunctionParams[], grid: EnergyGrid, progress?: ExchangeProgress], Float64Array> = {
  name: 'keldysh exchange bilinears',
  cpu(points, grid, progress) {
    const out = new Float64Array(points.length * BILINEAR_FLOATS);
    points.forEach((p, i) => { out.set(exchangeBilinearsCpu([p], grid), i * BILINEAR_FLOATS); progress?.(i + 1, points.length); });
    return out;
  },
  webgpu: (gpu, points, grid, progress) => exchangeBilinearsWebGpu(gpu, points, grid, { progress }),
};

/** Eqs. 7–9 (and the exact κ, Dz) of every point: one dispatch on the device, adaptive float64 on the CPU. */
export const closedFormsKernel: Kernel<[points: JunctionParams[], grid: EnergyGrid], ClosedFormValues[]> = {
  name: 'closed forms Eqs. 7-9',
  cpu: points => points.map(p => { const c = pairCouplingClosed(p); return { eq7: c.eq7, eq8: c.eq8, eq9: c.eq9, Dz: c.Dz, kappa: c.kappa }; }),
  webgpu: closedFormsWebGpu,
};
