// The explorer's two maps, each exactly a CLI command: the page's inputs are that command's flags, the
// job is built from them as the command builds it, and the command's own run and writer functions
// compute it and fill the (in-memory) run directory. So the page and `nanospin <command> <flags>` give the
// same numbers on the same backend, and the page shows the command line that reproduces it.
//   switching: `nanospin demo` — macrospin switching map over reversing field × temperature
//              (reversalModel, LlgProblem.fromModel, llgKernel: src/runs/switchingMap.ts)
//   soc:       `nanospin switching soc-dimer` — free-spin orientation of the SOC dimer over (μ_F, V): couplings
//              kernel, Langevin ensemble and Fokker–Planck (src/runs/socLangevin.ts)
import type { Backend } from '../backends/index.ts';
import { parseAxis } from '../sweeps/grid.ts';
import { parseSweeps, sweepGrid } from '../sweeps/params.ts';
import { stepsFor } from '../llg/run.ts';
import { runSwitchingMap, writeSwitchingMap, type SwitchingMapJob } from '../runs/switchingMap.ts';
import { runSocLangevin, type SocLangevinJob } from '../runs/socLangevin.ts';
import { writeSocLangevin } from '../runs/socLangevinOutput.ts';
import { socDimer } from '../models/socDimer/params.ts';
import { spinModel, type Reading } from '../models/socDimer/spinModel.ts';
import { unit3 } from '../numerics/vec3.ts';
import { KB } from '../numerics/units.ts';
import { memoryRuns, type MemoryRun } from './shims/output.ts';

export interface ScalarParam {
  kind: 'number' | 'int' | 'enum';
  /** The command's flag (without --). */
  flag: string;
  label: string;
  unit?: string;
  /** Slider range (the number box takes anything the command accepts). */
  min?: number; max?: number; step?: number;
  values?: readonly string[];
  default: number | string;
}

export interface AxisParam {
  kind: 'axis';
  /** Axis name: the flag (demo: --fields) or the --sweep parameter (soc: --sweep muF=…). */
  name: string;
  via: 'flag' | 'sweep';
  label: string;
  unit: string;
  default: [number, number, number];
  /** Largest count the page offers. */
  maxCount: number;
}

export type Param = ScalarParam | AxisParam;
export type Values = Record<string, number | string | [number, number, number]>;

export interface MapDef {
  id: 'switching' | 'soc';
  title: string;
  description: string;
  /** The command's words. */
  command: string[];
  params: Param[];
  /** The files offered first: the table, the main array, the figure shown first. */
  csv: string; npy: string; figure: string;
  /** Spin-steps of a run (the CPU twin in a page takes only small maps). */
  cost(v: Values): number;
  /** Largest cost the float64 CPU twin runs in a page (it blocks the page while it runs). */
  cpuLimit: number;
  /** Check the values and run the map on `backend`; the run directory, in memory. */
  run(backend: Backend, v: Values, progress: (f: number, phase: string) => void): Promise<MemoryRun>;
}

const str = (x: number) => String(x);
const axisText = (a: [number, number, number]) => `${str(a[0])}:${str(a[1])}:${str(a[2])}`;

/** The command-line flags of the values (after the command's words), backend last. */
export function argvFor(def: MapDef, v: Values, backend: 'webgpu' | 'cpu'): string[] {
  const argv: string[] = [];
  for (const p of def.params) {
    const x = v[p.kind === 'axis' ? p.name : p.flag];
    if (p.kind === 'axis') argv.push(...(p.via === 'sweep' ? ['--sweep', `${p.name}=${axisText(x as [number, number, number])}`] : [`--${p.name}`, axisText(x as [number, number, number])]));
    else argv.push(`--${p.flag}`, typeof x === 'number' ? str(x) : String(x));
  }
  return [...argv, '--backend', backend];
}

export function defaults(def: MapDef): Values {
  return Object.fromEntries(def.params.map(p => [p.kind === 'axis' ? p.name : p.flag, p.kind === 'axis' ? [...p.default] as [number, number, number] : p.default]));
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const num = (v: Values, k: string) => v[k] as number;
const axis = (v: Values, k: string) => v[k] as [number, number, number];

/** `nanospin demo`'s job from its flag values (the same checks as src/cli/demo.ts). */
export function switchingJob(v: Values): SwitchingMapJob {
  const job: SwitchingMapJob = {
    fields: parseAxis(axisText(axis(v, 'fields')), '--fields'), temperatures: parseAxis(axisText(axis(v, 'temperatures')), '--temperatures'),
    trajectories: num(v, 'trajectories'), anisotropy: num(v, 'anisotropy'), S: num(v, 'S'), alpha: num(v, 'alpha'),
    tilt: num(v, 'tilt'), dt: num(v, 'dt'), time: num(v, 'time'), seed: num(v, 'seed'),
  };
  for (const B of job.fields) if (B < 0) throw new RangeError(`--fields: reversing field magnitudes must be ≥ 0 meV, got ${B}`);
  for (const T of job.temperatures) if (T < 0) throw new RangeError(`--temperatures must be ≥ 0 K, got ${T}`);
  if (!Number.isInteger(job.trajectories) || job.trajectories < 1) throw new RangeError(`--trajectories must be an integer ≥ 1, got ${job.trajectories}`);
  for (const k of ['anisotropy', 'S', 'alpha', 'dt', 'time'] as const) if (!(job[k] > 0)) throw new RangeError(`--${k} must be > 0, got ${job[k]}`);
  if (!(job.tilt >= 0 && job.tilt <= Math.PI / 2)) throw new RangeError(`--tilt must be in [0, π/2] rad, got ${job.tilt}`);
  if (!(Number.isInteger(job.seed) && job.seed >= 0)) throw new RangeError(`--seed must be an integer ≥ 0, got ${job.seed}`);
  stepsFor(job.time, job.dt);
  return job;
}

export const SWITCHING: MapDef = {
  id: 'switching',
  title: 'Macrospin switching map',
  description: 'Probability that a macrospin (easy axis z, started near +z) is reversed by a field −B ẑ at temperature T after the run: stochastic LLG, many trajectories per point. The T = 0 Stoner–Wohlfarth field is 2K.',
  command: ['demo'],
  params: [
    { kind: 'axis', name: 'fields', via: 'flag', label: 'reversing field B', unit: 'meV', default: [0, 3, 31], maxCount: 512 },
    { kind: 'axis', name: 'temperatures', via: 'flag', label: 'temperature T', unit: 'K', default: [0, 6, 13], maxCount: 512 },
    { kind: 'int', flag: 'trajectories', label: 'trajectories per point', min: 1, max: 4096, step: 1, default: 128 },
    { kind: 'number', flag: 'anisotropy', label: 'anisotropy K', unit: 'meV', min: 0.05, max: 5, step: 0.05, default: 1 },
    { kind: 'number', flag: 'alpha', label: 'Gilbert damping α', min: 0.01, max: 2, step: 0.01, default: 0.5 },
    { kind: 'number', flag: 'S', label: 'spin length S', min: 0.5, max: 10, step: 0.5, default: 1 },
    { kind: 'number', flag: 'tilt', label: 'initial tilt from +z', unit: 'rad', min: 0, max: 0.5, step: 0.01, default: 0.02 },
    { kind: 'number', flag: 'time', label: 'duration', unit: 'ps', min: 1, max: 500, step: 1, default: 100 },
    { kind: 'number', flag: 'dt', label: 'time step', unit: 'ps', min: 0.001, max: 0.05, step: 0.001, default: 0.01 },
    { kind: 'int', flag: 'seed', label: 'noise seed', min: 0, max: 1000, step: 1, default: 1 },
  ],
  csv: 'switching.csv', npy: 'p_switch.npy', figure: 'switching_map.svg',
  cost: v => axis(v, 'fields')[2] * axis(v, 'temperatures')[2] * num(v, 'trajectories') * Math.round(num(v, 'time') / num(v, 'dt')),
  cpuLimit: 2e7,
  async run(backend, v, progress) {
    const job = switchingJob(v);
    progress(0, 'stochastic LLG');
    const map = await runSwitchingMap(backend, job, f => progress(f, 'stochastic LLG'));
    progress(1, 'writing the run directory');
    const out = await writeSwitchingMap({ out: `demo-${stamp()}`, overwrite: false, command: ['demo', ...argvFor(SWITCHING, v, backend.name)] }, job, map);
    return memoryRuns.get(out)!;
  },
};

/** k_BT = 0.02 meV: the lead temperature `switching soc-dimer` defaults to (its T ~ 0 floor). */
const SOC_T_FLOOR_K = 0.02 / KB;

/** `nanospin switching soc-dimer`'s job from its flag values (as src/cli/socDimer.ts builds it; axes V slowest). */
export function socJob(v: Values) {
  const specs = [`muF=${axisText(axis(v, 'muF'))}`, `V=${axisText(axis(v, 'V'))}`];
  const axes = parseSweeps(specs, ['muF', 'V'], 1 << 22).sort((a, b) => (a.name === 'V' ? -1 : b.name === 'V' ? 1 : 0));
  const model = socDimer({ t: num(v, 't'), TL: num(v, 'T') });
  const spins = spinModel({ S: num(v, 'S'), Delta: num(v, 'Delta'), reading: v.reading as Reading, B: num(v, 'B') });
  const points = sweepGrid(axes).map(g => ({ muF: g.muF, V: g.V }));
  const time = num(v, 'time'), averageFrom = num(v, 'average-from');
  if (averageFrom >= time) throw new RangeError(`--average-from must be < --time (${time} ps), got ${averageFrom}`);
  const job: SocLangevinJob = {
    model, setup: { spins, tHat: model.tHat, pinned: true, m1: unit3([0, 0, 1], '--m1'), init2: unit3([0, 0, -1], '--init') },
    points, trajectories: num(v, 'trajectories'), dt: num(v, 'dt'), time, averageFrom, seed: num(v, 'seed'),
  };
  stepsFor(time, job.dt);
  return { job, axes };
}

export const SOC: MapDef = {
  id: 'soc',
  title: 'SOC dimer: free-spin orientation',
  description: 'Seed 001: the biased spin dimer with spin-orbit hopping, spin 1 pinned along +z. Mean orientation of the free spin over Fermi level μ_F × bias V from the Langevin ensemble (couplings from the coupling-map kernel), beside the Fokker–Planck approximation and their difference.',
  command: ['switching', 'soc-dimer'],
  params: [
    { kind: 'axis', name: 'muF', via: 'sweep', label: 'Fermi level μ_F', unit: 'meV', default: [-6, 6, 16], maxCount: 256 },
    { kind: 'axis', name: 'V', via: 'sweep', label: 'bias V', unit: 'mV', default: [-10, 10, 16], maxCount: 256 },
    { kind: 'int', flag: 'trajectories', label: 'trajectories per point', min: 1, max: 2048, step: 1, default: 64 },
    { kind: 'number', flag: 't', label: 'SOC hopping t', unit: 'meV', min: 0, max: 2, step: 0.05, default: 0.1 },
    { kind: 'number', flag: 'B', label: 'Zeeman field B', unit: 'T', min: -2, max: 2, step: 0.01, default: 0.1 },
    { kind: 'number', flag: 'Delta', label: 's-d exchange Δ', unit: 'meV', min: 0, max: 20, step: 0.5, default: 5 },
    { kind: 'number', flag: 'S', label: 'spin length S', min: 0.5, max: 10, step: 0.5, default: 2.5 },
    { kind: 'enum', flag: 'reading', label: 'normalisation reading', values: ['physical', 'literal'], default: 'physical' },
    { kind: 'number', flag: 'T', label: 'lead temperature T', unit: 'K', min: 0, max: 20, step: 0.01, default: SOC_T_FLOOR_K },
    { kind: 'number', flag: 'time', label: 'duration', unit: 'ps', min: 1, max: 200, step: 1, default: 40 },
    { kind: 'number', flag: 'average-from', label: 'time average from', unit: 'ps', min: 0, max: 199, step: 1, default: 10 },
    { kind: 'number', flag: 'dt', label: 'time step', unit: 'ps', min: 0.005, max: 0.1, step: 0.005, default: 0.02 },
    { kind: 'int', flag: 'seed', label: 'noise seed', min: 0, max: 1000, step: 1, default: 1 },
  ],
  csv: 'points.csv', npy: 'langevin_m.npy', figure: 'langevin_mz.svg',
  cost: v => axis(v, 'muF')[2] * axis(v, 'V')[2] * num(v, 'trajectories') * Math.round(num(v, 'time') / num(v, 'dt')) * 2,
  cpuLimit: 4e6,
  async run(backend, v, progress) {
    const { job, axes } = socJob(v);
    progress(0, 'couplings (Eq. A24) and Fokker–Planck');
    const r = await runSocLangevin(backend, job, f => progress(f, 'Langevin ensemble'));
    progress(1, 'writing the run directory');
    const out = await writeSocLangevin('switching', { out: `switching-soc-dimer-${stamp()}`, overwrite: false, command: ['switching', 'soc-dimer', ...argvFor(SOC, v, backend.name)] }, job, axes, r);
    return memoryRuns.get(out)!;
  },
};

export const MAPS: MapDef[] = [SWITCHING, SOC];
