// Spin-pair exact-diagonalization benchmark (seed 003): thermal moments of H_k for quasi-random (J_k, α_k) at
// T = 3 K, per spin S and path (M blocks; dense (2S+1)² with a rhombic term), on every backend in the same run.
// Diagonalizations per second (the kernel's own time: packing and readback included, shader compilation
// excluded by a warm-up), ratio to the cpu backend, and the largest |moment| difference to the float64 twin
// over the points both ran. One JSON line per measurement.
import { openBackend, type Backend } from '../src/backends/index.ts';
import { pairEdKernel, pointRow, POINT_STRIDE, RESULT_STRIDE, BLOCK_MAX_SPIN, DENSE_MAX_DIM } from '../src/kernels/vibronic/index.ts';
import { kPair, spinDim } from '../src/models/vibronic/hamiltonian.ts';
import { spinLabel } from '../src/models/vibronic/spin.ts';
import { machine, type BenchLine } from './llg.ts';

export const VIBRONIC_BENCH_BACKENDS = ['webgpu', 'cpu'] as const;
export type VibronicBenchBackend = typeof VIBRONIC_BENCH_BACKENDS[number];
export type VibronicBenchPath = 'blocks' | 'dense';

export interface VibronicBenchOptions {
  spins: number[];
  paths: VibronicBenchPath[];
  backends: VibronicBenchBackend[];
  /** Points timed per backend and path. */
  points: Record<VibronicBenchBackend, Record<VibronicBenchPath, number>>;
  rounds: number;
  onLine?: (l: VibronicBenchLine) => void;
}

export interface VibronicBenchLine {
  benchmark: 'vibronic-pair-ed';
  backend: VibronicBenchBackend;
  adapter: string;
  S: number;
  spin: string;
  /** (2S+1)²: levels per pair. */
  dimension: number;
  path: VibronicBenchPath;
  points: number;
  seconds: number;
  diagonalizationsPerSecond: number;
  ratioToCpu?: number;
  /** max |Δ⟨S1^z⟩|, |Δ⟨S2^z⟩| to the cpu backend over the points both ran. */
  maxAbsDiffToCpu?: number;
  rounds: number;
  machine: BenchLine['machine'];
  error?: string;
}

/** Quasi-random (golden-ratio) J_k, α_k ∈ [−2, 2] meV at T = 3 K; the dense path adds D = 0.1, E = 0.3 meV. */
export function benchRows(S: number, n: number, path: VibronicBenchPath): Float64Array {
  const rows = new Float64Array(n * POINT_STRIDE);
  for (let i = 0; i < n; i++) {
    const J = -2 + 4 * ((i * 0.6180339887) % 1), alpha = -2 + 4 * ((i * 0.7548776662 + 0.5) % 1);
    pointRow(kPair({ S, J, alpha, axial: path === 'dense' ? 0.1 : 0, rhombic: path === 'dense' ? 0.3 : 0 }), 3, rows, i * POINT_STRIDE);
  }
  return rows;
}

export async function runVibronicBench(o: VibronicBenchOptions): Promise<VibronicBenchLine[]> {
  const opened = new Map<VibronicBenchBackend, Backend | Error>();
  for (const b of o.backends) {
    try { const be = await openBackend(b); if (be.name !== b) { be.close(); throw new Error(`no ${b} adapter`); } opened.set(b, be); } catch (e) { opened.set(b, e as Error); }
  }
  const lines: VibronicBenchLine[] = [];
  try {
    for (const path of o.paths) for (const S of o.spins) {
      const results = new Map<VibronicBenchBackend, Float64Array>();
      const group: VibronicBenchLine[] = [];
      for (const b of o.backends) {
        const be = opened.get(b)!, n = o.points[b][path], d = spinDim(S) ** 2;
        const base = { benchmark: 'vibronic-pair-ed' as const, backend: b, S, spin: spinLabel(S), dimension: d, path, points: n, rounds: o.rounds, machine: machine() };
        try {
          if (be instanceof Error) throw be;
          if (b === 'webgpu' && ((path === 'blocks' && S > BLOCK_MAX_SPIN) || (path === 'dense' && d > DENSE_MAX_DIM))) throw new Error(`S = ${spinLabel(S)} is beyond the webgpu ${path} kernel`);
          const rows = benchRows(S, n, path);
          await be.run(pairEdKernel, { S, rows: rows.subarray(0, Math.min(n, 64) * POINT_STRIDE) }); // warm-up: pipeline
          let best = Infinity, res: Float64Array | undefined;
          for (let r = 0; r < o.rounds; r++) {
            const out = await be.run(pairEdKernel, { S, rows });
            if (out.seconds < best) best = out.seconds;
            res = out.results;
          }
          results.set(b, res!);
          group.push({ ...base, adapter: be.adapter, seconds: best, diagonalizationsPerSecond: n / best });
        } catch (e) {
          group.push({ ...base, adapter: be instanceof Error ? '' : be.adapter, seconds: NaN, diagonalizationsPerSecond: NaN, error: (e as Error).message });
        }
      }
      const cpu = group.find(l => l.backend === 'cpu' && !l.error), cpuRes = results.get('cpu');
      for (const l of group) {
        if (cpu && !l.error) l.ratioToCpu = l.diagonalizationsPerSecond / cpu.diagonalizationsPerSecond;
        const mine = results.get(l.backend);
        if (cpuRes && mine && l.backend !== 'cpu') {
          const n = Math.min(cpuRes.length, mine.length) / RESULT_STRIDE;
          let dm = 0;
          for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) dm = Math.max(dm, Math.abs(cpuRes[i * RESULT_STRIDE + k] - mine[i * RESULT_STRIDE + k]));
          l.maxAbsDiffToCpu = dm;
        }
        lines.push(l);
        o.onLine?.(l);
      }
    }
  } finally {
    for (const be of opened.values()) if (!(be instanceof Error)) be.close();
  }
  return lines;
}
