// Run directory and JSON summary of a junction exchange sweep.
import { withRunDir, type OutputTarget } from './output.ts';
import { lineChart, heatmap } from '../plots/svg.ts';
import { JUNCTION_PARAMETERS } from '../models/junction/index.ts';
import { PROBE_NOTE, type ExchangeJob, type ExchangePoint, type ExchangeResult } from './exchange.ts';
import { sweepExtra } from './sweepInfo.ts';

const SCALARS = ['J12', 'I12', 'D12', 'Czz', 'Cxx', 'Dz'] as const;

export const EXCHANGE_TOLERANCES = {
  keldysh_cpu: 'float64; against Eqs. 7–8 ≤ 1e-8 of max|Eq. 7| on the Fig. 2–4 sweeps at the default grid (test/junction.figures.test.ts); the convergence entry estimates the discretisation error of this run',
  keldysh_webgpu: 'float32 with Kahan sums; ≤ 1e-5 of max|C| against the float64 twin (test/junction.keldysh.test.ts)',
  closed: 'cpu: float64 adaptive Gauss–Kronrod, relative 1e-10; webgpu: float32 Kahan trapezoid sums on the keldysh grid, ≤ 2e-5 of max|Eq. 7| (test/junction.keldysh.test.ts)',
  equilibrium: 'float64 adaptive Gauss–Kronrod, relative 1e-10',
  energy: 'float64 Lloyd formula with Richardson-extrapolated finite differences in the spin length',
};

function pointJson(job: ExchangeJob, p: ExchangePoint): Record<string, number> {
  const o: Record<string, number> = { mu: p.params.mu, V: p.params.V, dT: p.params.dT, ...p.at };
  for (const k of SCALARS) o[k] = p[k];
  if (p.DzNonreciprocal !== undefined) o.DzNonreciprocal = p.DzNonreciprocal;
  return o;
}

export function exchangeSummary(job: ExchangeJob, r: ExchangeResult) {
  return {
    backend: r.backend, adapter: r.adapter, method: r.method, seconds: r.seconds,
    ...(r.grid ? { grid: { step: r.grid.h, points: r.grid.N, from: r.grid.lo, to: r.grid.lo + r.grid.h * (r.grid.N - 1) } } : {}),
    ...(r.convergence ? { convergence: r.convergence } : {}),
    ...(r.evaluations ? { evaluations: r.evaluations, evaluationsPerSecond: r.evaluations / r.seconds } : {}),
    units: { energies: 'meV', mu: 'meV', V: 'mV', dT: 'K' },
    points: r.points.map(p => pointJson(job, p)),
  };
}

const label = (name: string) => {
  const u = (JUNCTION_PARAMETERS as Record<string, string>)[name];
  return u ? `${name} (${u})` : name;
};

export function writeExchangeRun(target: OutputTarget, job: ExchangeJob, r: ExchangeResult): Promise<string> {
  return withRunDir(target, async dir => {
    const shape = job.axes.map(a => a.values.length);
    const cols: Record<string, Float64Array> = {};
    const names = [...new Set(['mu', 'V', 'dT', ...job.axes.map(a => a.name)])];
    for (const n of names) cols[n] = Float64Array.from(r.points, p => pointJson(job, p)[n]);
    for (const k of SCALARS) cols[k] = Float64Array.from(r.points, p => p[k]);
    if (r.method === 'keldysh') cols.DzNonreciprocal = Float64Array.from(r.points, p => p.DzNonreciprocal ?? NaN);
    dir.writeCsv('points.csv', cols);
    for (const a of job.axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);
    for (const [k, v] of Object.entries(cols)) if (!names.includes(k)) dir.writeNpy(`${k}.npy`, v, shape);
    if (r.method === 'keldysh') {
      const cat = (f: (p: ExchangePoint) => Float64Array | undefined, per: number) => {
        const a = new Float64Array(r.points.length * per);
        r.points.forEach((p, i) => a.set(f(p)!, i * per));
        return a;
      };
      dir.writeNpy('C_blocks.npy', cat(p => p.C, 36), [...shape, 4, 3, 3]);
      dir.writeNpy('pair_tensor.npy', cat(p => p.pairTensor, 9), [...shape, 3, 3]);
      dir.writeNpy('paper_J.npy', cat(p => p.paperJ, 4), [...shape, 4]);
      dir.writeNpy('paper_I.npy', cat(p => p.paperI, 36), [...shape, 4, 3, 3]);
      dir.writeNpy('paper_D.npy', cat(p => p.paperD, 12), [...shape, 4, 3]);
    }
    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    if (job.axes.length === 1) {
      const a = job.axes[0];
      dir.writeText('couplings.svg', lineChart({
        title: `Pair couplings (${r.method}), E = −Czz S1zS2z − Cxx(S1xS2x + S1yS2y) − Dz (S1×S2)z`,
        xLabel: label(a.name), yLabel: 'coupling (meV); > 0 favours parallel spins',
        series: [{ name: 'Czz', x: a.values, y: cols.Czz }, { name: 'Cxx', x: a.values, y: cols.Cxx }, { name: 'Dz', x: a.values, y: cols.Dz }],
      }));
      figures.push({
        title: 'Pair couplings along the sweep', svgFile: 'couplings.svg',
        caption: `Czz, Cxx and Dz (meV) of the spin-pair energy, from the ${r.method} evaluation at each ${a.name}; C > 0 favours parallel spins, Dz is the z component of the Dzyaloshinskii–Moriya vector. Values in points.csv and Czz.npy, Cxx.npy, Dz.npy.`,
      });
    } else if (job.axes.length === 2) {
      const [ay, ax] = job.axes; // first axis slowest: rows
      for (const k of ['Czz', 'Dz'] as const) {
        const m = Math.max(1e-300, ...cols[k].map(Math.abs));
        dir.writeText(`${k}_map.svg`, heatmap({
          title: `${k} (${r.method})`, xLabel: label(ax.name), yLabel: label(ay.name), x: ax.values, y: ay.values,
          values: cols[k], colorLabel: `${k} (meV)`, domain: [-m, m],
        }));
        figures.push({
          title: `${k} over ${ay.name} × ${ax.name}`, svgFile: `${k}_map.svg`,
          caption: `${k === 'Czz' ? 'Czz, the zz exchange (> 0 favours parallel spins)' : 'Dz, the z component of the Dzyaloshinskii–Moriya vector'} in meV from the ${r.method} evaluation; red > 0, blue < 0 on a scale symmetric about 0 (±${m.toPrecision(3)} meV). Values in ${k}.npy (rows ${ay.name}, columns ${ax.name}) and points.csv.`,
        });
      }
    }
    const summary = exchangeSummary(job, r);
    const manifest = {
      params: { base: job.base, sweeps: job.axes.map(a => ({ name: a.name, from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length })), method: job.method, grid: job.grid },
      backend: r.backend, adapter: r.adapter, timings: { seconds: r.seconds },
      tolerances: { [r.method === 'keldysh' ? `keldysh_${r.backend}` : r.method]: EXCHANGE_TOLERANCES[(r.method === 'keldysh' ? `keldysh_${r.backend}` : r.method) as keyof typeof EXCHANGE_TOLERANCES] },
      extra: { grid: summary.grid, convergence: r.convergence, ...(r.convergence ? { convergenceProbe: PROBE_NOTE } : {}), imaginaryResidual: r.imaginaryResidual, evaluations: r.evaluations, ...sweepExtra(target, r.sweep) },
    };
    const report = {
      title: `nanospin exchange junction (${r.method}): ${r.points.length} points`,
      summary: {
        method: r.method, backend: r.backend, adapter: r.adapter, points: r.points.length, 'time (s)': r.seconds,
        ...(r.grid ? { 'energy step (meV)': r.grid.h, 'grid points': r.grid.N } : {}),
        ...(r.convergence ? { 'change with step ×2 (rel. to max |C|)': r.convergence.stepDoubled, 'change with window ÷2': r.convergence.windowHalved } : {}),
      },
      figures,
    };
    return { manifest, summary, report };
  });
}
