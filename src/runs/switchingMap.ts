// Thermal switching-probability map of a macrospin over reversing field × temperature: every grid
// point is one parameter point of the LLG problem with `trajectories` trajectories, all in one run.
// Macrospin (src/models/macrospin.ts reversalModel): E = −K (m·ẑ)² + B m_z (field −B ẑ against the initial
// +ẑ state, tilted by a small angle so that T = 0 above the Stoner–Wohlfarth field 2K switches).
// Switched = m_z < 0 at the end.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, stepsFor, type LlgResult } from '../llg/index.ts';
import { reversalModel } from '../models/macrospin.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import { heatmap, lineChart } from '../plots/svg.ts';

export interface SwitchingMapJob {
  /** Reversing field magnitudes B (meV), applied along −ẑ. */
  fields: Float64Array;
  /** Temperatures (K). */
  temperatures: Float64Array;
  trajectories: number;
  anisotropy: number;
  S: number;
  alpha: number;
  /** Initial tilt from +ẑ (rad). */
  tilt: number;
  dt: number;
  time: number;
  seed: number;
}

export interface SwitchingMap {
  /** Switching probability [temperature][field], its binomial standard error, mean first-switch time (ps, NaN if none). */
  p: Float64Array;
  stderr: Float64Array;
  meanSwitchTime: Float64Array;
  result: LlgResult;
}

/** The map's points, temperature slowest: point t·nB + b is (fields[b], temperatures[t]). */
export function switchingProblem(job: SwitchingMapJob): LlgProblem {
  const M = job.trajectories;
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`trajectories must be an integer ≥ 1, got ${M}`);
  for (const T of job.temperatures) if (!(T >= 0)) throw new RangeError(`temperatures must be ≥ 0 K, got ${T}`);
  const points = Array.from(job.temperatures).flatMap(temperature => Array.from(job.fields, field => ({ field, temperature })));
  return LlgProblem.fromModel(reversalModel(job), points, { trajectoriesPerPoint: M });
}

export async function runSwitchingMap(backend: Backend, job: SwitchingMapJob, onProgress?: (f: number) => void): Promise<SwitchingMap> {
  const problem = switchingProblem(job);
  const steps = stepsFor(job.time, job.dt);
  const result = await backend.run(llgKernel, problem, { dt: job.dt, steps, averageFrom: job.time / 2, seed: job.seed, onProgress });
  const G = problem.points, st = result.stats;
  const p = new Float64Array(G), stderr = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const n = st.finite[g];
    p[g] = st.switchedFinal[g] / n;
    stderr[g] = n > 1 ? Math.sqrt(p[g] * (1 - p[g]) / n) : 0;
  }
  return { p, stderr, meanSwitchTime: st.meanCrossingTime, result };
}

export function writeSwitchingMap(target: OutputTarget, job: SwitchingMapJob, map: SwitchingMap): Promise<string> {
  return withRunDir(target, async dir => {
    const nB = job.fields.length, nT = job.temperatures.length, r = map.result;
    const Bcol = new Float64Array(nT * nB), Tcol = new Float64Array(nT * nB);
    for (let t = 0; t < nT; t++) for (let b = 0; b < nB; b++) { Bcol[t * nB + b] = job.fields[b]; Tcol[t * nB + b] = job.temperatures[t]; }
    dir.writeCsv('switching.csv', { field_meV: Bcol, temperature_K: Tcol, p_switch: map.p, p_stderr: map.stderr, mean_switch_time_ps: map.meanSwitchTime });
    dir.writeNpy('p_switch.npy', map.p, [nT, nB]);
    dir.writeNpy('p_stderr.npy', map.stderr, [nT, nB]);
    dir.writeNpy('mean_switch_time_ps.npy', map.meanSwitchTime, [nT, nB]);
    dir.writeNpy('fields_meV.npy', job.fields, [nB]);
    dir.writeNpy('temperatures_K.npy', job.temperatures, [nT]);
    dir.writeText('switching_map.svg', heatmap({
      title: `Switching probability after ${job.time} ps (K = ${job.anisotropy} meV, α = ${job.alpha})`,
      xLabel: 'reversing field B (meV)', yLabel: 'temperature T (K)', x: job.fields, y: job.temperatures, values: map.p,
      colorLabel: 'switching probability', domain: [0, 1],
    }));
    const pick = [...new Set([0, Math.floor(nT / 3), Math.floor((2 * nT) / 3), nT - 1])];
    dir.writeText('switching_vs_field.svg', lineChart({
      title: `Switching probability vs field (2K = ${2 * job.anisotropy} meV)`,
      xLabel: 'reversing field B (meV)', yLabel: 'switching probability', yDomain: [0, 1],
      series: pick.map(t => ({ name: `T = ${job.temperatures[t].toFixed(1)} K`, x: job.fields, y: map.p.subarray(t * nB, (t + 1) * nB) })),
    }));
    const manifest = {
      params: { ...job, fields: Array.from(job.fields), temperatures: Array.from(job.temperatures), steps: r.steps, systems: r.trajectories },
      backend: r.backend, adapter: r.adapter, seed: job.seed,
      timings: { integrationSeconds: r.seconds, setupSeconds: r.setupSeconds ?? 0 },
      tolerances: { pSwitch: 'binomial standard error per point in p_stderr.npy' },
      extra: { spinStepsPerSecond: r.spinStepsPerSecond },
    };
    const report = {
      title: 'nanospin demo: thermal switching of a macrospin',
      summary: {
        backend: r.backend, adapter: r.adapter, 'grid (fields × temperatures)': `${nB} × ${nT}`, 'trajectories per point': job.trajectories,
        'systems': r.trajectories, 'steps': r.steps, 'time step (ps)': job.dt, 'anisotropy K (meV)': job.anisotropy,
        'Stoner–Wohlfarth field 2K (meV)': 2 * job.anisotropy, 'integration time (s)': r.seconds, 'spin-steps/s': r.spinStepsPerSecond.toExponential(3),
      },
      figures: [{ title: 'Switching probability map', svgFile: 'switching_map.svg' }, { title: 'Cuts at fixed temperature', svgFile: 'switching_vs_field.svg' }]
    };
    return { manifest, report };
  });
}
