// Browser entry for test/browser.test.ts: the engine's own modules, bundled unchanged, running on
// navigator.gpu. Exposes one function that returns plain JSON.
import { openBackend, WebGpuBackend } from '../../src/backends/index.ts';
import { philoxOnDevice } from '../../src/kernels/rng/philoxDevice.ts';
import { llgKernel } from '../../src/kernels/llg/index.ts';
import { LlgProblem } from '../../src/llg/index.ts';
import { gaussian6 } from '../../src/numerics/philox.ts';

async function runChecks() {
  const gpu = await openBackend('webgpu') as WebGpuBackend;
  try {
    const kat = await philoxOnDevice(gpu.gpu!.device, [
      { ctr: [0, 0, 0, 0], key: [0, 0] },
      { ctr: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff] },
      { ctr: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0] },
    ]);
    // 16 identical systems: one parameter point, 16 trajectories (same noise as the old 16-system ensemble)
    const ens = LlgProblem.fromPoints([{
      temperature: 5,
      spins: [
        { field: [0, 0, 0.4], anisotropy: 1, alpha: 0.2, init: [0.3, 0, 1] },
        { field: [0.1, 0, 0.4], anisotropy: 0.5, alpha: 0.1, S: 2, init: [0, 0.3, 1] },
      ],
      couplings: [{ i: 0, j: 1, J: 0.5, D: [0, 0, 0.1] }],
    }], { trajectoriesPerPoint: 16 });
    const queries = Array.from({ length: 4096 }, (_, i) => ({ ctr: [i, 7, i % 3, 0] as [number, number, number, number], key: [11, 0] as [number, number] }));
    const dev = await philoxOnDevice(gpu.gpu!.device, queries);
    let normalDiff = 0;
    queries.forEach((q, i) => { const g = gaussian6(q.ctr, q.key); for (let a = 0; a < 6; a++) normalDiff = Math.max(normalDiff, Math.abs(g[a] - dev.normals[6 * i + a])); });
    const opts = { dt: 0.01, steps: 300, averageFrom: 1, seed: 11, keepTrajectories: true };
    const g = await gpu.run(llgKernel, ens, opts);
    const c = await (await openBackend('cpu')).run(llgKernel, ens, opts);
    const gf = g.trajectoryData!.finalM, cf = c.trajectoryData!.finalM;
    let maxDiff = 0;
    for (let k = 0; k < gf.length; k++) maxDiff = Math.max(maxDiff, Math.abs(gf[k] - cf[k]));
    return { adapter: gpu.adapter, backend: g.backend, katWords: Array.from(kat.words), maxDiff, normalDiff };
  } finally {
    gpu.close();
  }
}

(globalThis as unknown as { runChecks: typeof runChecks }).runChecks = runChecks;
