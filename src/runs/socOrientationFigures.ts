// Figs. 4 (weak SOC, t = 0.1 meV) and 5 (strong SOC, t = 1 meV) of seed 001 as `figures soc-dimer`
// hooks (parts of the figures' sweep, so they resume and shard with the maps): the free spin's mean orientation versus bias (μ_F = 0, spin 1 pinned along ẑ, t̂ = x̂, S = 5/2)
// from the Langevin ensemble and the Fokker–Planck approximation, their difference, and the
// interactions on the free spin. Zeeman and anisotropy are the documented stand-ins for Ref. [5]'s
// values (spinModel.ts SPIN_DEFAULTS); T = 0 is represented by the k_BT = 0.02 meV floor.
import { linspace } from '../sweeps/grid.ts';
import { socDimer } from '../models/socDimer/params.ts';
import { spinModel } from '../models/socDimer/spinModel.ts';
import { socLangevinFromArrays, socLangevinPlan, type SocLangevinJob } from './socLangevin.ts';
import type { SweepPart } from '../sweeps/chunked.ts';
import { differenceChart, interactionsChart, orientationChart } from './socLangevinOutput.ts';
import { SOC_PAPER_PARAMETERS, type SocFigureHook, type WrittenFigure } from './socFigures.ts';
import { KB } from '../numerics/units.ts';

export interface OrientationFigureOptions { points: number; trajectories: number; seed: number }
export const ORIENTATION_FIGURE_DEFAULTS: OrientationFigureOptions = { points: 49, trajectories: 64, seed: 1 };

const FIGS = [{ figure: 4, t: 0.1, label: 'weak SOC' }, { figure: 5, t: 1, label: 'strong SOC' }] as const;

export function orientationFigureJob(t: number, o: OrientationFigureOptions): SocLangevinJob {
  const V = linspace(-6, 6, o.points, 'V');
  return {
    model: socDimer({ ...SOC_PAPER_PARAMETERS, t, muF: 0, TL: 0.02 / KB }),
    setup: { spins: spinModel(), tHat: [1, 0, 0], pinned: true, m1: [0, 0, 1], init2: [0, 0, -1] },
    points: Array.from(V, v => ({ muF: 0, V: v })), trajectories: o.trajectories, dt: 0.02, time: 40, averageFrom: 10, seed: o.seed,
  };
}

export function orientationFigureHooks(o: OrientationFigureOptions = ORIENTATION_FIGURE_DEFAULTS): SocFigureHook[] {
  return FIGS.map(f => ({
    id: `fig${f.figure}`,
    description: `Fig. ${f.figure}: mean orientation of the free spin vs bias, Langevin vs Fokker–Planck (${f.label}, t = ${f.t} meV), ${o.points} bias points × ${o.trajectories} trajectories`,
    parts(backend): SweepPart[] {
      const { identity: _, ...plan } = socLangevinPlan(backend, orientationFigureJob(f.t, o), { command: [], version: '' });
      return [{ ...plan, key: `fig${f.figure}` }];
    },
    write(ctx, data): WrittenFigure[] {
      const job = orientationFigureJob(f.t, o), id = `fig${f.figure}`;
      const r = socLangevinFromArrays(job, data[id], ctx.info);
      const x = Float64Array.from(job.points, p => p.V), xl = 'bias V (mV)';
      const vec = (g: (p: typeof r.points[number]) => number[]) => { const a = new Float64Array(3 * r.points.length); r.points.forEach((p, i) => a.set(g(p), 3 * i)); return a; };
      ctx.dir.writeText(`${id}_orientation.svg`, orientationChart(x, xl, r, `Fig. ${f.figure} (${f.label}): Langevin (solid) vs Fokker–Planck (dashed)`));
      ctx.dir.writeText(`${id}_difference.svg`, differenceChart(x, xl, r));
      ctx.dir.writeText(`${id}_interactions.svg`, interactionsChart(x, xl, r, job));
      ctx.dir.writeNpy(`${id}_V.npy`, x, [x.length]);
      ctx.dir.writeNpy(`${id}_langevin_m.npy`, vec(p => p.m), [x.length, 3]);
      ctx.dir.writeNpy(`${id}_langevin_stderr.npy`, vec(p => p.stderr), [x.length, 3]);
      ctx.dir.writeNpy(`${id}_fokker_planck_m.npy`, vec(p => p.fp), [x.length, 3]);
      ctx.dir.writeNpy(`${id}_couplings.npy`, r.couplings, [x.length, r.couplings.length / x.length]);
      const maxDiff = Math.max(...r.points.map(p => Math.max(...p.m.map((m, a) => Math.abs(m - p.fp[a])))));
      const meta = { t: f.t, trajectories: o.trajectories, steps: r.steps, dt: job.dt, backend: r.backend, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond, maxAbsDifference: maxDiff, spins: job.setup.spins };
      const files = [`${id}_V.npy`, `${id}_langevin_m.npy`, `${id}_langevin_stderr.npy`, `${id}_fokker_planck_m.npy`, `${id}_couplings.npy`];
      return [
        { id: `${id}_orientation`, figure: String(f.figure), panel: 'top, middle', title: `Fig. ${f.figure}: ⟨m⟩ of the free spin vs V, Langevin and Fokker–Planck`, svgFile: `${id}_orientation.svg`, caption: `Components of the time- and ensemble-averaged free spin (${o.trajectories} trajectories per bias) beside the Fokker–Planck steady state of the same couplings, spin 1 pinned.`, files: [`${id}_orientation.svg`, ...files], meta },
        { id: `${id}_difference`, figure: String(f.figure), title: `Fig. ${f.figure}: Langevin − Fokker–Planck`, svgFile: `${id}_difference.svg`, caption: 'Langevin minus Fokker–Planck per component (solid) and the Langevin standard error (dotted): where the two descriptions agree the difference stays within a few standard errors of 0.', files: [`${id}_difference.svg`] },
        { id: `${id}_interactions`, figure: String(f.figure), panel: 'bottom', title: `Fig. ${f.figure}: interactions on the free spin`, svgFile: `${id}_interactions.svg`, caption: 'Energies of the bias-dependent couplings on the free spin (isotropic exchange J_2, DMI D_2, anisotropic exchange A_2 with the pinned spin, on-site anisotropy K_2) that set the orientation above.', files: [`${id}_interactions.svg`] },
      ];
    },
  }));
}
