// Thermal switching-probability map of a macrospin over reversing field × temperature: every grid
// point is one parameter point of the LLG problem with `trajectories` trajectories. As a sweep
// (switchingPlan) its points are computed in resumable, shardable chunks (src/sweeps/chunked.ts), each
// chunk one LLG problem whose trajectory offset keeps the noise of the whole map.
// Macrospin (src/models/macrospin.ts reversalModel): E = −K (m·ẑ)² + B m_z (field −B ẑ against the initial
// +ẑ state, tilted by a small angle so that T = 0 above the Stoner–Wohlfarth field 2K switches).
// Switched = m_z < 0 at the end.
import type { Backend } from '../backends/index.ts';
import { llgKernel } from '../kernels/llg/index.ts';
import { LlgProblem, stepsFor } from '../llg/index.ts';
import type { ChunkData, SweepPlan } from '../sweeps/chunked.ts';
import { llgChunkPoints } from '../sweeps/params.ts';
import { manifestExtra, type SweepInfo } from './sweepInfo.ts';
import { reversalModel } from '../models/macrospin.ts';
import { wilson } from '../numerics/stats.ts';
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

/**
 * Per grid point [temperature][field]. Two events, named for what they count: `pSwitch`, the fraction of
 * trajectories whose final state is reversed (m_z < 0 at the end of the run), and `pCrossed`, the fraction
 * that crossed m_z = 0 at least once, with `meanFirstCrossing`, the mean time of that first crossing over the
 * trajectories that crossed. Intervals are Wilson score intervals at one standard deviation (68.3 %), honest at
 * p = 0 and 1. Non-finite trajectories (none expected) are left out and counted.
 */
export interface SwitchingMap {
  pSwitch: Float64Array; pSwitchLo: Float64Array; pSwitchHi: Float64Array;
  pCrossed: Float64Array; pCrossedLo: Float64Array; pCrossedHi: Float64Array;
  /** ps, NaN where no trajectory crossed. */
  meanFirstCrossing: Float64Array;
  nonFinite: Float64Array;
  /** The run: backend, integration seconds, chunks resumed, shards merged. */
  info: SweepInfo;
}

/** The map's points, temperature slowest: point t·nB + b is (fields[b], temperatures[t]). */
function mapPoints(job: SwitchingMapJob): { field: number; temperature: number }[] {
  const M = job.trajectories;
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`trajectories must be an integer ≥ 1, got ${M}`);
  for (const T of job.temperatures) if (!(T >= 0)) throw new RangeError(`temperatures must be ≥ 0 K, got ${T}`);
  return Array.from(job.temperatures).flatMap(temperature => Array.from(job.fields, field => ({ field, temperature })));
}

/** Per-point arrays of the map: counts over each point's finite trajectories. */
export const SWITCHING_WIDTHS = { switchedFinal: 1, crossed: 1, meanFirstCrossing: 1, finite: 1 } as const;

/** The map as a sweep: points [first, first + count) are one LLG problem (trajectory offset first·M). */
export function switchingPlan(backend: Backend, job: SwitchingMapJob, identity: SweepPlan['identity']): SweepPlan {
  const points = mapPoints(job), M = job.trajectories, steps = stepsFor(job.time, job.dt), model = reversalModel(job);
  const chunkPoints = llgChunkPoints(points.length, M);
  return {
    identity, points: points.length, widths: SWITCHING_WIDTHS, chunkPoints,
    async compute(first, count, progress) {
      const problem = LlgProblem.fromModel(model, points.slice(first, first + count), { trajectoriesPerPoint: M, trajectoryOffset: first * M });
      const r = await backend.run(llgKernel, problem, { dt: job.dt, steps, averageFrom: job.time / 2, seed: job.seed, dispatchTrajectories: chunkPoints * M, onProgress: progress });
      const st = r.stats;
      return { switchedFinal: st.switchedFinal, crossed: st.crossed, meanFirstCrossing: st.meanCrossingTime, finite: st.finite };
    },
  };
}

/** Proportions and Wilson intervals from the per-point counts. */
export function switchingMapFromArrays(job: SwitchingMapJob, d: ChunkData, info: SweepInfo): SwitchingMap {
  const G = job.fields.length * job.temperatures.length, M = job.trajectories;
  const arr = () => new Float64Array(G);
  const map: SwitchingMap = {
    pSwitch: arr(), pSwitchLo: arr(), pSwitchHi: arr(), pCrossed: arr(), pCrossedLo: arr(), pCrossedHi: arr(),
    meanFirstCrossing: d.meanFirstCrossing, nonFinite: arr(), info,
  };
  for (let g = 0; g < G; g++) {
    const n = d.finite[g], w = wilson(d.switchedFinal[g], n), c = wilson(d.crossed[g], n);
    map.pSwitch[g] = w.p; map.pSwitchLo[g] = w.lo; map.pSwitchHi[g] = w.hi;
    map.pCrossed[g] = c.p; map.pCrossedLo[g] = c.lo; map.pCrossedHi[g] = c.hi;
    map.nonFinite[g] = M - n;
  }
  return map;
}

/** The whole map in one go (library use; the CLI runs it as a resumable sweep). */
export async function runSwitchingMap(backend: Backend, job: SwitchingMapJob, onProgress?: (f: number) => void): Promise<SwitchingMap> {
  const plan = switchingPlan(backend, job, { command: [], version: '' });
  const t0 = performance.now();
  const d = await plan.compute(0, plan.points, onProgress);
  return switchingMapFromArrays(job, d, { backend: backend.name, adapter: backend.adapter, seconds: (performance.now() - t0) / 1000, resumedChunks: 0, shards: [] });
}

export function writeSwitchingMap(target: OutputTarget, job: SwitchingMapJob, map: SwitchingMap): Promise<string> {
  return withRunDir(target, async dir => {
    const nB = job.fields.length, nT = job.temperatures.length, r = map.info;
    const steps = stepsFor(job.time, job.dt), systems = nB * nT * job.trajectories;
    // the rate only where this process computed every point (not across resumed chunks or merged shards)
    const rate = r.resumedChunks === 0 && r.shards.length === 0 && r.seconds > 0 ? systems * steps / r.seconds : NaN;
    const Bcol = new Float64Array(nT * nB), Tcol = new Float64Array(nT * nB);
    for (let t = 0; t < nT; t++) for (let b = 0; b < nB; b++) { Bcol[t * nB + b] = job.fields[b]; Tcol[t * nB + b] = job.temperatures[t]; }
    dir.writeCsv('switching.csv', {
      field_meV: Bcol, temperature_K: Tcol, p_switch: map.pSwitch, p_switch_lo: map.pSwitchLo, p_switch_hi: map.pSwitchHi,
      p_crossed: map.pCrossed, p_crossed_lo: map.pCrossedLo, p_crossed_hi: map.pCrossedHi, mean_first_crossing_ps: map.meanFirstCrossing, non_finite: map.nonFinite,
    });
    const g = [nT, nB];
    for (const [name, a] of [['p_switch', map.pSwitch], ['p_switch_lo', map.pSwitchLo], ['p_switch_hi', map.pSwitchHi], ['p_crossed', map.pCrossed],
      ['p_crossed_lo', map.pCrossedLo], ['p_crossed_hi', map.pCrossedHi], ['mean_first_crossing_ps', map.meanFirstCrossing]] as const) dir.writeNpy(`${name}.npy`, a, g);
    dir.writeNpy('fields_meV.npy', job.fields, [nB]);
    dir.writeNpy('temperatures_K.npy', job.temperatures, [nT]);
    const range = (a: Float64Array, u: string) => `${a[0]} … ${a[a.length - 1]} ${u} (${a.length} values)`;
    const params = `K = ${job.anisotropy} meV, α = ${job.alpha}, S = ${job.S}, ${job.time} ps, ${job.trajectories} trajectories/point`;
    dir.writeText('switching_map.svg', heatmap({
      title: `Switched at the end of the run (${params})`,
      xLabel: 'reversing field B (meV)', yLabel: 'temperature T (K)', x: job.fields, y: job.temperatures, values: map.pSwitch,
      colorLabel: 'switching probability p_switch (fraction)', domain: [0, 1],
      lines: [{ name: `Stoner–Wohlfarth field 2K = ${2 * job.anisotropy} meV`, x: [2 * job.anisotropy, 2 * job.anisotropy], y: [job.temperatures[0], job.temperatures[nT - 1]], dash: '6 4' }],
    }));
    dir.writeText('first_crossing_map.svg', heatmap({
      title: `Mean time of the first crossing of m_z = 0 (trajectories that crossed; ${params})`,
      xLabel: 'reversing field B (meV)', yLabel: 'temperature T (K)', x: job.fields, y: job.temperatures, values: map.meanFirstCrossing,
      colorLabel: 'mean first-crossing time (ps)',
    }));
    // every temperature (or 13 evenly spread ones on a finer grid), with Wilson intervals
    const cut = nT <= 13 ? Array.from({ length: nT }, (_, t) => t) : [...new Set(Array.from({ length: 13 }, (_, k) => Math.round((k * (nT - 1)) / 12)))];
    dir.writeText('switching_vs_field.svg', lineChart({
      title: `Switched at the end vs field, one curve per temperature (2K = ${2 * job.anisotropy} meV)`, height: 520,
      xLabel: 'reversing field B (meV)', yLabel: 'switching probability p_switch (fraction)', yDomain: [0, 1],
      series: cut.map(t => ({
        name: `T = ${job.temperatures[t].toFixed(2)} K`, x: job.fields, y: map.pSwitch.subarray(t * nB, (t + 1) * nB),
        yRange: { lo: map.pSwitchLo.subarray(t * nB, (t + 1) * nB), hi: map.pSwitchHi.subarray(t * nB, (t + 1) * nB) },
      })),
    }));
    const nonFinite = map.nonFinite.reduce((a, x) => a + x, 0);
    const manifest = {
      params: { ...job, fields: Array.from(job.fields), temperatures: Array.from(job.temperatures), steps, systems },
      backend: r.backend, adapter: r.adapter, seed: job.seed,
      timings: { integrationSeconds: r.seconds },
      tolerances: { pSwitch: 'Wilson score interval at 1σ (68.3 %) per point: p_switch_lo.npy … p_switch_hi.npy; the same for p_crossed' },
      extra: {
        spinStepsPerSecond: rate, nonFiniteTrajectories: nonFinite, resumedChunks: r.resumedChunks, mergedShards: r.shards, ...manifestExtra(target),
        definitions: {
          p_switch: 'fraction of trajectories whose final m_z < −1e-5 (reversed at the end of the run)',
          p_crossed: 'fraction of trajectories that crossed m_z = 0 (past the 1e-5 band) at least once',
          mean_first_crossing_ps: 'mean time of that first crossing over the trajectories that crossed (NaN if none)',
        },
      },
    };
    const report = {
      title: 'nanospin demo: thermal switching of a macrospin',
      warnings: nonFinite > 0 ? [`${nonFinite} trajectories ended non-finite and are left out of every statistic (non_finite column of switching.csv); lower --dt.`] : [],
      summary: {
        backend: r.backend, adapter: r.adapter, 'reversing field B': range(job.fields, 'meV'), 'temperature T': range(job.temperatures, 'K'),
        'trajectories per point': job.trajectories, 'systems': systems, seed: job.seed, 'steps × time step': `${steps} × ${job.dt} ps = ${job.time} ps`,
        'anisotropy K (meV)': job.anisotropy, 'Gilbert α': job.alpha, 'spin length S': job.S, 'initial tilt (rad)': job.tilt,
        'Stoner–Wohlfarth field 2K (meV)': 2 * job.anisotropy, 'integration time (s)': r.seconds,
        'spin-steps/s': Number.isFinite(rate) ? rate.toExponential(3) : r.shards.length ? `n/a (${r.shards.length} shards merged)` : `n/a (${r.resumedChunks} chunks resumed)`,
      },
      figures: [
        { title: 'Switching probability map', svgFile: 'switching_map.svg', caption: 'Fraction of trajectories reversed at the end of the run (final m_z < 0, starting near +z against the field −B ẑ); the dashed line is the T = 0 Stoner–Wohlfarth field 2K.' },
        { title: 'Cuts at fixed temperature', svgFile: 'switching_vs_field.svg', caption: 'p_switch vs reversing field, one curve per temperature, with Wilson intervals (1σ, honest at p = 0 and 1).' },
        { title: 'Mean first-crossing time', svgFile: 'first_crossing_map.svg', caption: 'Mean time at which m_z first crossed 0, over the trajectories that crossed at all (grey: none crossed). A crossing need not end reversed: compare p_crossed with p_switch in switching.csv.' },
      ],
    };
    return { manifest, report };
  });
}
