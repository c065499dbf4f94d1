// Lattice Langevin benchmark: the stochastic Heun step of an L³ simple-cubic lattice of grains (exchange, random
// uniaxial anisotropy, thermal noise: every term of the kernel) on every backend in the same run. One JSON line per
// (backend, size): spin-steps/s, bytes per spin (device buffers, or the twin's arrays), the ratio to the cpu twin.
// Times are of the step loops (set-up, uploads and the final readback excluded; the whole call is wallSeconds).
// The webgpu step count doubles until its step loop takes ≥ minSeconds; the cpu twin runs a few steps of the same
// lattice and its throughput (spin-steps/s) is measured there: its time for the webgpu step count is extrapolated
// linearly (the work per step is constant), which the line says (extrapolated: true).
// Run: npx tsx bench/lattice.ts [sizes, default 32,128]
import { pathToFileURL } from 'node:url';
import { openBackend } from '../src/backends/index.ts';
import { latticeKernel } from '../src/kernels/lattice/index.ts';
import { LatticeProblem } from '../src/models/lattice/problem.ts';
import { machine } from './llg.ts';

export interface LatticeBenchLine {
  benchmark: 'lattice-heun';
  backend: 'webgpu' | 'cpu';
  adapter: string;
  L: number;
  sites: number;
  steps: number;
  /** Time in the step loop (no set-up, uploads or final readback). */
  seconds: number;
  /** Wall time of the whole run call. */
  wallSeconds: number;
  spinStepsPerSecond: number;
  bytesPerSpin: number;
  /** cpu: the seconds for the webgpu line's step count, extrapolated from `steps`. */
  extrapolated: boolean;
  secondsForWebgpuSteps?: number;
  ratioToCpu?: number;
  machine: ReturnType<typeof machine>;
  error?: string;
}

export interface LatticeBenchOptions {
  sizes: number[];
  minSeconds: number;
  /** Twin steps at N ≥ 10⁶ (4× that below). */
  cpuSteps: number;
  backends: ('webgpu' | 'cpu')[];
  onLine?: (l: LatticeBenchLine) => void;
}

// J = 1 meV, K = 0.1 meV with random axes, T = 10 K, α = 1, dt = 0.02 ps, periodic: the full kernel
const problemOf = (L: number) => LatticeProblem.create({
  geometry: { dims: [L, L, L], periodic: [true, true, true] }, J: 1, anisotropy: { K: 0.1, axes: 'random', seed: 1 },
  replicas: [{ temperature: 10 }], alpha: 1,
});
const DT = 0.02;

export async function runLatticeBench(o: LatticeBenchOptions): Promise<LatticeBenchLine[]> {
  const lines: LatticeBenchLine[] = [];
  const gpu = o.backends.includes('webgpu') ? await openBackend('webgpu').catch((e: Error) => e) : null;
  const cpu = o.backends.includes('cpu') ? await openBackend('cpu') : null;
  // the twin's JIT warm-up, outside the timing
  if (cpu) await cpu.run(latticeKernel, problemOf(8), { dt: DT, steps: 20, seed: 1, keepState: false });
  try {
    for (const L of o.sizes) {
      const p = problemOf(L), N = p.sites;
      let gpuSteps = 0;
      if (gpu) {
        let line: LatticeBenchLine;
        try {
          if (gpu instanceof Error) throw gpu;
          if (gpu.name !== 'webgpu') throw new Error('no webgpu adapter');
          await gpu.run(latticeKernel, p, { dt: DT, steps: 2, seed: 1, keepState: false });   // compile outside the timing
          let steps = 4, r = await gpu.run(latticeKernel, p, { dt: DT, steps, seed: 1, keepState: false });
          while (r.stepSeconds < o.minSeconds && steps < 1 << 20) {
            steps *= 2;
            r = await gpu.run(latticeKernel, p, { dt: DT, steps, seed: 1, keepState: false });
          }
          gpuSteps = steps;
          line = { benchmark: 'lattice-heun', backend: 'webgpu', adapter: gpu.adapter, L, sites: N, steps, seconds: r.stepSeconds, wallSeconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond, bytesPerSpin: r.bytesPerSpin, extrapolated: false, machine: machine() };
        } catch (e) {
          line = { benchmark: 'lattice-heun', backend: 'webgpu', adapter: '', L, sites: N, steps: 0, seconds: NaN, wallSeconds: NaN, spinStepsPerSecond: NaN, bytesPerSpin: NaN, extrapolated: false, machine: machine(), error: (e as Error).message };
        }
        lines.push(line);
      }
      if (cpu) {
        const steps = N >= 1e6 ? o.cpuSteps : 4 * o.cpuSteps;
        const r = await cpu.run(latticeKernel, p, { dt: DT, steps, seed: 1, keepState: false });
        const rate = r.spinStepsPerSecond;
        lines.push({
          benchmark: 'lattice-heun', backend: 'cpu', adapter: cpu.adapter, L, sites: N, steps, seconds: r.stepSeconds, wallSeconds: r.seconds, spinStepsPerSecond: rate, bytesPerSpin: r.bytesPerSpin,
          extrapolated: gpuSteps > 0 && gpuSteps !== steps, ...(gpuSteps > 0 ? { secondsForWebgpuSteps: (N * gpuSteps) / rate } : {}), machine: machine(),
        });
      }
    }
  } finally {
    if (gpu && !(gpu instanceof Error)) gpu.close();
  }
  for (const L of o.sizes) {
    const c = lines.find(l => l.L === L && l.backend === 'cpu');
    for (const l of lines) if (l.L === L && c && Number.isFinite(c.spinStepsPerSecond)) l.ratioToCpu = l.spinStepsPerSecond / c.spinStepsPerSecond;
  }
  for (const l of lines) o.onLine?.(l);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = (process.argv[2] ?? '32,128').split(',').map(Number);
  await runLatticeBench({ sizes, minSeconds: 1, cpuSteps: 2, backends: ['webgpu', 'cpu'], onLine: l => process.stdout.write(JSON.stringify(l) + '\n') });
}
