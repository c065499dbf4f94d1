// Host side of shaders/granular/exchange.wgsl: rows built in float64 (./rows.ts) and sent as float32, one
// workgroup per row, the whole sweep in one dispatch (or as few as the row buffer allows: MAX_ROWS rows each),
// row partials read back as float32 and folded into the band-pair integrals in float64. Twin: ./cpu.ts.
import type { GpuContext } from '../../backends/webgpu.ts';
import { composeShader, WORKGROUP } from '../../backends/shaders.ts';
import { defineStruct } from '../../backends/layout.ts';
import { checked, computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';
import type { GranularParams } from '../../models/granular/params.ts';
import { HBAR2_2M } from '../../models/granular/params.ts';
import { ACOS_COEFFS, OMEGA_MAX_TERMS, SEG_COEFFS, SEG_SERIES_BELOW } from '../../models/granular/omega.ts';
import { TERM_IDS } from '../../models/granular/domains.ts';
import {
  buildRows, loopIterationsPerInvocation, maxRowsPerPoint, PAIR_COUNT, PAIR_SLOTS, POINT_ROW, ROW, ROW_U_STRIDE, ruleTables, type GranularRule,
} from './rows.ts';
import { foldRows, type GranularProgress } from './cpu.ts';

const RUN = defineStruct('Run', { rows: 'u32', gx: 'u32', probe: 'u32', pad: 'u32' });

/** Rows per dispatch at most (row buffers ≈ 11 MiB): a sweep that needs more is cut into whole-point batches. */
export const MAX_ROWS = 1 << 18;
/** Loop iterations per invocation kept on any adapter (llvmpipe's cap is 65535). */
export const LOOP_BUDGET = 40_000;

export async function granularShader(rule: GranularRule): Promise<string> {
  const T = ruleTables(rule);
  const tab = (a: ArrayLike<number>) => ({ f32array: a });
  return composeShader(['granular/exchange.wgsl'], {
    INNER_N: T.lu.length, Q_N: T.qlu.length,
    LU: tab(T.lu), LW: tab(T.lw), GU: tab(T.gu), GC: tab(T.gc), GW: tab(T.gw),
    QLU: tab(T.qlu), QLW: tab(T.qlw), QS: tab(T.qs), QC: tab(T.qc), QW: tab(T.qw),
    ACOS_C: tab(ACOS_COEFFS), SEG_C: tab(SEG_COEFFS), SEG_BELOW: { f32: SEG_SERIES_BELOW },
    OMEGA_MAX: OMEGA_MAX_TERMS, HBAR2_2M: { f32: HBAR2_2M },
    SLOT_TERM: { u32array: PAIR_SLOTS.map(s => TERM_IDS.indexOf(s.term)) },
    SLOT_B1: { u32array: PAIR_SLOTS.map(s => s.b1) }, SLOT_B2: { u32array: PAIR_SLOTS.map(s => s.b2) },
    ...POINT_ROW.constants('PT'), ...ROW.constants('ROW'), ROW_U_STRIDE,
  }, { structs: [RUN] });
}

export async function granularPairsWebGpu(gpu: GpuContext, params: GranularParams[], rule: GranularRule, progress?: GranularProgress): Promise<Float64Array> {
  const { device } = gpu;
  const out = new Float64Array(params.length * PAIR_COUNT);
  if (!params.length) return out;
  const pipeline = await computePipeline(device, await granularShader(rule), 'main', 'granular exchange');
  const perBatch = Math.max(1, Math.floor(MAX_ROWS / maxRowsPerPoint(rule)));
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  for (let first = 0; first < params.length; first += perBatch) {
    const batch = params.slice(first, first + perBatch);
    const rows = buildRows(batch, rule);
    const worst = Math.max(...rows.nOmega);
    const loops = loopIterationsPerInvocation(rule, worst, WORKGROUP);
    if (loops > LOOP_BUDGET) {
      throw new RangeError(`granular exchange: ${loops} loop iterations per invocation (ω̂ series of ${worst} terms) exceed the ${LOOP_BUDGET} kept on every adapter; use a smaller gap d or a coarser rule`);
    }
    if (rows.count === 0) { progress?.(first + batch.length, params.length); continue; }
    const gx = Math.min(rows.count, maxDim), gy = Math.ceil(rows.count / gx);
    const bufs = await checked(device, 'granular buffers', () => ({
      points: storageBuffer(device, Float32Array.from(rows.points), 'granular points'),
      rowF: storageBuffer(device, Float32Array.from(rows.f), 'granular rows f32'),
      rowU: storageBuffer(device, rows.u, 'granular rows u32'),
      partial: storageBuffer(device, rows.count * 4, 'granular partials'),
      flags: storageBuffer(device, new Uint32Array(4), 'granular flags'),
      uniform: device.createBuffer({ size: RUN.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'granular run' }),
    }));
    try {
      await checked(device, 'granular dispatch', () => {
        device.queue.writeBuffer(bufs.uniform, 0, RUN.pack({ rows: rows.count, gx, probe: 2, pad: 0 }));
        const enc = device.createCommandEncoder(), pass = enc.beginComputePass({ label: 'granular exchange' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [bufs.uniform, bufs.points, bufs.rowF, bufs.rowU, bufs.partial, bufs.flags].map((buffer, binding) => ({ binding, resource: { buffer } })),
        }));
        pass.dispatchWorkgroups(gx, gy);
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      const partial = new Float32Array(await readBuffer(device, bufs.partial, rows.count * 4));
      const flags = new Uint32Array(await readBuffer(device, bufs.flags, 16));
      if (flags[0] !== 0) throw new Error('granular exchange: the adapter cut the loops of an invocation short (llvmpipe loop cap); results discarded');
      out.set(foldRows(rows, partial, batch.length), first * PAIR_COUNT);
    } finally {
      for (const b of Object.values(bufs)) b.destroy();
    }
    progress?.(first + batch.length, params.length);
  }
  return out;
}

export { ROW_U_STRIDE };
