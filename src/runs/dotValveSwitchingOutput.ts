// Output of `nanospin switching dot-valve` (seed 004): the JSON contract, the tables and arrays, Fig. 2 (mean opening
// angle and switched fraction over (ε̃, V) with the Eq. 4 resonance) and Fig. 3 (log10(I_C/V) for θ = 0.01π, 0.99π and
// the dynamic state, with the torque cuts along ε̃ = −0.3U). Shared by the switching command (one run directory with
// both figures) and `figures dot-valve` (one run directory per figure). Energies in Γ, times in 1/Γ.
import type { RunDir } from '../io/runDir.ts';
import { heatmap, lineChart, type LineSeries } from '../plots/svg.ts';
import { pngDataUri } from '../plots/png.ts';
import { resonanceFunction, resonanceVoltages } from '../models/dotValve/resonance.ts';
import { drainLlgSpin } from '../models/dotValve/llg.ts';
import { linspace } from '../sweeps/grid.ts';
import { withRunDir, writePointsJson, type OutputTarget, type RunRecord } from './output.ts';
import {
  switchingChunkPoints, switchingCut, switchingFromArrays, switchingPart, switchingSteps, torqueCutFromArrays, torqueCutPart,
  type SwitchingJob, type SwitchingResult, type TorqueCut,
} from './dotValveSwitching.ts';
import type { Backend } from '../backends/index.ts';
import { partData, type ChunkData, type SweepParts } from '../sweeps/chunked.ts';
import { DV_CONVENTIONS, resonanceLines } from './dotValve.ts';
import { sweepExtra, type SweepInfo } from './sweepInfo.ts';

export type { TorqueCut };

export const SWITCHING_CONVENTIONS = {
  units: DV_CONVENTIONS.units + '; times (dt, time, averageFrom) in 1/Γ = ħ/Γ',
  geometry: DV_CONVENTIONS.geometry,
  thetaMean: 'θ̄ = mean over the point\'s trajectories of the time average of θ = arccos(n_D·n_S) over t ∈ (averageFrom, time] (rad; thetaMeanOverPi = θ̄/π); '
    + 'from the LLG core\'s angle observable 2·atan2(|m − p|, |m + p|), p = +ẑ: accurate at θ ≈ 0 and π',
  thetaStderr: 'standard error of θ̄ over the trajectories (the spread of the per-trajectory time averages / √M); NaN with one trajectory',
  switched: 'fraction of the point\'s finite trajectories whose final state is antiparallel (final m·ẑ < −1e-5; they all start parallel, θ_init = 0)',
  current: 'J_D, particle current into the drain (Γ = eΓ/ħ): currentMean = time average along each trajectory of J_D(θ(t)) (the core\'s readout table, same nodes as the torque tables), '
    + 'mean over trajectories ("dynamic" readout of Fig. 3); currentParallel/currentAntiparallel = J_D at θ = 0.01π / 0.99π (the torque-table kernel)',
  start: 'every trajectory starts parallel, m = +ẑ (θ = 0); the source moment is p = +ẑ (the problem is even under m → −m of both magnets)',
  pointOrder: 'V slowest, ε̃ fastest: point iV·nEps + iEps; arrays [nV, nEps]',
};

export function switchingTolerances(r: SwitchingResult) {
  return {
    statistics: 'thetaStderr per point (over trajectories); switched is a binomial fraction of `finite` trajectories',
    tables: `torque and current tables on ${r.job.tableNodes} ${r.job.tableGrid} nodes, Catmull–Rom; interpolation error vs the float64 steady state in docs/models/dotValve.md ("Switching diagrams")`,
    backend: r.backend.split(', ').map(b => (b === 'webgpu' ? 'webgpu: float32 tables (torque-table kernel within 5e-4 of the point scale of its float64 twin) and float32 LLG; trajectories agree with the float64 twin to 2e-4 over 3·10^3 steps, measured 1.6e-6 (test/dotValveSwitching.twin.test.ts)' : `${b}: float64 twin`)).join('; '),
  };
}

function params(job: SwitchingJob) {
  const b = job.base, spin = drainLlgSpin(job.magnet, 1);
  return {
    U: b.U, T: b.T, gammaS: b.gammaS, gammaD: b.gammaD, pS: b.pS, pD: b.pD, order: b.order,
    KV: job.magnet.KV, alpha: job.magnet.alpha, sigma2: job.magnet.sigma2, S: job.magnet.S, kTeff: spin.kTeff,
    trajectories: job.trajectories, dt: job.dt, time: job.time, averageFrom: job.averageFrom, steps: switchingSteps(job),
    tableNodes: job.tableNodes, tableGrid: job.tableGrid, seed: job.seed,
    eps: { from: job.epsAxis[0], to: job.epsAxis[job.epsAxis.length - 1], count: job.epsAxis.length },
    V: { from: job.VAxis[0], to: job.VAxis[job.VAxis.length - 1], count: job.VAxis.length },
  };
}

/** The Eq. 4 resonance V_res(ε̃) at every ε̃ of the run (all roots in the V range, or in [−U, U] for a single V). */
export function resonanceOf(job: SwitchingJob): { eps: number; V: number }[] {
  const v = job.VAxis, lo = v.length > 1 ? Math.min(...v) : -job.base.U, hi = v.length > 1 ? Math.max(...v) : job.base.U;
  const out: { eps: number; V: number }[] = [];
  for (const e of job.epsAxis) for (const V of resonanceVoltages({ ...job.base, eps: e }, 'eq4', lo, hi)) out.push({ eps: e, V });
  return out;
}

export function switchingPointJson(r: SwitchingResult, i: number): Record<string, number> {
  const nf = r.job.fixedThetas.length;
  return {
    eps: r.points[2 * i], V: r.points[2 * i + 1], thetaMean: r.thetaMean[i], thetaStderr: r.thetaStderr[i], switched: r.switched[i],
    thetaMeanOverPi: r.thetaMean[i] / Math.PI, finalMz: r.finalMz[i], currentMean: r.currentMean[i], currentStderr: r.currentStderr[i],
    currentParallel: r.fixed.current[i * nf], currentAntiparallel: r.fixed.current[i * nf + 1], finite: r.finite[i],
  };
}

export function switchingSummary(r: SwitchingResult, extra: Record<string, unknown> = {}) {
  return {
    backend: r.backend, adapter: r.adapter, points: r.nPoints, trajectoriesPerPoint: r.job.trajectories, steps: r.steps, averagedSteps: r.averagedSteps,
    spinSteps: r.spinSteps, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond, chunks: r.chunks, stiff: r.stiff,
    params: params(r.job), conventions: SWITCHING_CONVENTIONS, tolerance: switchingTolerances(r), resonance: { eq4: resonanceOf(r.job) }, ...extra,
  };
}

/** One JSON object, `points` last and streamed in chunks. */
export function writeSwitchingJson(write: (s: string) => void, r: SwitchingResult, extra: Record<string, unknown> = {}): void {
  writePointsJson(write, switchingSummary(r, extra), r.nPoints, i => switchingPointJson(r, i));
}

// ---- figures ---------------------------------------------------------------------------------------------------

type Fig = { title: string; svgFile: string; caption?: string };

const isPlane = (job: SwitchingJob) => job.epsAxis.length > 1 && job.VAxis.length > 1;

function planeMap(job: SwitchingJob, title: string, values: ArrayLike<number>, colorLabel: string, opts: { domain?: [number, number]; diverging?: boolean; interpolator?: (t: number) => string } = {}): string {
  const U = job.base.U, nx = job.epsAxis.length, ny = job.VAxis.length;
  return heatmap({
    title, xLabel: 'ε̃/U', yLabel: 'V/U', x: Float64Array.from(job.epsAxis, x => x / U), y: Float64Array.from(job.VAxis, x => x / U), values, colorLabel,
    width: 720, height: 600, raster: nx * ny > 2500 ? pngDataUri : undefined, lines: resonanceLines(job.base, job.epsAxis, job.VAxis, ['eq4']), ...opts,
  });
}

/** A 1-D cut: the swept axis (units of U) and the resonance positions on it. */
function cutAxis(job: SwitchingJob): { x: Float64Array; label: string; marks: number[]; along: string } {
  const U = job.base.U;
  if (job.VAxis.length > 1) {
    const marks = resonanceVoltages({ ...job.base, eps: job.epsAxis[0] }, 'eq4', Math.min(...job.VAxis), Math.max(...job.VAxis)).map(v => v / U);
    return { x: Float64Array.from(job.VAxis, v => v / U), label: 'V/U', marks, along: `ε̃ = ${job.epsAxis[0]}Γ` };
  }
  const marks: number[] = [];
  const e = job.epsAxis;
  for (let i = 1; i < e.length; i++) {
    const f0 = resonanceFunction({ ...job.base, eps: e[i - 1], V: job.VAxis[0] }, 'eq4'), f1 = resonanceFunction({ ...job.base, eps: e[i], V: job.VAxis[0] }, 'eq4');
    if (Math.sign(f0) !== Math.sign(f1)) marks.push((e[i - 1] + (e[i] - e[i - 1]) * f0 / (f0 - f1)) / U);
  }
  return { x: Float64Array.from(e, v => v / U), label: 'ε̃/U', marks, along: `V = ${job.VAxis[0]}Γ` };
}

const markSeries = (marks: number[], lo: number, hi: number): LineSeries[] => marks.map((m, k) => ({ name: k === 0 ? 'Eq. 4 resonance' : '', x: [m, m], y: [lo, hi], color: '#555', dash: '6 4', width: 1.2 }));

/** Fig. 2: θ̄/π (and its standard error, the switched fraction) over the plane, or along a cut. Arrays and CSV too. */
export function writeFig2(dir: RunDir, r: SwitchingResult): Fig[] {
  const job = r.job, nE = job.epsAxis.length, nV = job.VAxis.length, shape = [nV, nE];
  const thetaPi = Float64Array.from(r.thetaMean, t => t / Math.PI);
  dir.writeNpy('theta_mean.npy', r.thetaMean, shape);
  dir.writeNpy('theta_stderr.npy', r.thetaStderr, shape);
  dir.writeNpy('switched.npy', r.switched, shape);
  dir.writeNpy('final_mz.npy', r.finalMz, shape);
  dir.writeNpy('axis_eps.npy', job.epsAxis, [nE]);
  dir.writeNpy('axis_V.npy', job.VAxis, [nV]);
  const col = (f: (i: number) => number) => Float64Array.from({ length: r.nPoints }, (_, i) => f(i));
  dir.writeCsv('switching.csv', {
    eps: col(i => r.points[2 * i]), V: col(i => r.points[2 * i + 1]), thetaMean: r.thetaMean, thetaStderr: r.thetaStderr, thetaMeanOverPi: thetaPi,
    switched: r.switched, finalMz: r.finalMz, finite: r.finite,
  });
  const res = resonanceOf(job);
  dir.writeCsv('resonance.csv', { eps: res.map(p => p.eps), V: res.map(p => p.V) });
  const proto = `${job.trajectories} trajectories per point from θ = 0, θ averaged over t ∈ [${job.averageFrom}, ${job.time}]/Γ, dt = ${job.dt}/Γ`;
  const figs: Fig[] = [];
  if (isPlane(job)) {
    dir.writeText('fig2_theta_mean.svg', planeMap(job, 'Fig. 2: mean opening angle θ̄/π', thetaPi, 'θ̄/π', { domain: [0, 1] }));
    figs.push({ title: 'Fig. 2: switching diagram, mean opening angle θ̄/π', svgFile: 'fig2_theta_mean.svg', caption: `${proto}. White dashed: the Eq. 4 resonance b_S = b_D. 0: parallel, 1: antiparallel.` });
    dir.writeText('fig2_switched.svg', planeMap(job, 'Switched fraction (final state antiparallel)', r.switched, 'switched fraction', { domain: [0, 1] }));
    figs.push({ title: 'Switched fraction', svgFile: 'fig2_switched.svg', caption: 'Fraction of the trajectories that end antiparallel (final m·ẑ < 0). White dashed: Eq. 4.' });
    dir.writeText('fig2_theta_stderr.svg', planeMap(job, 'Standard error of θ̄/π', Float64Array.from(r.thetaStderr, t => t / Math.PI), 'stderr(θ̄)/π'));
    figs.push({ title: 'Standard error of θ̄', svgFile: 'fig2_theta_stderr.svg', caption: 'Large where trajectories of one point end in different states (mixed region next to the boundaries).' });
  } else if (r.nPoints > 1) {
    const a = cutAxis(job);
    dir.writeText('fig2_theta_mean.svg', lineChart({
      title: `Fig. 2 along ${a.along}: θ̄/π and switched fraction`, xLabel: a.label, yLabel: 'θ̄/π, switched fraction', yDomain: [0, 1],
      series: [{ name: 'θ̄/π ± stderr', x: a.x, y: thetaPi, yErr: Float64Array.from(r.thetaStderr, t => t / Math.PI), color: '#1f77b4' }, { name: 'switched fraction', x: a.x, y: r.switched, color: '#d62728', dash: '4 3' }, ...markSeries(a.marks, 0, 1)],
    }));
    figs.push({ title: `Fig. 2 along ${a.along}`, svgFile: 'fig2_theta_mean.svg', caption: `${proto}. Grey dashed: the Eq. 4 resonance.` });
  }
  return figs;
}

/** log10|I_C/V| of a current column (NaN at V = 0). */
const logConductance = (r: SwitchingResult, c: ArrayLike<number>) => Float64Array.from({ length: r.nPoints }, (_, i) => Math.log10(Math.abs(c[i] / r.points[2 * i + 1])));

/** Fig. 3: log10(I_C/V) for θ = 0.01π, 0.99π and the dynamic state; insets: I_FL, I_DL along ε̃ = cut.eps. */
export function writeFig3(dir: RunDir, r: SwitchingResult, cut?: TorqueCut): Fig[] {
  const job = r.job, nE = job.epsAxis.length, nV = job.VAxis.length, nf = job.fixedThetas.length, shape = [nV, nE];
  const par = Float64Array.from({ length: r.nPoints }, (_, i) => r.fixed.current[i * nf]);
  const anti = Float64Array.from({ length: r.nPoints }, (_, i) => r.fixed.current[i * nf + 1]);
  dir.writeNpy('current_dynamic.npy', r.currentMean, shape);
  dir.writeNpy('current_dynamic_stderr.npy', r.currentStderr, shape);
  dir.writeNpy('current_fixed.npy', r.fixed.current, [...shape, nf]);
  dir.writeNpy('torques_fixed.npy', Float64Array.from({ length: 2 * r.nPoints * nf }, (_, k) => (k % 2 === 0 ? r.fixed.tauFL : r.fixed.tauDL)[k >> 1]), [...shape, nf, 2]);
  dir.writeNpy('fixed_thetas.npy', Float64Array.from(job.fixedThetas), [nf]);
  const col = (f: (i: number) => number) => Float64Array.from({ length: r.nPoints }, (_, i) => f(i));
  dir.writeCsv('current.csv', {
    eps: col(i => r.points[2 * i]), V: col(i => r.points[2 * i + 1]), currentParallel: par, currentAntiparallel: anti, currentDynamic: r.currentMean, currentDynamicStderr: r.currentStderr,
    thetaMean: r.thetaMean, log10_IcV_parallel: logConductance(r, par), log10_IcV_antiparallel: logConductance(r, anti), log10_IcV_dynamic: logConductance(r, r.currentMean),
  });
  const figs: Fig[] = [];
  const maps: [string, string, Float64Array, string][] = [
    ['fig3_log_current_parallel.svg', 'θ = 0.01π (nearly parallel)', logConductance(r, par), 'J_D at θ = 0.01π (torque-table kernel)'],
    ['fig3_log_current_antiparallel.svg', 'θ = 0.99π (nearly antiparallel)', logConductance(r, anti), 'J_D at θ = 0.99π'],
    ['fig3_log_current_dynamic.svg', 'dynamic (from Fig. 2)', logConductance(r, r.currentMean), 'J_D(θ(t)) averaged along the trajectories of Fig. 2 over the same window, mean over trajectories'],
  ];
  if (isPlane(job)) {
    // one colour scale for the three maps, clipped at the largest value inside the Coulomb diamond (the paper omits the upper part)
    const U = job.base.U, inside: number[] = [], all: number[] = [];
    for (const [, , v] of maps) for (let i = 0; i < r.nPoints; i++) if (Number.isFinite(v[i])) { all.push(v[i]); if (Math.abs(r.points[2 * i]) + Math.abs(r.points[2 * i + 1]) / 2 < U / 2) inside.push(v[i]); }
    const use = inside.length ? inside : all;
    let lo = Infinity, hi = -Infinity;
    for (const x of all) lo = Math.min(lo, x);
    for (const x of use) hi = Math.max(hi, x);
    const domain: [number, number] = Number.isFinite(lo) && hi > lo ? [lo, hi] : [0, 1];
    for (const [file, what, v, how] of maps) {
      dir.writeText(file, planeMap(job, `Fig. 3: log10(I_C/V), ${what}`, v, 'log10(I_C/V)', { domain }));
      figs.push({ title: `Fig. 3: log10(I_C/V), ${what}`, svgFile: file, caption: `${how}. I_C in eΓ/ħ, V in Γ/e; the colour scale is clipped at the largest value inside the Coulomb diamond (saturated outside, as in the paper). White dashed: Eq. 4.` });
    }
  } else if (r.nPoints > 1) {
    const a = cutAxis(job);
    const series: LineSeries[] = maps.map(([, what, v], k) => ({ name: what, x: a.x, y: v, color: ['#1f77b4', '#d62728', '#2ca02c'][k] }));
    const fin = series.flatMap(s => Array.from(s.y as Float64Array)).filter(Number.isFinite);
    dir.writeText('fig3_log_current.svg', lineChart({ title: `Fig. 3 along ${a.along}: log10(I_C/V)`, xLabel: a.label, yLabel: 'log10(I_C/V)', series: [...series, ...markSeries(a.marks, Math.min(...fin), Math.max(...fin))] }));
    figs.push({ title: `Fig. 3 along ${a.along}`, svgFile: 'fig3_log_current.svg', caption: 'Blue: θ = 0.01π, red: θ = 0.99π, green: dynamic (time-averaged along the Fig. 2 trajectories). Grey dashed: Eq. 4.' });
  }
  if (cut) {
    const U = job.base.U, x = Float64Array.from(cut.V, v => v / U), nT = cut.thetas.length;
    dir.writeCsv('fig3_torque_cut.csv', Object.fromEntries([['V', cut.V], ...cut.thetas.flatMap((t, a) => {
      const tag = `${Number((t / Math.PI).toPrecision(3))}pi`;
      return [[`tauFL_${tag}`, Float64Array.from(cut.V, (_, i) => cut.tauFL[i * nT + a])], [`tauDL_${tag}`, Float64Array.from(cut.V, (_, i) => cut.tauDL[i * nT + a])]];
    })]) as Record<string, Float64Array>);
    cut.thetas.forEach((t, a) => {
      const tag = Number((t / Math.PI).toPrecision(3)), file = `fig3_inset_theta${String(tag).replace('.', 'p')}pi.svg`;
      const marks = resonanceVoltages({ ...job.base, eps: cut.eps }, 'eq4', Math.min(...cut.V), Math.max(...cut.V)).map(v => v / U);
      const fl = Float64Array.from(cut.V, (_, i) => cut.tauFL[i * nT + a]), dl = Float64Array.from(cut.V, (_, i) => cut.tauDL[i * nT + a]);
      const all = [...fl, ...dl].filter(Number.isFinite);
      dir.writeText(file, lineChart({
        title: `Fig. 3 inset: torques along ε̃ = ${cut.eps / U}U, θ = ${tag}π`, xLabel: 'V/U', yLabel: 'torque (Γ)',
        series: [{ name: 'I_FL', x, y: fl, color: '#d62728' }, { name: 'I_DL', x, y: dl, color: '#1f77b4' }, ...markSeries(marks, Math.min(...all), Math.max(...all))],
      }));
      figs.push({ title: `Fig. 3 inset: I_FL (red), I_DL (blue) along ε̃ = ${cut.eps / U}U at θ = ${tag}π`, svgFile: file, caption: 'Torque-table kernel; grey dashed: Eq. 4.' });
    });
  }
  return figs;
}

/** `switching dot-valve` as one sweep of two parts: the diagram ('map') and the torque cut of the Fig. 3 insets ('cut'). */
export function switchingSweep(backend: Backend, job: SwitchingJob, identity: SweepParts['identity']): SweepParts {
  const c = switchingCut(job);
  return { identity, parts: [switchingPart(backend, job, 'map'), torqueCutPart(backend, job.base, c.eps, c.V, job.fixedThetas, 'cut')] };
}

/** The run directory of `switching dot-valve` from the sweep's arrays (a run and a merge alike); returns it and the diagram. */
export async function writeSwitchingFromArrays(target: OutputTarget, job: SwitchingJob, data: ChunkData, info: SweepInfo, extra: Record<string, unknown> = {}): Promise<{ dir: string; result: SwitchingResult }> {
  const result = switchingFromArrays(job, partData(data, 'map'), info), c = switchingCut(job);
  const dir = await writeSwitchingRun(target, result, torqueCutFromArrays(c.eps, c.V, job.fixedThetas, partData(data, 'cut')), extra);
  return { dir, result };
}

/** The switching command's run directory: Figs. 2 and 3. */
export function writeSwitchingRun(target: OutputTarget, r: SwitchingResult, cut: TorqueCut | undefined, extra: Record<string, unknown> = {}): Promise<string> {
  return withRunDir(target, dir => {
    const figures = [...writeFig2(dir, r), ...writeFig3(dir, r, cut)];
    return switchingRecord(r, figures, `nanospin switching dot-valve: ${r.job.epsAxis.length} × ${r.job.VAxis.length} points × ${r.job.trajectories} trajectories`, extra, sweepExtra(target, r.sweep));
  });
}

/** The run record of a switching directory: `extra` goes into the manifest and summary, `manifestOnly` (the sweep record) into the manifest. */
export function switchingRecord(r: SwitchingResult, figures: Fig[], title: string, extra: Record<string, unknown> = {}, manifestOnly: Record<string, unknown> = {}): RunRecord {
  const head = switchingSummary(r, extra);
  return {
    manifest: {
      params: head.params, backend: r.backend, adapter: r.adapter, seed: r.job.seed,
      timings: { tablesSeconds: r.seconds.tables, llgSeconds: r.seconds.llg, totalSeconds: r.seconds.total, spinStepsPerSecond: r.spinStepsPerSecond },
      tolerances: switchingTolerances(r),
      extra: {
        conventions: SWITCHING_CONVENTIONS, resonance: head.resonance, ...extra, ...manifestOnly,
        noiseKeying: `one Philox key (the seed); trajectory t of the diagram (point ⌊t/M⌋, V slowest) keyed by t, whatever the chunks (${switchingChunkPoints(r.job)} points each), shards or resumes (src/runs/dotValveSwitching.ts)`,
        files: {
          'switching.csv': 'eps, V (Γ), thetaMean, thetaStderr (rad), thetaMeanOverPi, switched, finalMz, finite', 'current.csv': 'eps, V, J_D at θ = 0.01π, 0.99π, dynamic (± stderr), θ̄, log10(I_C/V) of each',
          'theta_mean.npy, theta_stderr.npy, switched.npy, final_mz.npy, current_dynamic*.npy': '[nV, nEps]', 'current_fixed.npy': '[nV, nEps, angle] (fixed_thetas.npy)',
          'torques_fixed.npy': '[nV, nEps, angle, (I_FL, I_DL)]', 'resonance.csv': 'Eq. 4 roots V_res(ε̃) at the run\'s ε̃',
        },
      },
    },
    summary: head,
    report: {
      title,
      summary: {
        backend: r.backend, adapter: r.adapter, points: r.nPoints, 'trajectories per point': r.job.trajectories, steps: r.steps, 'window (1/Γ)': `${r.job.averageFrom} – ${r.job.time}`,
        'spin-steps': r.spinSteps.toExponential(3), 'LLG time (s)': r.seconds.llg.toFixed(1), 'spin-steps/s': r.spinStepsPerSecond.toExponential(3),
        'table nodes': `${r.job.tableNodes} (${r.job.tableGrid})`, 'energies': 'units of Γ = ½(Γ_S + Γ_D)',
      },
      figures,
    },
  };
}
