// `nanospin llg`: an ensemble of identical spin clusters (macrospin, dimer, …) integrated on one
// backend, summarised (ensemble means ± standard errors) and written as a run directory.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, pointMean, stepsFor, type LlgResult } from '../llg/index.ts';
import { clusterModel, boltzmannMz, dampedPrecession, type ClusterSpec } from '../models/macrospin.ts';
import { RunFailure, withRunDir, type OutputTarget } from './output.ts';
import { lineChart } from '../plots/svg.ts';
import { unit3, dot3, cross3, norm3, type Vec3 } from '../numerics/vec3.ts';
import { HBAR } from '../numerics/units.ts';

export interface LlgJob {
  systems: number;
  cluster: ClusterSpec;
  /** Time step and duration (ps). */
  dt: number;
  time: number;
  /** Start of the averaging window (ps). */
  averageFrom: number;
  seed: number;
  /** Trajectories of the first `systems` systems, one sample every `every` ps. */
  record: { systems: number; every: number };
}

const xyz = (v: ArrayLike<number>) => ({ mx: v[0], my: v[1], mz: v[2] });

export interface SpinSummary {
  spin: number;
  pinned: boolean;
  mean: { mx: number; my: number; mz: number };
  stderr: { mx: number; my: number; mz: number };
  final: { mx: number; my: number; mz: number };
  switched: number;
  /** Mean first-switching time (ps) over the systems that switched; null if none did. */
  meanSwitchTime: number | null;
}

export interface LlgSummary {
  backend: string;
  adapter: string;
  systems: number;
  spinsPerSystem: number;
  steps: number;
  dt: number;
  time: number;
  averageFrom: number;
  /** The spin reported at top level: the first one that is not pinned. */
  spin: number;
  mean: SpinSummary['mean'];
  stderr: SpinSummary['stderr'];
  final: SpinSummary['final'];
  switched: number;
  spins: SpinSummary[];
  /** Exact value the run can be compared with, where one exists (see `exactReference`). */
  exact?: Record<string, number | string>;
  seconds: number;
  spinStepsPerSecond: number;
  seed: number;
}

export function llgSteps(job: LlgJob): number { return stepsFor(job.time, job.dt); }

/**
 * Closed-form references for a macrospin: the Boltzmann ⟨m·n⟩ when the field is along the easy
 * axis and T > 0; the damped-precession orientation at the end of the run when T = 0 and K = 0.
 */
export function exactReference(job: LlgJob): Record<string, number | string> | undefined {
  const c = job.cluster;
  if (c.spins.length !== 1 || c.damping) return undefined;
  const s = c.spins[0];
  // a pinned spin does not move, and α = 0 at T > 0 has neither noise nor relaxation
  if (s.pinned || ((s.alpha ?? 0) === 0 && c.temperature > 0)) return undefined;
  const B: Vec3 = s.field ? [s.field[0], s.field[1], s.field[2]] : [0, 0, 0], K = s.anisotropy ?? 0;
  const n = unit3(s.easyAxis ?? [0, 0, 1], 'easy axis');
  if ((s.fieldLikeTorque ?? 0) !== 0 || (s.dampingLikeTorque ?? 0) !== 0 || s.torqueTable) return undefined;
  if (c.temperature > 0 && norm3(cross3(B, n)) < 1e-12 * Math.max(1, norm3(B))) {
    const Bn = dot3(B, n);
    return { quantity: 'Boltzmann <m.n> along the easy axis (mean over the averaging window)', mn: boltzmannMz(Bn, K, c.temperature), mnMeasured: NaN };
  }
  if (c.temperature === 0 && K === 0 && norm3(B) > 0) {
    // rotate so the field is along z, use the analytic solution, rotate back
    const z = unit3(B, 'field'), t = Math.abs(z[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const x = unit3(cross3(t, z), 'axis'), y = cross3(z, x);
    const m0 = unit3(s.init ?? [0, 0, 1], 'init');
    const mf = dampedPrecession([dot3(m0, x), dot3(m0, y), dot3(m0, z)], norm3(B), s.S ?? 1, s.alpha ?? 0, llgSteps(job) * job.dt);
    const f = [0, 1, 2].map(a => mf[0] * x[a] + mf[1] * y[a] + mf[2] * z[a]);
    return { quantity: 'damped precession (analytic) final m', mx: f[0], my: f[1], mz: f[2] };
  }
  return undefined;
}

/** The exact reference as report rows: measured, exact and the deviation in standard errors. */
function exactRows(e: LlgSummary['exact']): Record<string, string | number> {
  if (!e) return {};
  if ('mn' in e) {
    const se = e.mnStderr as number | undefined;
    return {
      'exact reference': String(e.quantity),
      '⟨m·n⟩ measured': se !== undefined ? `${(e.mnMeasured as number).toFixed(5)} ± ${se.toFixed(5)}` : (e.mnMeasured as number).toFixed(5),
      '⟨m·n⟩ exact (Boltzmann)': (e.mn as number).toFixed(5),
      'deviation': e.deviationSigma !== undefined && Number.isFinite(e.deviationSigma as number) ? `${(e.deviationSigma as number).toFixed(2)} standard errors${Math.abs(e.deviationSigma as number) > 4 ? ' (more than 4: see the warning)' : ''}` : 'n/a (one system)',
    };
  }
  return {
    'exact reference': String(e.quantity),
    'final m exact': `(${(e.mx as number).toFixed(5)}, ${(e.my as number).toFixed(5)}, ${(e.mz as number).toFixed(5)})`,
    'max |measured − exact|': (e.maxAbsDeviation as number).toExponential(2),
  };
}

export function summarize(job: LlgJob, r: LlgResult): LlgSummary {
  const K = r.spins;
  const spins: SpinSummary[] = [];
  const st = r.stats, finite = st.finite[0];
  for (let i = 0; i < K; i++) {
    const mean = pointMean(st, K, 0, i, 'meanM'), fin = pointMean(st, K, 0, i, 'finalM');
    const tc = st.meanCrossingTime[i];
    spins.push({
      spin: i, pinned: !!job.cluster.spins[i].pinned, mean: xyz(mean.mean), stderr: xyz(mean.stderr), final: xyz(fin.mean),
      switched: finite > 0 ? st.switchedFinal[i] / finite : NaN, meanSwitchTime: Number.isNaN(tc) ? null : tc,
    });
  }
  const top = spins.find(s => !s.pinned) ?? spins[0];
  const exact = exactReference(job);
  if (exact && 'mn' in exact) {
    // ⟨m·n⟩ and its standard error from the trajectories' time averages (exact, covariances included)
    const n = unit3(job.cluster.spins[0].easyAxis ?? [0, 0, 1], 'easy axis'), tr = r.trajectoryData;
    exact.mnMeasured = dot3([top.mean.mx, top.mean.my, top.mean.mz], n);
    if (tr && r.trajectories > 1) {
      let s1 = 0, s2 = 0;
      const N = r.trajectories, m = tr.meanM;
      for (let t = 0; t < N; t++) { const x = m[3 * K * t] * n[0] + m[3 * K * t + 1] * n[1] + m[3 * K * t + 2] * n[2]; s1 += x; s2 += x * x; }
      const mu = s1 / N, se = Math.sqrt(Math.max(0, s2 / N - mu * mu) * N / (N - 1) / N);
      exact.mnStderr = se;
      exact.deviationSigma = se > 0 ? ((exact.mnMeasured as number) - (exact.mn as number)) / se : NaN;
      if (Math.abs(exact.deviationSigma as number) > 4) {
        exact.warning = `measured ⟨m·n⟩ = ${(exact.mnMeasured as number).toFixed(4)} ± ${se.toFixed(4)} is ${Math.abs(exact.deviationSigma as number).toFixed(1)} standard errors from the exact ${(exact.mn as number).toFixed(4)}: the ensemble is probably not equilibrated yet; raise --time (and --average-from)`;
      }
    }
  } else if (exact && 'mx' in exact) {
    const d = Math.max(Math.abs(top.final.mx - (exact.mx as number)), Math.abs(top.final.my - (exact.my as number)), Math.abs(top.final.mz - (exact.mz as number)));
    exact.maxAbsDeviation = d;
    if (d > 1e-3) exact.warning = `the final m differs from the analytic damped precession by ${d.toExponential(2)}: the time step is coarse for this field; lower --dt`;
  }
  return {
    backend: r.backend, adapter: r.adapter, systems: r.trajectories, spinsPerSystem: K, steps: r.steps, dt: r.dt, time: r.steps * r.dt,
    averageFrom: job.averageFrom, spin: top.spin, mean: top.mean, stderr: top.stderr, final: top.final, switched: top.switched,
    spins, exact, seconds: r.seconds, spinStepsPerSecond: r.spinStepsPerSecond, seed: job.seed,
  };
}

export async function runLlgJob(backend: Backend, job: LlgJob, onProgress?: (f: number) => void): Promise<{ result: LlgResult; summary: LlgSummary }> {
  const steps = llgSteps(job);
  // one parameter point, `systems` trajectories of it; every trajectory's results are kept for systems.csv
  const problem = LlgProblem.fromModel(clusterModel, [job.cluster], { trajectoriesPerPoint: job.systems });
  const stride = Math.max(1, Math.round(job.record.every / job.dt));
  const result = await backend.run(llgKernel, problem, {
    dt: job.dt, steps, averageFrom: job.averageFrom, seed: job.seed, keepTrajectories: true,
    record: job.record.systems > 0 ? { systems: Math.min(job.record.systems, job.systems), stride } : undefined, onProgress,
  });
  const bad = job.systems - result.stats.finite[0];
  if (bad > 0) throw new RunFailure(`${bad} of ${job.systems} systems ended with a non-finite m (NaN or ∞); nothing was written. ${nonFiniteCause(job)}`);
  return { result, summary: summarize(job, result) };
}

/**
 * The fastest precession of a cluster: ω = |B_eff|/(ħS) with |B_eff| bounded by |B| + 2|K| + 2|Q| + Σ|𝕁| +
 * |a_FL| + |a_DL| (meV). Stochastic Heun is accurate only for ω·dt ≲ 0.5.
 */
export function fastestPrecession(c: ClusterSpec): { omega: number; spin: number } {
  let omega = 0, spin = 0;
  c.spins.forEach((s, i) => {
    const f = s.field ? Math.hypot(s.field[0], s.field[1], s.field[2]) : 0;
    const q = s.anisotropyTensor ? Math.max(...Array.from(s.anisotropyTensor, Math.abs)) * 3 : 0;
    const pair = (c.couplings ?? []).filter(p => p.i === i || p.j === i).reduce((a, p) => a + Math.abs(p.J ?? 0) + (p.D ? Math.hypot(p.D[0], p.D[1], p.D[2]) : 0) + (p.tensor ? Math.max(...Array.from(p.tensor, Math.abs)) * 3 : 0), 0);
    const table = s.torqueTable ? Math.max(0, ...Array.from(s.torqueTable.fieldLike ?? [], Math.abs), ...Array.from(s.torqueTable.dampingLike ?? [], Math.abs)) : 0;
    const b = f + 2 * Math.abs(s.anisotropy ?? 0) + 2 * q + pair + Math.abs(s.fieldLikeTorque ?? 0) + Math.abs(s.dampingLikeTorque ?? 0) + table;
    const w = b / (HBAR * (s.S ?? 1));
    if (w > omega) { omega = w; spin = i; }
  });
  return { omega, spin };
}

/** The likely reason a run blew up, naming the flags. */
export function nonFiniteCause(job: LlgJob): string {
  const { omega, spin } = fastestPrecession(job.cluster), wdt = omega * job.dt;
  if (!(wdt < 0.5)) return `The fastest precession (spin ${spin}: ω = |B_eff|/ħS ≈ ${omega.toExponential(2)} rad/ps) makes ω·dt ≈ ${wdt.toExponential(2)}; Heun needs ω·dt ≲ 0.5: lower --dt below ${(0.5 / omega).toExponential(2)} ps, or check --field and --S.`;
  return 'The time step looks small enough for the fields; check for a vanishing spin length --S or an extreme --temperature.';
}

/** Write the run directory: manifest, per-system CSV and .npy, trajectories figure, report. */
export function writeLlgRun(target: OutputTarget, job: LlgJob, r: LlgResult, summary: LlgSummary): Promise<string> {
  return withRunDir(target, async dir => {
    const K = r.spins, N = r.trajectories, tr = r.trajectoryData!;
    const sysIdx = new Float64Array(N * K), spinIdx = new Float64Array(N * K);
    const cols: Record<string, Float64Array> = {};
    for (const name of ['mean_mx', 'mean_my', 'mean_mz', 'final_mx', 'final_my', 'final_mz', 'switched', 'switch_time_ps']) cols[name] = new Float64Array(N * K);
    for (let s = 0; s < N; s++) for (let i = 0; i < K; i++) {
      const row = s * K + i, o = s * 3 * K + 3 * i;
      sysIdx[row] = s; spinIdx[row] = i;
      for (let a = 0; a < 3; a++) { cols[`mean_m${'xyz'[a]}`][row] = tr.meanM[o + a]; cols[`final_m${'xyz'[a]}`][row] = tr.finalM[o + a]; }
      cols.switched[row] = tr.switched[row]; cols.switch_time_ps[row] = tr.switchTime[row];
    }
    dir.writeCsv('systems.csv', { system: sysIdx, spin: spinIdx, ...cols });
    dir.writeNpy('mean_m.npy', tr.meanM, [N, K, 3]);
    dir.writeNpy('final_m.npy', tr.finalM, [N, K, 3]);
    dir.writeNpy('switched.npy', tr.switched, [N, K]);
    dir.writeNpy('switch_time_ps.npy', tr.switchTime, [N, K]);
    const figures: { title: string; svgFile: string; caption?: string }[] = [];
    if (r.record) {
      const S = r.record.times.length;
      dir.writeNpy('trajectories.npy', r.record.m, [r.record.systems, S, K, 3]);
      dir.writeNpy('trajectory_times_ps.npy', r.record.times, [S]);
      const i = summary.spin;
      const comp = (sys: number, a: number) => Float64Array.from({ length: S }, (_, k) => r.record!.m[((sys * S + k) * K + i) * 3 + a]);
      const series = [];
      for (let sys = 0; sys < r.record.systems; sys++) series.push({ name: `system ${sys}: m_z`, x: r.record.times, y: comp(sys, 2) });
      series.push({ name: 'system 0: m_x', x: r.record.times, y: comp(0, 0) }, { name: 'system 0: m_y', x: r.record.times, y: comp(0, 1) });
      dir.writeText('trajectories.svg', lineChart({
        title: `Recorded trajectories, spin ${i} (T = ${job.cluster.temperature} K, ${r.backend})`,
        xLabel: 'time t (ps)', yLabel: 'magnetisation component m (unit vector)', series, yDomain: [-1, 1],
      }));
      figures.push({ title: 'Recorded trajectories', svgFile: 'trajectories.svg', caption: `m_z of spin ${i} for each of the first ${r.record.systems} recorded trajectories, and m_x, m_y of the first, every recorded step. Data: trajectories.npy [trajectory, step, spin, xyz], trajectory_times_ps.npy.` });
    }
    const manifest = {
      params: { ...job, steps: r.steps }, backend: r.backend, adapter: r.adapter, seed: job.seed,
      timings: { integrationSeconds: r.seconds, setupSeconds: r.setupSeconds ?? 0 },
      tolerances: r.backend === 'webgpu'
        ? { float32: 'per-step agreement with the float64 CPU twin ~1e-5 in m for hundreds of steps (test/llg.twin.test.ts); trajectories of chaotic/noisy systems diverge slowly after that, ensemble statistics agree within standard errors' }
        : { float64: 'reference implementation' },
      extra: { summary },
    };
    const fmt = (v: { mx: number; my: number; mz: number }) => `(${v.mx.toFixed(5)}, ${v.my.toFixed(5)}, ${v.mz.toFixed(5)})`;
    const report = {
      title: `nanospin llg: ${N} systems × ${K} spin${K > 1 ? 's' : ''}`,
      summary: {
        backend: r.backend, adapter: r.adapter, 'time step (ps)': r.dt, 'steps': r.steps, 'temperature (K)': job.cluster.temperature,
        [`mean m, spin ${summary.spin} (window ≥ ${job.averageFrom} ps)`]: fmt(summary.mean), 'standard error': fmt(summary.stderr),
        'final m (ensemble mean)': fmt(summary.final), 'switched fraction': summary.switched,
        'integration time (s)': r.seconds, 'spin-steps/s': r.spinStepsPerSecond.toExponential(3),
        ...exactRows(summary.exact),
      },
      warnings: summary.exact?.warning ? [String(summary.exact.warning)] : [],
      figures,
    };
    return { manifest, summary, report };
  });
}
