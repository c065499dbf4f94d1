// Host side of shaders/rng/philox_kat.wgsl: evaluate Philox words and Gaussian variates on the
// adapter for given (counter, key) pairs. Its CPU twin is src/numerics/philox.ts.
import { composeShader } from '../../backends/shaders.ts';
import { computePipeline, readBuffer, storageBuffer } from '../../backends/pipelines.ts';

export interface PhiloxQuery { ctr: [number, number, number, number]; key: [number, number] }

export async function philoxOnDevice(device: GPUDevice, queries: PhiloxQuery[]): Promise<{ words: Uint32Array; normals: Float32Array }> {
  const n = queries.length;
  const q = new Uint32Array(n * 8);
  queries.forEach((x, i) => { q.set(x.ctr, 8 * i); q.set(x.key, 8 * i + 4); });
  const pipeline = await computePipeline(device, await composeShader(['rng/philox.wgsl', 'rng/philox_kat.wgsl']), 'main', 'philox_kat');
  const qb = storageBuffer(device, q, 'philox queries');
  const wb = storageBuffer(device, n * 16, 'philox words');
  const nb = storageBuffer(device, n * 24, 'philox normals');   // six normals per query
  try {
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [
      { binding: 0, resource: { buffer: qb } }, { binding: 1, resource: { buffer: wb } }, { binding: 2, resource: { buffer: nb } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline); pass.setBindGroup(0, bind); pass.dispatchWorkgroups(Math.ceil(n / 64)); pass.end();
    device.queue.submit([enc.finish()]);
    const words = new Uint32Array(await readBuffer(device, wb, n * 16));
    const normals = new Float32Array(await readBuffer(device, nb, n * 24));
    return { words, normals };
  } finally { qb.destroy(); wb.destroy(); nb.destroy(); }
}
