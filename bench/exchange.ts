// Keldysh exchange benchmark: a μ sweep of the Fig. 2(a) junction (unpolarized, equilibrium) with the
// keldysh method on every backend in the same run; integrand evaluations per second (grid energies
// × points, each a full 4-block Green's-function evaluation, FFT principal value and contraction),
// wall time for the whole sweep, and the accuracy reached against Eq. 7 (float64 closed form).
import { openBackend } from '../src/backends/index.ts';
import { junction } from '../src/models/junction/index.ts';
import { heisenbergClosed } from '../src/models/junction/closedForms.ts';
import { runExchange } from '../src/runs/exchange.ts';
import { linspace } from '../src/sweeps/grid.ts';
import { machine, type BenchLine } from './llg.ts';

export const EXCHANGE_BENCH_BACKENDS = ['webgpu', 'cpu'] as const;
export type ExchangeBenchBackend = typeof EXCHANGE_BENCH_BACKENDS[number];

export interface ExchangeBenchOptions {
  points: number;
  /** Points actually run per backend (the rest of the sweep is extrapolated from the measured rate). */
  measured: Record<ExchangeBenchBackend, number>;
  window: number;
  backends: ExchangeBenchBackend[];
  onLine?: (l: ExchangeBenchLine) => void;
}

export interface ExchangeBenchLine {
  benchmark: 'exchange-keldysh-mu-sweep';
  backend: ExchangeBenchBackend;
  adapter: string;
  sweepPoints: number;
  measuredPoints: number;
  gridPoints: number;
  seconds: number;
  evaluationsPerSecond: number;
  /** Wall time of the full sweep (measured, or extrapolated when measuredPoints < sweepPoints). */
  sweepSeconds: number;
  /** max |Czz − Eq. 7| / max |Eq. 7| over the measured points. */
  maxRelativeError: number;
  ratioToCpu?: number;
  machine: BenchLine['machine'];
  error?: string;
}

export async function runExchangeBench(o: ExchangeBenchOptions): Promise<ExchangeBenchLine[]> {
  const mus = linspace(-3, 3, o.points, 'mu');
  const lines: ExchangeBenchLine[] = [];
  for (const name of o.backends) {
    const n = Math.min(o.points, o.measured[name]);
    // an evenly spread subset of the sweep, so resonant and off-resonant points are both timed
    const subset = Float64Array.from({ length: n }, (_, k) => mus[Math.round((k * (o.points - 1)) / Math.max(1, n - 1))]);
    let line: ExchangeBenchLine;
    try {
      const be = await openBackend(name);
      if (be.name !== name) throw new Error(`no ${name} adapter`);
      try {
        const job = { base: junction(), axes: [{ name: 'mu', values: subset }], method: 'keldysh' as const, grid: { window: o.window }, convergence: false };
        await runExchange(be, { ...job, axes: [{ name: 'mu', values: subset.slice(0, 1) }] }); // warm-up: pipelines, FFT plan
        const r = await runExchange(be, job);
        let err = 0, scale = 0;
        for (const p of r.points) { const e = heisenbergClosed(p.params).value; err = Math.max(err, Math.abs(p.Czz - e)); scale = Math.max(scale, Math.abs(e)); }
        line = {
          benchmark: 'exchange-keldysh-mu-sweep', backend: name, adapter: be.adapter, sweepPoints: o.points, measuredPoints: n, gridPoints: r.grid!.N,
          seconds: r.seconds, evaluationsPerSecond: r.evaluations! / r.seconds, sweepSeconds: (r.seconds * o.points) / n,
          maxRelativeError: err / scale, machine: machine(),
        };
      } finally { be.close(); }
    } catch (e) {
      line = { benchmark: 'exchange-keldysh-mu-sweep', backend: name, adapter: '', sweepPoints: o.points, measuredPoints: 0, gridPoints: 0, seconds: NaN, evaluationsPerSecond: NaN, sweepSeconds: NaN, maxRelativeError: NaN, machine: machine(), error: (e as Error).message };
    }
    lines.push(line);
  }
  const cpu = lines.find(l => l.backend === 'cpu' && !l.error);
  for (const l of lines) { if (cpu && !l.error) l.ratioToCpu = l.evaluationsPerSecond / cpu.evaluationsPerSecond; o.onLine?.(l); }
  return lines;
}
