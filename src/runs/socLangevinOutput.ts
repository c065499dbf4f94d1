// Run directory and JSON summary of the SOC-dimer Langevin vs Fokker–Planck runs (`llg soc-dimer`
// along a sweep, `switching soc-dimer` over a (μ_F, V) map).
import { withRunDir, type OutputTarget } from './output.ts';
import { heatmap, lineChart, type LineSeries } from '../plots/svg.ts';
import { COUPLING_STRIDE, unpackCouplings } from '../models/socDimer/couplings.ts';
import { scales } from '../models/socDimer/spinModel.ts';
import type { SweepAxis } from '../sweeps/params.ts';
import type { SocLangevinJob, SocLangevinResult } from './socLangevin.ts';
import { sweepExtra } from './sweepInfo.ts';

type Kind = 'llg' | 'switching';
const XYZ = ['mx', 'my', 'mz'] as const;
const xyz = (v: ArrayLike<number>) => ({ mx: v[0], my: v[1], mz: v[2] });

export const NORMALISATION_NOTE = 'Couplings in the paper normalisation (Eq. A24 and the mapping under it, per Δ² and S²); ' +
  "reading 'physical': field on spin 2 = Δ²S²(J_2 m_1 + D_2 m_1×t̂ + A_2 (m_1·t̂)t̂ + K_2 (m_2·t̂)t̂) + ΔS⟨s_2⟩, Gilbert tensor Δ²S(α^(i) + α^(an) t̂t̂), " +
  "noise ħΔ²S²(j^(i) + j^(an) t̂t̂), T_eff = j^(i)/2α^(i); 'literal': the paper's Eqs. 3–7 and β = 2S²ħα^(i)/j^(i) as printed.";

function differences(r: SocLangevinResult) {
  const maxAbs = [0, 0, 0], meanAbs = [0, 0, 0];
  let n = 0;
  for (const p of r.points) {
    if (![...p.m, ...p.fp].every(Number.isFinite)) continue;
    n++;
    for (let a = 0; a < 3; a++) { const d = Math.abs(p.m[a] - p.fp[a]); maxAbs[a] = Math.max(maxAbs[a], d); meanAbs[a] += d; }
  }
  return { maxAbs: xyz(maxAbs), meanAbs: xyz(meanAbs.map(x => x / Math.max(n, 1))) };
}

export function langevinSummary(kind: Kind, job: SocLangevinJob, axes: SweepAxis[], r: SocLangevinResult) {
  const common = {
    backend: r.backend, adapter: r.adapter, reading: job.setup.spins.reading, trajectories: job.trajectories, steps: r.steps, dt: job.dt,
    averageFrom: job.averageFrom, systems: r.systems, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond,
    units: { m: 'unit vector of the free spin (Ω = m/S in the paper)', kTeff: 'meV', V: 'mV', muF: 'meV' },
    difference: differences(r), energyInjectionPoints: r.points.filter(p => p.energyInjection).length,
    nonFiniteTrajectories: r.points.reduce((s, p) => s + p.nonFinite, 0),
  };
  if (kind === 'switching') {
    return { ...common, grid: Object.fromEntries(axes.map(a => [a.name, { from: a.values[0], to: a.values[a.values.length - 1], count: a.values.length }])), points: r.points.length };
  }
  return {
    ...common,
    points: r.points.map(p => ({
      V: p.V, muF: p.muF, ...xyz(p.m), stderr: xyz(p.stderr), fp: xyz(p.fp), diff: xyz(p.m.map((x, a) => x - p.fp[a])),
      kTeff: p.kTeff, minDamping: p.minDamping, energyInjection: p.energyInjection, nonFinite: p.nonFinite,
    })),
  };
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c'];

/** ⟨m⟩ of the free spin along a cut: Langevin solid, Fokker–Planck dashed, one colour per component. */
export function orientationChart(x: Float64Array, xLabel: string, r: SocLangevinResult, title: string): string {
  const series: LineSeries[] = XYZ.flatMap((k, i) => [
    { name: `Langevin ${k}`, x, y: Float64Array.from(r.points, p => p.m[i]), yErr: Float64Array.from(r.points, p => p.stderr[i]), color: COLORS[i], dash: '' },
    { name: `Fokker–Planck ${k}`, x, y: Float64Array.from(r.points, p => p.fp[i]), color: COLORS[i], dash: '6 4' },
  ]);
  return lineChart({ title, xLabel, yLabel: 'mean m of the free spin (unit vector)', yDomain: [-1, 1], series });
}

/** Langevin − Fokker–Planck per component, with the Langevin standard error dotted. */
export function differenceChart(x: Float64Array, xLabel: string, r: SocLangevinResult): string {
  return lineChart({
    title: 'Langevin − Fokker–Planck (dotted: one standard error)', xLabel, yLabel: 'Δ⟨m⟩ (unit vector)',
    series: XYZ.flatMap((k, i) => [
      { name: `Δ${k}`, x, y: Float64Array.from(r.points, p => p.m[i] - p.fp[i]), color: COLORS[i], dash: '' },
      { name: `SE ${k}`, x, y: Float64Array.from(r.points, p => p.stderr[i]), color: COLORS[i], dash: '2 3', width: 1 }]),
  });
}

/** The physical interaction energies on the free spin along the cut (Fig. 4/5, bottom panels). */
export function interactionsChart(x: Float64Array, xLabel: string, r: SocLangevinResult, job: SocLangevinJob): string {
  const sm = job.setup.spins, X = scales(sm).exchange;
  const cs = r.points.map((_, i) => unpackCouplings(r.couplings, i * COUPLING_STRIDE));
  const e = (f: (c: ReturnType<typeof unpackCouplings>) => number) => Float64Array.from(cs, c => X * f(c));
  return lineChart({
    title: `Interactions on the free spin: ${sm.reading === 'physical' ? 'Δ²S²' : 'Δ²'} × (J_2, D_2, A_2, K_2), Δ = ${sm.Delta} meV`, xLabel, yLabel: 'energy (meV)',
    series: [{ name: 'J_2', x, y: e(c => c.exchange[1][0].iso) }, { name: 'D_2', x, y: e(c => c.exchange[1][0].dm) },
      { name: 'A_2', x, y: e(c => c.exchange[1][0].an) }, { name: 'K_2', x, y: e(c => c.exchange[1][1].an) }],
  });
}

export function writeSocLangevin(kind: Kind, target: OutputTarget, job: SocLangevinJob, axes: SweepAxis[], r: SocLangevinResult): Promise<string> {
  return withRunDir(target, async dir => {
    const n = r.points.length, col = (f: (p: SocLangevinResult['points'][number]) => number) => Float64Array.from(r.points, f);
    const cols: Record<string, Float64Array> = { muF_meV: col(p => p.muF), V_mV: col(p => p.V) };
    XYZ.forEach((k, a) => { cols[k] = col(p => p.m[a]); cols[`${k}_stderr`] = col(p => p.stderr[a]); cols[`fp_${k}`] = col(p => p.fp[a]); cols[`diff_${k}`] = col(p => p.m[a] - p.fp[a]); });
    cols.kTeff_meV = col(p => p.kTeff); cols.min_damping = col(p => p.minDamping);
    cols.energy_injection = col(p => (p.energyInjection ? 1 : 0)); cols.non_finite = col(p => p.nonFinite);
    dir.writeCsv('points.csv', cols);
    const shape = kind === 'switching' ? [axes[0].values.length, axes[1].values.length] : [n];
    const vec3 = (f: (p: SocLangevinResult['points'][number]) => number[]) => { const a = new Float64Array(3 * n); r.points.forEach((p, i) => a.set(f(p), 3 * i)); return a; };
    dir.writeNpy('langevin_m.npy', vec3(p => p.m), [...shape, 3]);
    dir.writeNpy('langevin_stderr.npy', vec3(p => p.stderr), [...shape, 3]);
    dir.writeNpy('fokker_planck_m.npy', vec3(p => p.fp), [...shape, 3]);
    dir.writeNpy('difference_m.npy', vec3(p => p.m.map((x, a) => x - p.fp[a])), [...shape, 3]);
    dir.writeNpy('kTeff_meV.npy', cols.kTeff_meV, shape);
    dir.writeNpy('energy_injection.npy', cols.energy_injection, shape);
    dir.writeNpy('couplings.npy', r.couplings, [...shape, COUPLING_STRIDE]);
    for (const a of axes) dir.writeNpy(`axis_${a.name}.npy`, a.values, [a.values.length]);
    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    const sm = job.setup.spins;
    // the swept quantities are on the axes; the tag names only what is fixed
    const swept = new Set(axes.map(a => a.name));
    const tag = [`t = ${job.model.t} meV`, ...(swept.has('muF') ? [] : [`μ_F = ${job.model.muF} meV`]), ...(swept.has('V') ? [] : [`V = ${job.model.V} mV`]),
      `S = ${sm.S}`, `Δ = ${sm.Delta} meV (${sm.reading})`].join(', ');
    if (kind === 'llg') {
      const a = axes[0], x = a.values, xl = a.name === 'V' ? 'bias V (mV)' : 'Fermi level μ_F (meV)';
      dir.writeText('orientation.svg', orientationChart(x, xl, r, `Free spin: Langevin (solid) vs Fokker–Planck (dashed), ${tag}`));
      dir.writeText('difference.svg', differenceChart(x, xl, r));
      dir.writeText('interactions.svg', interactionsChart(x, xl, r, job));
      figures.push({ title: `Mean orientation, ${job.trajectories} trajectories/point`, svgFile: 'orientation.svg', caption: `Time-averaged free spin m (unit vector; spin 1 pinned along m1) from the Langevin ensemble, solid, with ± one standard error, and the Fokker–Planck Boltzmann average at k_BT_eff, dashed; ${tag}.` },
        { title: 'Langevin − Fokker–Planck', svgFile: 'difference.svg', caption: 'Difference of the two orientations per component (solid) beside the Langevin standard error (dotted).' },
        { title: 'Effective interactions on the free spin', svgFile: 'interactions.svg', caption: 'The couplings (meV) that enter the free spin’s energy along the sweep.' });
    } else {
      const [ay, ax] = axes;
      const map = (file: string, title: string, caption: string, values: Float64Array, label: string, extra: { domain?: [number, number]; diverging?: boolean; categories?: { value: number; label: string; color: string }[] }) => {
        dir.writeText(file, heatmap({ title, xLabel: 'Fermi level μ_F (meV)', yLabel: 'bias V (mV)', x: ax.values, y: ay.values, values, colorLabel: label, ...extra }));
        figures.push({ title, svgFile: file, caption });
      };
      for (const k of ['mz', 'my'] as const) {
        map(`langevin_${k}.svg`, `Langevin ⟨${k}⟩, ${job.trajectories} trajectories/point (${tag})`, `Time-averaged ${k} of the free spin (unit vector, −1 … 1) from the Langevin ensemble, over the (μ_F, V) map.`, cols[k], `⟨${k}⟩ (unit vector)`, { domain: [-1, 1], diverging: true });
        map(`fokker_planck_${k}.svg`, `Fokker–Planck ⟨${k}⟩ (${tag})`, `The Boltzmann average at k_BT_eff = j/2α (the paper's Fokker–Planck approximation).`, cols[`fp_${k}`], `⟨${k}⟩ (unit vector)`, { domain: [-1, 1], diverging: true });
        map(`difference_${k}.svg`, `Langevin − Fokker–Planck, ⟨${k}⟩`, 'Signed difference (blue: Langevin below Fokker–Planck, red: above, white: agreement); where relaxation is slow the Langevin run may not be stationary yet (raise --time).', cols[`diff_${k}`], `Δ⟨${k}⟩ (unit vector)`, { diverging: true });
      }
      map('energy_injection.svg', 'Energy injection: the free spin’s Gilbert tensor has a negative eigenvalue', 'Points where the electrons pump energy into the free spin along some direction (negative damping eigenvalue): the Fokker–Planck average is not defined there.', cols.energy_injection, 'energy injection',
        { categories: [{ value: 0, label: 'damped (all eigenvalues > 0)', color: '#e8eef7' }, { value: 1, label: 'energy injection', color: '#d6604d' }] });
    }
    const summary = langevinSummary(kind, job, axes, r);
    const manifest = {
      params: { ...job, points: n, axes: axes.map(a => ({ name: a.name, values: Array.from(a.values) })) },
      backend: r.backend, adapter: r.adapter, seed: job.seed,
      timings: { couplingsSeconds: r.seconds.couplings, langevinSeconds: r.seconds.langevin, fokkerPlanckSeconds: r.seconds.fokkerPlanck },
      tolerances: { langevin: 'standard error over trajectories in langevin_stderr.npy', fokkerPlanck: 'sphere quadrature, GK15 panels in θ × trapezoid in φ sized to the peak width (adaptiveBoltzmannMean); < 1e-9 vs a 96×384 grid in tests' },
      extra: { normalisation: NORMALISATION_NOTE, spinStepsPerSecond: r.spinStepsPerSecond, couplingsLayout: 'couplings.npy: exchange[a][b] iso,an,dm (0..11), damping iso,an (12..19), noise iso,an (20..27), ⟨s_1⟩,⟨s_2⟩ (28,29); pairs 11,12,21,22', difference: summary.difference,
        ...sweepExtra(target, r.sweep) },
    };
    const report = {
      title: `nanospin ${kind} soc-dimer: ${n} points × ${job.trajectories} trajectories`,
      summary: { backend: r.backend, adapter: r.adapter, reading: sm.reading, steps: r.steps, 'dt (ps)': job.dt, 'couplings (s)': r.seconds.couplings, 'Langevin (s)': r.seconds.langevin, 'spin-steps/s': r.spinStepsPerSecond.toExponential(3), 'max |Langevin − FP| (mz)': summary.difference.maxAbs.mz },
      figures
    };
    return { manifest, report };
  });
}
