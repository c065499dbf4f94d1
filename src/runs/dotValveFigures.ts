// `nanospin figures dot-valve` (seed 004): Figs. 2, 3, 4 and the FMR figure, each in its own run directory (CSV, .npy,
// SVG, report.html) inside one parent run directory whose report links them.
//   fig2/        switching diagram θ̄(ε̃, V) with the Eq. 4 line, switched fraction, and the inset θ(t) at (0.2U, 0.1U),
//                (0.2U, 0.175U) — writeFig2 of the switching command;
//   fig3/        log10(I_C/V) for θ = 0.01π, 0.99π and the dynamic state (the same LLG runs), torque cuts at ε̃ = −0.3U;
//   fig4/        I_FL, I_DL maps at θ = 0.01π, 0.99π with both resonance lines — the writer of `torques dot-valve`;
//   fig4-inset/  I_FL(θ), I_DL(θ) at (U/4, −0.15U) — the same writer, single point;
//   fmr/         χ″_xx(Ω): exact linear response and the printed Eq. 5 at four (state, point) cases, and the thermal
//                spectrum of the stochastic drain against the linearised (Ornstein–Uhlenbeck) prediction.
import { join } from 'node:path';
import type { Backend } from '../backends/index.ts';
import type { RunDir } from '../io/runDir.ts';
import { lineChart, type LineSeries } from '../plots/svg.ts';
import { dotValve, type DotValveParams } from '../models/dotValve/params.ts';
import { dotValveState } from '../models/dotValve/transport.ts';
import { fmrModes, susceptibility, susceptibilityEq5, type FmrInput } from '../models/dotValve/fmr.ts';
import { PAPER_MAGNET } from '../models/dotValve/llg.ts';
import { linspace } from '../sweeps/grid.ts';
import { announced, partData, type ChunkData, type SweepPart, type SweepParts } from '../sweeps/chunked.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { dotValveMapFromArrays, dotValveMapPlan, writeDotValveRun, type DotValveMapJob, type DotValveMapResult } from './dotValve.ts';
import {
  angleTracesFromArrays, angleTracesPart, switchingFromArrays, switchingPart, torqueCutFromArrays, torqueCutPart,
  type AngleTraces, type SwitchingJob, type SwitchingResult,
} from './dotValveSwitching.ts';
import { switchingRecord, writeFig2, writeFig3, type TorqueCut } from './dotValveSwitchingOutput.ts';
import { fmrNoiseArrays, fmrNoiseFromArrays, fmrNoiseWidth, runFmrNoise, type FmrNoiseJob, type FmrNoiseResult } from './dotValveSwitchingFmr.ts';
import { sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';

/** The figures command's reduced default (stated in its help and docs/models/dotValve.md); --paper gives the paper's. */
export const FIGURES_DEFAULTS = { resolution: 64, trajectories: 8, time: 5000, averageFrom: 2500, torqueResolution: 256, fmrTrajectories: 128 };
export const FIGURES_PAPER = { resolution: 256, trajectories: 16, time: 2e4, averageFrom: 1e4 };

/** The FMR cases: (ε̃, V, p, state). */
export const FMR_CASES = [
  { eps: -300, V: 200, p: 0, state: 1 as const, label: 'P, no torque (p = 0)' },
  { eps: -300, V: -100, p: 0.99, state: 1 as const, label: 'P at (−0.3U, −0.1U): I_DL(0) > 0' },
  { eps: -300, V: 200, p: 0.99, state: 1 as const, label: 'P at (−0.3U, 0.2U): I_DL(0) < 0' },
  { eps: 0, V: 50, p: 0.99, state: -1 as const, label: 'AP at (0, 0.05U): I_FL(π) > 0' },
];

export interface DotValveFiguresJob {
  switching: SwitchingJob;
  torqueResolution: number;
  fmrTrajectories: number;
  /** Thermal-field intensity of the stochastic FMR runs (linear regime). */
  fmrSigma2: number;
}

export interface DotValveFigures {
  job: DotValveFiguresJob;
  switching: SwitchingResult;
  cut: TorqueCut;
  traces: AngleTraces;
  fig4: DotValveMapResult;
  fig4Inset: DotValveMapResult;
  fmr: FmrNoiseResult[];
  /** Seconds per stage (summed over every chunk: also those of a resumed run and of merged shards). */
  seconds: Record<string, number>;
  /** Chunks resumed from an interrupted run and shards merged. */
  sweep?: { resumedChunks: number; mergedShards: SweepInfo['shards'] };
}

/** The Fig. 4 maps and the inset cut (`torques dot-valve` jobs). */
function fig4Jobs(job: DotValveFiguresJob): { fig4: DotValveMapJob; inset: DotValveMapJob } {
  const base = job.switching.base, U = base.U, N = job.torqueResolution;
  return {
    fig4: { base: { ...base, eps: 0, V: 0 }, axes: [{ name: 'eps', values: linspace(-U / 2, U / 2, N) }, { name: 'V', values: linspace(-U / 2, U / 2, N) }], thetas: Float64Array.of(0.01 * Math.PI, 0.99 * Math.PI), tableNodes: 0 },
    inset: { base: { ...base, eps: U / 4, V: -0.15 * U }, axes: [], thetas: linspace(0, Math.PI, 201), tableNodes: 0 },
  };
}

/** Fig. 2 inset points (0.2U, 0.1U), (0.2U, 0.175U), two trajectories each; Fig. 3 cut along ε̃ = −0.3U. */
const insetPoints = (U: number): [number, number][] => [[0.2 * U, 0.1 * U], [0.2 * U, 0.175 * U]];
const INSET_TRAJECTORIES = 2;
const cutAxis = (U: number) => ({ eps: -0.3 * U, V: linspace(-U / 2, U / 2, 201) });

/** The stochastic FMR jobs, one per FMR_CASES entry. */
function fmrJobs(job: DotValveFiguresJob): FmrNoiseJob[] {
  const sw = job.switching;
  return FMR_CASES.map(c => ({
    point: fmrPoint(sw.base, c), state: c.state, magnet: { ...sw.magnet, sigma2: job.fmrSigma2 }, tableNodes: 257, tableGrid: 'zeta',
    trajectories: job.fmrTrajectories, dt: 0.1, stride: 160, samples: 4096, burn: 256, binning: 4, seed: sw.seed,
  }));
}

/** Part keys of the figures sweep. */
const PARTS = { fig4: 'fig4', inset: 'fig4-inset', switching: 'fig2', cut: 'fig3-cut', traces: 'fig2-inset', fmr: 'fmr' } as const;

/**
 * `figures dot-valve` as one sweep of named parts (resumed, sharded and merged together): the Fig. 4 maps and inset
 * (the torque-table kernel), the Fig. 2/3 diagram (its LLG chunks), the Fig. 3 torque cut, the Fig. 2 inset traces and
 * the four stochastic FMR spectra (one point each). Every part's numbers depend on its points alone.
 */
export function dotValveFiguresPlan(backend: Backend, job: DotValveFiguresJob, identity: SweepParts['identity'], log: (s: string) => void = () => {}): SweepParts {
  const sw = job.switching, U = sw.base.U, j4 = fig4Jobs(job), cut = cutAxis(U), fmr = fmrJobs(job);
  const stage = (p: SweepPart, line: string): SweepPart => announced(p, () => log(line));
  const map = (key: string, m: DotValveMapJob): SweepPart => ({ ...dotValveMapPlan(backend, m, identity), key, cost: m.thetas.length });
  const width = fmrNoiseWidth(fmr[0]);
  const fmrPart: SweepPart = {
    key: PARTS.fmr, points: fmr.length, chunkPoints: 1, widths: { spectrum: width }, cost: job.fmrTrajectories * (fmr[0].burn + fmr[0].samples) * fmr[0].stride,
    async compute(first, count) {
      const out = new Float64Array(count * width);
      for (let i = 0; i < count; i++) out.set(fmrNoiseArrays(await runFmrNoise(backend, fmr[first + i])), i * width);
      return { spectrum: out };
    },
  };
  return {
    identity,
    parts: [
      stage(map(PARTS.fig4, j4.fig4), `Fig. 4: ${job.torqueResolution} × ${job.torqueResolution} torque maps at θ = 0.01π, 0.99π`),
      map(PARTS.inset, j4.inset),
      stage(switchingPart(backend, sw, PARTS.switching), `Fig. 2/3: ${sw.epsAxis.length} × ${sw.VAxis.length} points × ${sw.trajectories} trajectories, t ∈ [${sw.averageFrom}, ${sw.time}]/Γ`),
      torqueCutPart(backend, sw.base, cut.eps, cut.V, sw.fixedThetas, PARTS.cut),
      angleTracesPart(backend, sw, insetPoints(U), INSET_TRAJECTORIES, 2000, PARTS.traces),
      stage(fmrPart, `FMR: ${FMR_CASES.length} stochastic spectra × ${job.fmrTrajectories} trajectories (σ² = ${job.fmrSigma2})`),
    ],
  };
}

/** The figures from the sweep's arrays (array `name` of part `key` is data['key/name']). */
export function dotValveFiguresFromArrays(job: DotValveFiguresJob, data: ChunkData, info: SweepInfo): DotValveFigures {
  const sw = job.switching, U = sw.base.U, j4 = fig4Jobs(job), cut = cutAxis(U), fmr = fmrJobs(job);
  const sum = (key: string, phases: number) => sumSeconds(partData(data, key).seconds, phases).reduce((a, b) => a + b, 0);
  const sSwitching = sumSeconds(partData(data, PARTS.switching).seconds, 3);
  const switching = switchingFromArrays(sw, partData(data, PARTS.switching), { ...info, seconds: sSwitching[0] + sSwitching[1] });
  const spectra = partData(data, PARTS.fmr).spectrum, width = fmrNoiseWidth(fmr[0]);
  const fmrResults = fmr.map((f, k) => fmrNoiseFromArrays(f, spectra.subarray(k * width, (k + 1) * width), info.backend, info.adapter));
  return {
    job, switching, cut: torqueCutFromArrays(cut.eps, cut.V, sw.fixedThetas, partData(data, PARTS.cut)),
    traces: angleTracesFromArrays(insetPoints(U), INSET_TRAJECTORIES, partData(data, PARTS.traces)),
    fig4: dotValveMapFromArrays(j4.fig4, partData(data, PARTS.fig4), { ...info, seconds: sum(PARTS.fig4, 2) }),
    fig4Inset: dotValveMapFromArrays(j4.inset, partData(data, PARTS.inset), { ...info, seconds: sum(PARTS.inset, 2) }),
    fmr: fmrResults,
    seconds: {
      fig4: sum(PARTS.fig4, 2) + sum(PARTS.inset, 2), switching: sSwitching[0] + sSwitching[1],
      traces: sum(PARTS.cut, 1) + sum(PARTS.traces, 1), fmr: fmrResults.reduce((a, r) => a + r.seconds, 0),
    },
    sweep: sweepRecord(info),
  };
}

const fmrPoint = (base: DotValveParams, c: typeof FMR_CASES[number]) => dotValve({ ...base, eps: c.eps * base.U / 1000, V: c.V * base.U / 1000, pS: c.p, pD: c.p });

type Fig = { title: string; svgFile: string; caption?: string };

function writeInset(dir: RunDir, f: DotValveFigures): Fig {
  const tr = f.traces, nS = tr.times.length, U = f.job.switching.base.U;
  const series: LineSeries[] = [];
  const cols: Record<string, Float64Array> = { t: tr.times };
  tr.points.forEach(([e, V], q) => {
    for (let j = 0; j < tr.perPoint; j++) {
      const k = q * tr.perPoint + j, y = Float64Array.from(tr.theta.subarray(k * nS, (k + 1) * nS), x => x / Math.PI);
      cols[`theta_over_pi_eps${e / U}U_V${V / U}U_${j}`] = y;
      series.push({ name: `ε̃ = ${e / U}U, V = ${V / U}U${tr.perPoint > 1 ? ` #${j + 1}` : ''}`, x: tr.times, y, color: q === 0 ? '#1f77b4' : '#d62728', dash: j ? '4 3' : '', width: 1.2 });
    }
  });
  dir.writeCsv('fig2_inset_traces.csv', cols);
  dir.writeNpy('fig2_inset_theta.npy', tr.theta, [tr.points.length * tr.perPoint, nS]);
  dir.writeText('fig2_inset.svg', lineChart({ title: 'Fig. 2 inset: opening angle θ(t)', xLabel: 't (1/Γ)', yLabel: 'θ/π', yDomain: [0, 1], series }));
  return { title: 'Fig. 2 inset: θ(t) at (0.2U, 0.1U) and (0.2U, 0.175U)', svgFile: 'fig2_inset.svg', caption: 'Two trajectories per point from θ = 0 (the paper shows one each), with the diagram\'s protocol and seed; their noise is keyed by trajectory within the inset (trajectories 0–3), not drawn from the diagram\'s trajectories at these points.' };
}

function writeFmr(dir: RunDir, f: DotValveFigures): Fig[] {
  const base = f.job.switching.base, mag = f.job.switching.magnet, figs: Fig[] = [];
  // (a) χ″(Ω): exact and Eq. 5, the paper's magnet (α = 0.1)
  const W = linspace(1e-4, 0.02, 600), cols: Record<string, Float64Array> = { omega: W };
  const series: LineSeries[] = [];
  const colors = ['#333333', '#1f77b4', '#2ca02c', '#d62728'];
  const modes: Record<string, unknown>[] = [];
  FMR_CASES.forEach((c, k) => {
    const st = dotValveState(fmrPoint(base, c), c.state === 1 ? 0 : Math.PI);
    const fi: FmrInput = { KV: mag.KV, alpha: mag.alpha, S: mag.S, tauFL: st.tauFL, tauDL: st.tauDL, state: c.state };
    const ex = Float64Array.from(W, w => susceptibility(w, fi)[1]);
    cols[`chiPP_exact_${k}`] = ex;
    series.push({ name: `${c.label}: exact`, x: W, y: ex, color: colors[k] });
    if (c.state === 1) {
      const e5 = Float64Array.from(W, w => susceptibilityEq5(w, fi));
      cols[`chiPP_eq5_${k}`] = e5;
      series.push({ name: `${c.label}: Eq. 5`, x: W, y: e5, color: colors[k], dash: '5 3', width: 1.2 });
    }
    const m = fmrModes(fi);
    modes.push({ case: c.label, eps: c.eps, V: c.V, p: c.p, state: c.state, tauFL: st.tauFL, tauDL: st.tauDL, frequency: m.frequency, halfWidth: m.halfWidth, stable: m.stable });
  });
  dir.writeCsv('fmr_chi.csv', cols);
  dir.writeJson('fmr_modes.json', modes);
  dir.writeText('fmr_chi.svg', lineChart({ title: 'χ″_xx(Ω) of the drain (KV = 0.01Γ, α = 0.1, S = 1)', xLabel: 'Ω (Γ)', yLabel: 'χ″_xx (1/Γ)', series }));
  figs.push({ title: 'FMR: χ″_xx(Ω), exact linear response (solid) and the printed Eq. 5 (dashed)', svgFile: 'fmr_chi.svg', caption: 'Spin response to a drive entering like ∂E/∂n (negative at resonance; the moment response is −χ). The damping-like torque at θ = 0 changes the width, the field-like torque at θ = π shifts the AP line (Eq. 5 is for the parallel state only).' });
  // (b) the stochastic spectra
  f.fmr.forEach((r, k) => {
    const c = FMR_CASES[k], tag = `case${k}`;
    dir.writeCsv(`fmr_spectrum_${tag}.csv`, { omega: r.omega, measured: r.measured, measuredStderr: r.measuredStderr, expectedOU: r.expected, spectrumOU: r.spectrum, fdt: r.fdt, chiPP: r.chiPP });
    dir.writeNpy(`fmr_spectrum_${tag}.npy`, Float64Array.from({ length: 4 * r.omega.length }, (_, i) => [r.omega, r.measured, r.measuredStderr, r.expected][i % 4][i >> 2]), [r.omega.length, 4]);
    const keep = Array.from(r.omega.keys()).filter(i => r.omega[i] < 0.02);
    const pick = (a: Float64Array) => Float64Array.from(keep, i => a[i]);
    const fdtSampled = Float64Array.from(keep, i => r.expected[i] * (r.fdt[i] / r.spectrum[i]));
    dir.writeText(`fmr_spectrum_${tag}.svg`, lineChart({
      title: `Thermal spectrum of m_x: ${c.label}`, xLabel: 'Ω (Γ)', yLabel: 'S_xx (1/Γ)',
      series: [
        { name: `stochastic LLG (${r.job.trajectories} traj.) ± stderr`, x: pick(r.omega), y: pick(r.measured), yErr: pick(r.measuredStderr), color: '#333', width: 1 },
        { name: 'linearised Eq. 5 dynamics (OU)', x: pick(r.omega), y: pick(r.expected), color: '#d62728' },
        { name: 'FDT −(2k_BT/Ω)χ″', x: pick(r.omega), y: fdtSampled, color: '#1f77b4', dash: '5 3' },
      ],
    }));
    figs.push({ title: `Thermal spectrum: ${c.label}`, svgFile: `fmr_spectrum_${tag}.svg`, caption: `σ² = ${r.job.magnet.sigma2} (linear regime), dt = ${r.job.dt}/Γ, ${r.job.samples} samples every ${r.delta}/Γ; red: the exact mean periodogram of the linearised LLG with this point's torques; blue dashed: what the FDT would give from χ″ (equal only without a damping-like torque). ⟨m_x²⟩ = ${r.variance.measured.toExponential(3)} ± ${r.variance.stderr.toExponential(1)} vs ${r.variance.expected.toExponential(3)}.` });
  });
  return figs;
}

/** Agreement numbers of the stochastic FMR check: χ² per bin vs the OU and the FDT forms (bins above 5 % of the peak). */
export function fmrAgreement(r: FmrNoiseResult): { bins: number; chi2OU: number; chi2FDT: number; varianceRatio: number; varianceStderr: number } {
  const peak = Math.max(...r.expected);
  let a = 0, b = 0, n = 0;
  for (let k = 0; k < r.omega.length; k++) {
    if (r.expected[k] < 0.05 * peak) continue;
    a += ((r.measured[k] - r.expected[k]) / r.measuredStderr[k]) ** 2;
    b += ((r.measured[k] - r.expected[k] * (r.fdt[k] / r.spectrum[k])) / r.measuredStderr[k]) ** 2;
    n++;
  }
  return { bins: n, chi2OU: a / n, chi2FDT: b / n, varianceRatio: r.variance.measured / r.variance.expected, varianceStderr: r.variance.stderr / r.variance.expected };
}

export function writeDotValveFigures(target: OutputTarget, f: DotValveFigures): Promise<string> {
  return withRunDir(target, async root => {
    const sub = (name: string): OutputTarget => ({ out: join(root.partial, name), overwrite: false, command: target.command });
    const sw = f.switching, title = (s: string) => `nanospin figures dot-valve — ${s}`;
    await withRunDir(sub('fig2'), dir => {
      const figs = [...writeFig2(dir, sw), writeInset(dir, f)];
      return switchingRecord(sw, figs, title(`Fig. 2: ${sw.job.epsAxis.length} × ${sw.job.VAxis.length} × ${sw.job.trajectories}, t ∈ [${sw.job.averageFrom}, ${sw.job.time}]/Γ`));
    });
    await withRunDir(sub('fig3'), dir => switchingRecord(sw, writeFig3(dir, sw, f.cut), title('Fig. 3: current readout')));
    await writeDotValveRun(sub('fig4'), f.fig4);
    await writeDotValveRun(sub('fig4-inset'), f.fig4Inset);
    const agreement = f.fmr.map((r, k) => ({ case: FMR_CASES[k].label, ...fmrAgreement(r), escaped: r.escaped }));
    await withRunDir(sub('fmr'), dir => {
      const figs = writeFmr(dir, f);
      return {
        manifest: {
          params: { cases: FMR_CASES, sigma2: f.job.fmrSigma2, trajectories: f.job.fmrTrajectories, magnet: f.job.switching.magnet },
          backend: f.fmr[0].backend, adapter: f.fmr[0].adapter, seed: f.job.switching.seed, timings: { seconds: f.seconds.fmr },
          tolerances: { spectrum: 'χ² per bin of the measured mean periodogram against the exact OU mean periodogram (bins above 5 % of the peak); ≈ 1 when they agree (test/dotValveSwitching.fmr.test.ts asserts < 2)' },
          extra: { agreement, method: 'record m_x, m_y (run option record), periodograms by src/numerics/fft.ts, mean over trajectories (one sample per trajectory: the m_x and m_y periodograms averaged), compared with the exact mean periodogram of the linearised LLG (src/models/dotValve/fmrNoise.ts)' },
        },
        summary: { agreement },
        report: { title: title('FMR (Eq. 5) and its stochastic check'), summary: Object.fromEntries(agreement.map(a => [a.case, `χ²/bin vs OU ${a.chi2OU.toFixed(2)}, vs FDT ${a.chi2FDT.toFixed(1)} (${a.bins} bins); ⟨m_x²⟩ ratio ${a.varianceRatio.toFixed(4)} ± ${a.varianceStderr.toFixed(4)}`])), figures: figs },
      };
    });
    const figures: Fig[] = [
      { title: 'Fig. 2: switching diagram', svgFile: 'fig2/fig2_theta_mean.svg', caption: 'Mean opening angle θ̄ = ⟨arccos(m·n_S)⟩ of the drain over the averaging window and the trajectories, per (ε̃, V), with the Eq. 4 resonance line; θ̄ ≈ 0 parallel, ≈ π switched to antiparallel. Standard error, switched fraction and the data: fig2/report.html.' },
      { title: 'Fig. 2 inset', svgFile: 'fig2/fig2_inset.svg', caption: 'θ(t) of two trajectories at each of two points beside the resonance line, from θ = 0 (the paper shows one each); data in fig2/.' },
      { title: 'Fig. 3: dynamic current readout', svgFile: 'fig3/fig3_log_current_dynamic.svg', caption: 'log10 of the time- and ensemble-averaged charge current through the valve while the drain moves (the paper leaves "dynamic" undefined: this is our reading); the same map at fixed θ = 0.01π, 0.99π and the torque cuts along ε̃ = −0.3U: fig3/report.html.' },
      { title: 'Fig. 4: I_FL at θ = 0.99π', svgFile: 'fig4/tauFL_theta0p99pi.svg', caption: 'Field-like torque amplitude I_FL (Γ) near antiparallel over (ε̃, V), Eq. 4 line dashed; I_FL, I_DL and log10(I_C/V) at 0.01π and 0.99π: fig4/report.html.' },
      { title: 'Fig. 4 inset', svgFile: 'fig4-inset/theta_cut.svg', caption: 'I_FL and I_DL against the drain angle θ at the inset point; fig4-inset/report.html.' },
      { title: 'FMR: χ″_xx(Ω)', svgFile: 'fmr/fmr_chi.svg', caption: 'Exact linear susceptibility of the drain beside the printed Eq. 5, and the thermal spectra of stochastic runs against the linearised LLG: fmr/report.html.' },
    ];
    const summary = {
      switching: { points: sw.nPoints, trajectoriesPerPoint: sw.job.trajectories, steps: sw.steps, seconds: sw.seconds, spinStepsPerSecond: sw.spinStepsPerSecond, stiff: sw.stiff },
      fmr: agreement, seconds: f.seconds,
    };
    return {
      manifest: { params: { switching: { ...f.job.switching, epsAxis: undefined, VAxis: undefined, eps: [sw.job.epsAxis[0], sw.job.epsAxis[sw.job.epsAxis.length - 1], sw.job.epsAxis.length], V: [sw.job.VAxis[0], sw.job.VAxis[sw.job.VAxis.length - 1], sw.job.VAxis.length] }, torqueResolution: f.job.torqueResolution, fmrTrajectories: f.job.fmrTrajectories, fmrSigma2: f.job.fmrSigma2 },
        backend: sw.backend, adapter: sw.adapter, seed: sw.job.seed, timings: f.seconds, extra: { subdirectories: ['fig2', 'fig3', 'fig4', 'fig4-inset', 'fmr'], ...sweepExtra(target, f.sweep) } },
      summary,
      report: {
        title: 'nanospin figures dot-valve (seed 004: Gergs, Bender, Duine, Schuricht)',
        summary: {
          backend: sw.backend, adapter: sw.adapter, 'Fig. 2/3 grid': `${sw.job.epsAxis.length} × ${sw.job.VAxis.length} × ${sw.job.trajectories}`, 'window (1/Γ)': `${sw.job.averageFrom} – ${sw.job.time}`,
          'LLG spin-steps/s': sw.spinStepsPerSecond.toExponential(3), 'total (s)': Object.values(f.seconds).reduce((a, b) => a + b, 0).toFixed(1),
          'subdirectories': 'fig2, fig3, fig4, fig4-inset, fmr (each with its report.html)',
        },
        figures,
      },
    };
  });
}

export { PAPER_MAGNET };
