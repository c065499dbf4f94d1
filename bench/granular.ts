// Granular intergrain-exchange benchmark: an (h_B, J_sd) map of every contribution (seed 002) on every backend
// in the same run. One JSON line per backend: points/s, and ω̂-series evaluations/s of the I_ex kernel
// (inner k₂ nodes × q nodes × series terms, the dominant work), with the accuracy against the float64 twin.
// Run: npx tsx bench/granular.ts [points per axis, default 12]
import { pathToFileURL } from 'node:url';
import { openBackend } from '../src/backends/index.ts';
import { granular } from '../src/models/granular/params.ts';
import { granularExchangeKernel, pairGross, pairTerms, RULES } from '../src/kernels/granular/index.ts';
import { granularPairsCpu } from '../src/kernels/granular/cpu.ts';
import { buildRows, PAIR_SLOTS, ruleTables } from '../src/kernels/granular/rows.ts';
import { linspace } from '../src/sweeps/grid.ts';
import { machine } from './llg.ts';

export interface GranularBenchLine {
  benchmark: 'granular-exchange-map';
  backend: 'webgpu' | 'cpu';
  adapter: string;
  points: number;
  seconds: number;
  pointsPerSecond: number;
  omegaEvaluationsPerSecond: number;
  /** max over points of |Δ total| / Σ|pieces| against the float64 twin. */
  maxRelToTwin: number;
  ratioToCpu?: number;
  machine: ReturnType<typeof machine>;
  error?: string;
}

export async function runGranularBench(perAxis = 12, onLine?: (l: GranularBenchLine) => void): Promise<GranularBenchLine[]> {
  const params = [];
  for (const hB of linspace(100, 1500, perAxis)) for (const Jsd of linspace(0, 6000, perAxis)) params.push(granular({ hB, Jsd }));
  const rule = RULES.standard, T = ruleTables(rule);
  const rows = buildRows(params, rule);
  let omegaEvals = 0;
  for (let r = 0; r < rows.count; r++) {
    if (PAIR_SLOTS[rows.u[2 * r + 1]].term !== 'iex') continue;
    omegaEvals += T.lu.length * 2 * T.qlu.length * rows.nOmega[rows.u[2 * r]];
  }
  const ref = granularPairsCpu(params, rule);
  const lines: GranularBenchLine[] = [];
  for (const name of ['webgpu', 'cpu'] as const) {
    let line: GranularBenchLine;
    try {
      const be = await openBackend(name);
      if (be.name !== name) throw new Error(`no ${name} adapter`);
      try {
        await be.run(granularExchangeKernel, params.slice(0, 1), rule);   // warm-up: pipeline compilation
        const t0 = performance.now();
        const pairs = await be.run(granularExchangeKernel, params, rule);
        const seconds = (performance.now() - t0) / 1000;
        let err = 0;
        params.forEach((p, i) => {
          const g = Object.values(pairGross(p, ref, i)).reduce((a, b) => a + b, 0);
          if (g > 0) err = Math.max(err, Math.abs(pairTerms(p, pairs, i).total - pairTerms(p, ref, i).total) / g);
        });
        line = { benchmark: 'granular-exchange-map', backend: name, adapter: be.adapter, points: params.length, seconds, pointsPerSecond: params.length / seconds, omegaEvaluationsPerSecond: omegaEvals / seconds, maxRelToTwin: err, machine: machine() };
      } finally { be.close(); }
    } catch (e) {
      line = { benchmark: 'granular-exchange-map', backend: name, adapter: '', points: params.length, seconds: NaN, pointsPerSecond: NaN, omegaEvaluationsPerSecond: NaN, maxRelToTwin: NaN, machine: machine(), error: (e as Error).message };
    }
    lines.push(line);
  }
  const cpu = lines.find(l => l.backend === 'cpu');
  for (const l of lines) if (cpu && Number.isFinite(cpu.pointsPerSecond)) l.ratioToCpu = l.pointsPerSecond / cpu.pointsPerSecond;
  for (const l of lines) onLine?.(l);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 12);
  await runGranularBench(Number.isInteger(n) && n >= 2 ? n : 12, l => process.stdout.write(JSON.stringify(l) + '\n'));
}
