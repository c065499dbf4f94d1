// LLG throughput benchmark: the macrospin stochastic Heun step on every backend in the same run —
// nanospin webgpu, nanospin cpu, and the same step written as a gpu.js kernel (its WebGPU and CPU
// modes, run in their own processes by bench/gpujs-peer.mjs). Backends are measured round-robin,
// best of `rounds`, so a noisy machine affects them alike. One JSON line per measurement.
import { spawnSync } from 'node:child_process';
import { cpus, platform, arch, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openBackend } from '../src/backends/index.ts';
import { llgKernel } from '../src/kernels/llg/index.ts';
import { LlgProblem } from '../src/llg/index.ts';

export const BENCH_BACKENDS = ['webgpu', 'cpu', 'gpu.js-webgpu', 'gpu.js-cpu'] as const;
export type BenchBackend = typeof BENCH_BACKENDS[number];

export interface BenchOptions {
  systems: number;
  /** Steps per timed run, per backend (slow backends run fewer steps of the same ensemble). */
  steps: Record<BenchBackend, number>;
  rounds: number;
  backends: BenchBackend[];
  onLine?: (line: BenchLine) => void;
}

export interface BenchLine {
  benchmark: 'llg-macrospin-heun';
  backend: BenchBackend;
  adapter: string;
  systems: number;
  steps: number;
  seconds: number;
  spinStepsPerSecond: number;
  /** Throughput relative to nanospin's cpu backend in the same run. */
  ratioToCpu?: number;
  /** Throughput relative to the gpu.js webgpu peer in the same run (the kernel to beat). */
  ratioToPeer?: number;
  rounds: number;
  machine: { cpus: number; cpuModel: string; platform: string; arch: string; memoryGiB: number; node: string };
  error?: string;
}

// Same physics on every backend: E = −B·m − K m_z², B = 0.5 ẑ meV, K = 1 meV, S = 1, α = 0.1, T = 10 K, dt = 0.01 ps.
const PHYS = { field: [0, 0, 0.5] as [number, number, number], anisotropy: 1, S: 1, alpha: 0.1, temperature: 10, dt: 0.01, init: [0, 0, 1] as [number, number, number] };

export function machine(): BenchLine['machine'] {
  const c = cpus();
  return { cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', platform: platform(), arch: arch(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

/** One parameter point, `systems` trajectories of it. */
function macrospinProblem(systems: number): LlgProblem {
  return LlgProblem.fromPoints([{ temperature: PHYS.temperature, spins: [{ field: PHYS.field, anisotropy: PHYS.anisotropy, S: PHYS.S, alpha: PHYS.alpha, init: PHYS.init }] }], { trajectoriesPerPoint: systems });
}

function gpujsPeer(mode: 'webgpu' | 'cpu', systems: number, steps: number): { seconds: number; adapter: string } {
  const script = fileURLToPath(new URL('./gpujs-peer.mjs', import.meta.url));
  const cfg = { mode, systems, steps, repeats: 1, seed: 1, timeoutSeconds: 600, ...PHYS, easyAxis: [0, 0, 1] };
  const r = spawnSync(process.execPath, [script, JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let out: { seconds?: number; adapter?: string; error?: string };
  try { out = JSON.parse(line); } catch { throw new Error(`gpu.js peer (${mode}) printed no result; exit ${r.status}: ${r.stderr.slice(-400)}`); }
  if (out.error || out.seconds === undefined) throw new Error(`gpu.js peer (${mode}): ${out.error}`);
  return { seconds: out.seconds, adapter: out.adapter ?? mode };
}

export async function runLlgBench(o: BenchOptions): Promise<BenchLine[]> {
  const ens = macrospinProblem(o.systems);
  const cpuB = await openBackend('cpu');
  const gpuB = o.backends.includes('webgpu') ? await openBackend('webgpu').catch(() => null) : null;
  const best = new Map<BenchBackend, { seconds: number; adapter: string; error?: string }>();
  const record = (b: BenchBackend, seconds: number, adapter: string) => {
    const prev = best.get(b);
    if (!prev || seconds < prev.seconds) best.set(b, { seconds, adapter });
  };
  try {
    if (gpuB) await gpuB.run(llgKernel, ens, { dt: PHYS.dt, steps: 10, averageFrom: 0, seed: 1 }); // compile outside the timing
    for (let round = 0; round < o.rounds; round++) {
      for (const b of o.backends) {
        if (best.get(b)?.error) continue;
        try {
          if (b === 'webgpu') {
            if (!gpuB) throw new Error('no WebGPU adapter');
            const r = await gpuB.run(llgKernel, ens, { dt: PHYS.dt, steps: o.steps.webgpu, averageFrom: 0, seed: 1 + round });
            record(b, r.seconds, r.adapter);
          } else if (b === 'cpu') {
            const r = await cpuB.run(llgKernel, ens, { dt: PHYS.dt, steps: o.steps.cpu, averageFrom: 0, seed: 1 + round });
            record(b, r.seconds, r.adapter);
          } else {
            const p = gpujsPeer(b === 'gpu.js-webgpu' ? 'webgpu' : 'cpu', o.systems, o.steps[b]);
            record(b, p.seconds, p.adapter);
          }
        } catch (e) {
          best.set(b, { seconds: NaN, adapter: 'n/a', error: (e as Error).message });
        }
      }
    }
  } finally {
    gpuB?.close();
    cpuB.close();
  }
  const m = machine();
  const lines: BenchLine[] = o.backends.map(b => {
    const x = best.get(b)!;
    const rate = (o.systems * o.steps[b]) / x.seconds;
    return {
      benchmark: 'llg-macrospin-heun' as const, backend: b, adapter: x.adapter, systems: o.systems, steps: o.steps[b],
      seconds: x.seconds, spinStepsPerSecond: x.error ? NaN : rate, rounds: o.rounds, machine: m, ...(x.error ? { error: x.error } : {}),
    };
  });
  const cpuRate = lines.find(l => l.backend === 'cpu')?.spinStepsPerSecond;
  for (const l of lines) if (cpuRate && Number.isFinite(l.spinStepsPerSecond)) l.ratioToCpu = l.spinStepsPerSecond / cpuRate;
  const peerRate = lines.find(l => l.backend === 'gpu.js-webgpu')?.spinStepsPerSecond;
  for (const l of lines) if (peerRate && Number.isFinite(l.spinStepsPerSecond)) l.ratioToPeer = l.spinStepsPerSecond / peerRate;
  for (const l of lines) o.onLine?.(l);
  return lines;
}
