// The stochastic check of Eq. 5 (seed 004): the drain's thermal fluctuations about a collinear state, from the LLG
// core with the point's tabulated transport torques, against the linearised dynamics of src/models/dotValve/fmr.ts.
//
// Why this route: a small oscillating field is not in the core, and with transport torques the state is not in
// equilibrium, so the fluctuation–dissipation theorem cannot be used to read χ″ from the noise. The noise-driven
// linearised LLG is an Ornstein–Uhlenbeck process whatever the torques: its spectrum is S_xx(Ω) = σ²(|χ_xx|² + |χ_xy|²)
// with the same response matrix as Eq. 5 (src/models/dotValve/fmrNoise.ts). So: record m_x, m_y of many trajectories
// (run option `record`), take their periodograms (src/numerics/fft.ts), and compare with the exact mean periodogram of
// the OU process (leakage and aliasing included). The torque-free point is in equilibrium, where in addition
// S_xx = −(2k_BT/Ω)χ″_xx must hold: that ties the measured spectrum to χ″ itself (and to the printed Eq. 5, which
// differs by O(α²)). Times in 1/Γ, energies in Γ; the core runs with Γ = 1 meV (1/Γ = HBAR ps).
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem } from '../llg/problem.ts';
import { fft, checkPowerOfTwo } from '../numerics/fft.ts';
import type { DotValveParams } from '../models/dotValve/params.ts';
import { dotValveState } from '../models/dotValve/transport.ts';
import { drainLlgSpin, type MagnetParams } from '../models/dotValve/llg.ts';
import { drainModel, drainPointCpu } from '../models/dotValve/switching.ts';
import type { TableGrid } from '../models/dotValve/torqueTable.ts';
import { susceptibility, susceptibilityEq5, fmrModes, type FmrInput } from '../models/dotValve/fmr.ts';
import { expectedPeriodogram, fdtSpectrum, linearDynamics, thermalSpectrum } from '../models/dotValve/fmrNoise.ts';

export interface FmrNoiseJob {
  /** Transport point (ε̃, V in Γ). */
  point: DotValveParams;
  /** +1: about the parallel state (start m = +ẑ), −1: about the antiparallel one (start −ẑ). */
  state: 1 | -1;
  magnet: MagnetParams;
  tableNodes: number;
  tableGrid: TableGrid;
  trajectories: number;
  /** Step (1/Γ), record stride (steps), recorded samples used (a power of two), samples discarded first (relaxation). */
  dt: number;
  stride: number;
  samples: number;
  burn: number;
  /** Frequency bins averaged into one spectral point. */
  binning: number;
  seed: number;
}

export interface FmrNoiseResult {
  job: FmrNoiseJob;
  backend: string;
  adapter: string;
  fmr: FmrInput;
  kT: number;
  /** Sample spacing Δ (1/Γ) and the binned spectrum: centre frequency (Γ), measured and expected mean periodogram, its standard error. */
  delta: number;
  omega: Float64Array;
  measured: Float64Array;
  measuredStderr: Float64Array;
  expected: Float64Array;
  /** The continuous-time forms at the same Ω: OU spectrum σ²(|χ_xx|² + |χ_xy|²), FDT −(2k_BT/Ω)χ″ (exact χ and Eq. 5), χ″ exact and Eq. 5. */
  spectrum: Float64Array;
  fdt: Float64Array;
  fdtEq5: Float64Array;
  chiPP: Float64Array;
  chiPPEq5: Float64Array;
  /** ⟨m_x²⟩ measured (over samples, trajectories and both transverse components) and Σ_xx of the OU process. */
  variance: { measured: number; stderr: number; expected: number };
  modes: ReturnType<typeof fmrModes>;
  /** Trajectories that left the state (|m_z| < 0.5 at some recorded sample: outside the linear regime). */
  escaped: number;
  seconds: number;
}

/** The linearised problem of a job: its Eq. 5 input (torques at the state, float64), k_BT_eff and the OU dynamics. */
function fmrSetup(job: FmrNoiseJob) {
  checkPowerOfTwo('FMR noise: samples', job.samples, 16, 2 ** 20);
  if (!(Number.isInteger(job.binning) && job.binning >= 1)) throw new RangeError(`FMR noise: binning must be an integer ≥ 1, got ${job.binning}`);
  const s = job.state, p = job.point, spin = drainLlgSpin(job.magnet, 1);
  const st = dotValveState(p, s === 1 ? 0 : Math.PI);
  const fmr: FmrInput = { KV: job.magnet.KV, alpha: job.magnet.alpha, S: job.magnet.S, tauFL: st.tauFL, tauDL: st.tauDL, state: s };
  const dyn = linearDynamics(fmr, job.magnet.sigma2);
  if (!dyn.stable) throw new RangeError(`FMR noise: the ${s === 1 ? 'parallel' : 'antiparallel'} state at (ε̃, V) = (${p.eps}, ${p.V}) is linearly unstable; no stationary fluctuations`);
  return { s, p, spin, fmr, sigma2: job.magnet.sigma2, kT: spin.kTeff, dyn };
}

/** The binned arrays of a result, in this order (fmrNoiseArrays, fmrNoiseFromArrays). */
const SPECTRA = ['omega', 'measured', 'measuredStderr', 'expected', 'spectrum', 'fdt', 'fdtEq5', 'chiPP', 'chiPPEq5'] as const;

/** Spectral bins of a job (every binned array's length). */
export const fmrBins = (job: FmrNoiseJob): number => Math.floor(job.samples / 2 / job.binning);

/** Floats per job of fmrNoiseArrays: the binned arrays, then ⟨m_x²⟩ measured, its stderr, expected, escaped, seconds. */
export const fmrNoiseWidth = (job: FmrNoiseJob): number => SPECTRA.length * fmrBins(job) + 5;

/** A result as flat numbers (a sweep part's per-point array). */
export function fmrNoiseArrays(r: FmrNoiseResult): Float64Array {
  const nb = fmrBins(r.job), out = new Float64Array(fmrNoiseWidth(r.job));
  SPECTRA.forEach((k, j) => out.set(r[k], j * nb));
  out.set([r.variance.measured, r.variance.stderr, r.variance.expected, r.escaped, r.seconds], SPECTRA.length * nb);
  return out;
}

/** The result back from fmrNoiseArrays (the float64 linearisation recomputed from the job). */
export function fmrNoiseFromArrays(job: FmrNoiseJob, a: Float64Array, backend: string, adapter: string): FmrNoiseResult {
  const { fmr, kT } = fmrSetup(job), nb = fmrBins(job), at = SPECTRA.length * nb;
  const arr = Object.fromEntries(SPECTRA.map((k, j) => [k, a.slice(j * nb, (j + 1) * nb)])) as Record<typeof SPECTRA[number], Float64Array>;
  return {
    job, backend, adapter, fmr, kT, delta: job.dt * job.stride, ...arr,
    variance: { measured: a[at], stderr: a[at + 1], expected: a[at + 2] }, modes: fmrModes(fmr), escaped: a[at + 3], seconds: a[at + 4],
  };
}

export async function runFmrNoise(backend: Backend, job: FmrNoiseJob): Promise<FmrNoiseResult> {
  const t0 = performance.now();
  const { s, p, spin, fmr, sigma2, kT, dyn } = fmrSetup(job);
  const M = job.trajectories, N = job.samples, recSamples = job.burn + N;
  const steps = recSamples * job.stride;
  const pt = drainPointCpu(p, job.tableNodes, job.tableGrid);
  const init = new Float64Array(3 * M);
  for (let t = 0; t < M; t++) init[3 * t + 2] = s;
  const problem = LlgProblem.fromModel(drainModel(job.magnet, 1), [pt], { trajectoriesPerPoint: M, initialStates: init });
  const r = await backend.run(llgKernel, problem, { dt: job.dt * spin.timeUnitPs, steps, averageFrom: 0, seed: job.seed, record: { systems: M, stride: job.stride } });
  const rec = r.record!, nS = rec.times.length; // recSamples + 1 (t = 0 included)
  const delta = job.dt * job.stride;
  const half = N / 2 + 1, sum = new Float64Array(half), sum2 = new Float64Array(half), Pt = new Float64Array(half);
  const re = new Float64Array(N), im = new Float64Array(N);
  let v = 0, v2 = 0, escaped = 0;
  const perTraj: number[] = [];
  for (let t = 0; t < M; t++) {
    let out = false;
    for (let k = 0; k < nS; k++) if (Math.abs(rec.m[(t * nS + k) * 3 + 2]) < 0.5) out = true;
    if (out) { escaped++; continue; }
    // one sample per trajectory: the mean of the m_x and m_y periodograms (the two are strongly correlated by the
    // precession, so they do not count as independent samples)
    let vt = 0;
    Pt.fill(0);
    for (const c of [0, 1]) {
      for (let k = 0; k < N; k++) { const x = rec.m[(t * nS + (nS - N + k)) * 3 + c]; re[k] = x; im[k] = 0; vt += x * x; }
      fft(re, im);
      for (let j = 0; j < half; j++) Pt[j] += 0.5 * (delta / N) * (re[j] * re[j] + im[j] * im[j]);
    }
    for (let j = 0; j < half; j++) { sum[j] += Pt[j]; sum2[j] += Pt[j] * Pt[j]; }
    perTraj.push(vt / (2 * N));
  }
  const used = M - escaped, K = used;
  if (used < 2) throw new RangeError(`FMR noise: ${escaped} of ${M} trajectories left the linear regime; lower sigma2`);
  for (const x of perTraj) { v += x; v2 += x * x; }
  const vm = v / used, vErr = Math.sqrt(Math.max(0, v2 / used - vm * vm) / (used - 1));
  const ex = expectedPeriodogram(dyn, N, delta);
  // bins j = 1 … (skip Ω = 0), grouped by `binning`
  const B = job.binning, nb = Math.floor((half - 1) / B);
  const mk = () => new Float64Array(nb);
  const omega = mk(), measured = mk(), measuredStderr = mk(), expected = mk(), spectrum = mk(), fdt = mk(), fdtEq5 = mk(), chiPP = mk(), chiPPEq5 = mk();
  for (let b = 0; b < nb; b++) {
    let w = 0, m = 0, m2 = 0, e = 0;
    for (let j = 1 + b * B; j < 1 + (b + 1) * B; j++) { w += ex.omega[j]; m += sum[j] / K; m2 += sum2[j] / K; e += ex.power[j]; }
    omega[b] = w / B; measured[b] = m / B; expected[b] = e / B;
    // bins are independent to O(1/N): the variance of the mean of B·K periodogram values
    measuredStderr[b] = Math.sqrt(Math.max(0, m2 / B - (m / B) ** 2) / (B * K - 1));
    spectrum[b] = thermalSpectrum(omega[b], fmr, sigma2);
    fdt[b] = fdtSpectrum(omega[b], fmr, kT);
    chiPP[b] = susceptibility(omega[b], fmr)[1];
    chiPPEq5[b] = s === 1 ? susceptibilityEq5(omega[b], fmr) : NaN;
    fdtEq5[b] = (-2 * kT / omega[b]) * chiPPEq5[b];
  }
  return {
    job, backend: backend.name, adapter: backend.adapter, fmr, kT, delta, omega, measured, measuredStderr, expected, spectrum, fdt, fdtEq5, chiPP, chiPPEq5,
    variance: { measured: vm, stderr: vErr, expected: dyn.Sigma[0] }, modes: fmrModes(fmr), escaped, seconds: (performance.now() - t0) / 1000,
  };
}
