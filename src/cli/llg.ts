// `nanospin llg`: flags (or a JSON cluster config) → LlgJob → run → JSON summary and run directory.
import { readFileSync } from 'node:fs';
import { stepsFor } from '../llg/run.ts';
import { checkLlgBudget } from '../runs/budget.ts';

/** Trajectory recordings larger than this (bytes) need --force. */
const RECORD_LIMIT = 256 * 2 ** 20;
import { parseFlags, helpText, UsageError, type FlagSchema, runDirFlags } from './args.ts';
import { outputTarget } from '../runs/output.ts';
import { openBackend, type BackendRequest } from '../backends/index.ts';
import { fastestPrecession, runLlgJob, writeLlgRun, type LlgJob } from '../runs/llg.ts';
import { progressReporter } from '../runs/progress.ts';
import { validateCluster, type ClusterSpec } from '../models/macrospin.ts';
import type { SpinSpec } from '../llg/model.ts';

type V3 = [number, number, number];

export const LLG_FLAGS: FlagSchema = {
  systems: { type: 'int', help: 'number of independent systems (trajectories)', min: 1, max: 2 ** 26, default: 4096 },
  spins: { type: 'int', help: 'spins per system built from flags (1 macrospin, 2 dimer)', min: 1, max: 2, default: 1 },
  S: { type: 'number', help: 'spin length S', min: 0, minOpen: true, default: 1 },
  alpha: { type: 'number', help: 'Gilbert damping α', min: 0, max: 100, default: 0.1 },
  temperature: { type: 'number', unit: 'K', help: 'bath temperature T', min: 0, max: 1e5, default: 0 },
  field: { type: 'vec3', unit: 'meV', help: 'Zeeman field B (energy −B·m), same on every spin', default: [0, 0, 0] },
  anisotropy: { type: 'number', unit: 'meV', help: 'uniaxial anisotropy K (energy −K(m·n)²; K<0: easy plane)', default: 0 },
  'easy-axis': { type: 'vec3', help: 'anisotropy axis n, also the switching axis', default: [0, 0, 1] },
  init: { type: 'vec3', help: 'initial orientation of spin 1', default: [0, 0, 1] },
  init2: { type: 'vec3', help: 'initial orientation of spin 2 (dimer; default: same as --init)' },
  J: { type: 'number', unit: 'meV', help: 'isotropic exchange J of the dimer (energy −J m1·m2; J>0 parallel)', default: 0 },
  dmi: { type: 'vec3', unit: 'meV', help: 'DM vector D of the dimer (energy −D·(m1×m2))', default: [0, 0, 0] },
  pin: { type: 'string', help: 'comma-separated indices (0-based) of pinned spins, e.g. 0' },
  config: { type: 'string', help: 'JSON cluster config {temperature, spins:[…], couplings:[…], damping?, noiseCovariance?} instead of the physics flags' },
  dt: { type: 'number', unit: 'ps', help: 'time step', min: 0, minOpen: true, max: 10, default: 0.01 },
  time: { type: 'number', unit: 'ps', help: 'duration of the run', min: 0, minOpen: true, default: 200 },
  'average-from': { type: 'number', unit: 'ps', help: 'start of the time-average window (default: half of --time)', min: 0 },
  seed: { type: 'int', help: 'noise seed', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'compute backend', default: 'auto' },
  record: { type: 'int', help: 'number of systems whose trajectories are recorded', min: 0, max: 64, default: 4 },
  'record-every': { type: 'number', unit: 'ps', help: 'trajectory sampling interval (default: --time/500)', min: 0, minOpen: true },
  force: { type: 'bool', help: `run with ω·dt > 1 (an inaccurate step) or write a trajectory recording larger than ${256} MiB` },
  ...runDirFlags('llg', 'print the summary as one JSON object on stdout'),
};

const PHYSICS_FLAGS = ['spins', 'S', 'alpha', 'temperature', 'field', 'anisotropy', 'easy-axis', 'init', 'init2', 'J', 'dmi', 'pin'];

function clusterFromFlags(v: Record<string, unknown>): ClusterSpec {
  const K = v.spins as number;
  const pinned = new Set<number>();
  if (v.pin !== undefined) for (const p of String(v.pin).split(',')) {
    const i = Number(p);
    if (!Number.isInteger(i) || i < 0 || i >= K) throw new UsageError(`--pin takes spin indices in [0, ${K - 1}], got '${p}'`);
    pinned.add(i);
  }
  if (pinned.size === K) throw new UsageError(`--pin ${v.pin}: every spin would be pinned (nothing moves); leave at least one of the ${K} spin${K > 1 ? 's' : ''} free`);
  if (K === 1 && (v.J !== 0 || (v.dmi as V3).some(x => x !== 0) || v.init2 !== undefined)) throw new UsageError('--J, --dmi and --init2 need --spins 2');
  const spin = (i: number): SpinSpec => ({
    S: v.S as number, alpha: v.alpha as number, field: v.field as V3, anisotropy: v.anisotropy as number,
    easyAxis: v['easy-axis'] as V3, init: (i === 1 && v.init2 ? v.init2 : v.init) as V3, pinned: pinned.has(i),
  });
  return {
    temperature: v.temperature as number,
    spins: Array.from({ length: K }, (_, i) => spin(i)),
    couplings: K === 2 ? [{ i: 0, j: 1, J: v.J as number, D: v.dmi as V3 }] : [],
  };
}

function clusterFromConfig(path: string): ClusterSpec {
  let c: unknown;
  try { c = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new UsageError(`--config ${path}: ${(e as Error).message}`); }
  try { return validateCluster(c, `--config ${path}`); } catch (e) { throw new UsageError((e as Error).message); }
}

export function llgJobFromFlags(argv: string[]): { job: LlgJob; backend: BackendRequest; out: string; overwrite: boolean; json: boolean; quiet: boolean } | 'help' {
  const { values: v, given } = parseFlags(argv, LLG_FLAGS, 'llg');
  if (v.help) return 'help';
  let cluster: ClusterSpec;
  if (v.config !== undefined) {
    const clash = PHYSICS_FLAGS.filter(f => given.has(f));
    if (clash.length) throw new UsageError(`--config replaces the physics flags; remove ${clash.map(f => `--${f}`).join(', ')} or put them in the config`);
    cluster = clusterFromConfig(String(v.config));
  } else {
    cluster = clusterFromFlags(v);
  }
  const time = v.time as number, dt = v.dt as number;
  if (dt > time) throw new UsageError(`--dt (${dt} ps) must be ≤ --time (${time} ps)`);
  let steps: number;
  try { steps = stepsFor(time, dt); } catch (e) { throw new UsageError((e as Error).message); }
  const averageFrom = (v['average-from'] as number | undefined) ?? time / 2;
  if (averageFrom >= time) throw new UsageError(`--average-from must be < --time (${time} ps), got ${averageFrom}`);
  // the default sampling interval is a whole number of steps of ~time/500; a given one must be one too
  const every = (v['record-every'] as number | undefined) ?? dt * Math.max(1, Math.round(time / 500 / dt));
  const stride = Math.round(every / dt);
  if (given.has('record-every')) {
    if (stride < 1 || Math.abs(stride * dt - every) > 1e-9 * every) throw new UsageError(`--record-every (${every} ps) must be a whole number of --dt steps (${dt} ps)`);
    if (every > time) throw new UsageError(`--record-every (${every} ps) must be ≤ --time (${time} ps)`);
  }
  // Heun is accurate only for ω·dt ≲ 0.5: a step far beyond that gives garbage (or NaN), refuse it now
  const { omega, spin } = fastestPrecession(cluster);
  if (omega * dt > 1 && !v.force) {
    throw new UsageError(`--dt ${dt} ps is too large: the fastest precession (spin ${spin}: ω = |B_eff|/ħS ≈ ${omega.toExponential(2)} rad/ps, from the field, anisotropy, exchange and spin length S) gives ω·dt ≈ ${(omega * dt).toExponential(2)}, and Heun needs ω·dt ≲ 0.5; use --dt ≤ ${(0.5 / omega).toPrecision(2)} ps (or check --field and --S), or pass --force`);
  }
  const systems = v.systems as number, recorded = Math.min(v.record as number, systems);
  // every trajectory's results are kept for systems.csv: refuse what would not fit, before any work
  try {
    checkLlgBudget({ points: 1, trajectoriesPerPoint: systems, spins: cluster.spins.length, steps, bytesPerPoint: 0, keepTrajectories: true,
      flags: { points: '--systems', trajectories: '--systems', steps: '--time/--dt' } });
  } catch (e) { throw new UsageError((e as Error).message); }
  // the recorded trajectories are written out whole: refuse a huge file unless --force
  const recordBytes = recorded * (Math.floor(steps / Math.max(1, stride)) + 1) * cluster.spins.length * 3 * 8;
  if (recordBytes > RECORD_LIMIT && !v.force) {
    throw new UsageError(`--record ${recorded} with --record-every ${every} ps over --time ${time} ps writes ${(recordBytes / 2 ** 20).toFixed(0)} MiB of trajectories (more than ${RECORD_LIMIT / 2 ** 20} MiB); record fewer systems, sample less often, or pass --force`);
  }
  const job: LlgJob = {
    systems: v.systems as number, cluster, dt, time, averageFrom, seed: v.seed as number,
    record: { systems: recorded, every },
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { job, backend: v.backend as BackendRequest, out: (v.out as string | undefined) ?? `runs/llg-${stamp}`, overwrite: !!v.overwrite, json: !!v.json, quiet: !!v.quiet };
}

/** The exact reference in one line: measured, exact, deviation in standard errors; and its warning. */
function exactLine(e: Record<string, number | string> | undefined): string {
  if (!e) return '';
  const warn = e.warning ? `warning: ${e.warning}\n` : '';
  if ('mn' in e) {
    const se = e.mnStderr as number | undefined, dev = e.deviationSigma as number | undefined;
    return `exact (${e.quantity}): ⟨m·n⟩ = ${(e.mn as number).toFixed(5)}; measured ${(e.mnMeasured as number).toFixed(5)}${se !== undefined ? ` ± ${se.toFixed(5)}` : ''}${dev !== undefined && Number.isFinite(dev) ? ` (${dev.toFixed(2)} standard errors)` : ''}\n${warn}`;
  }
  return `exact (${e.quantity}): (${(e.mx as number).toFixed(5)}, ${(e.my as number).toFixed(5)}, ${(e.mz as number).toFixed(5)}), max |measured − exact| ${(e.maxAbsDeviation as number).toExponential(2)}\n${warn}`;
}

export async function llgCommand(argv: string[]): Promise<number> {
  const parsed = llgJobFromFlags(argv);
  if (parsed === 'help') { process.stdout.write(helpText('llg', 'stochastic LLG ensemble of a macrospin or a small cluster', LLG_FLAGS)); return 0; }
  const target = outputTarget(parsed.out, parsed.overwrite, 'llg', ['llg', ...argv]);
  const backend = await openBackend(parsed.backend);
  try {
    if (!parsed.quiet) process.stderr.write(`llg: ${parsed.job.systems} systems × ${parsed.job.cluster.spins.length} spin(s), ${Math.round(parsed.job.time / parsed.job.dt)} steps on ${backend.name} (${backend.adapter})\n`);
    const { result, summary } = await runLlgJob(backend, parsed.job, progressReporter('llg', parsed.quiet));
    const dir = await writeLlgRun(target, parsed.job, result, summary);
    if (parsed.json) process.stdout.write(JSON.stringify({ ...summary, out: dir }) + '\n');
    else {
      const f = (x: number) => x.toFixed(5);
      process.stdout.write(`backend ${summary.backend} (${summary.adapter})\n` +
        `systems ${summary.systems}, steps ${summary.steps}, dt ${summary.dt} ps\n` +
        `mean m (spin ${summary.spin}, t ≥ ${summary.averageFrom} ps) = (${f(summary.mean.mx)}, ${f(summary.mean.my)}, ${f(summary.mean.mz)}) ± (${f(summary.stderr.mx)}, ${f(summary.stderr.my)}, ${f(summary.stderr.mz)})\n` +
        `final m = (${f(summary.final.mx)}, ${f(summary.final.my)}, ${f(summary.final.mz)}), switched fraction ${summary.switched}\n` +
        exactLine(summary.exact) +
        `${summary.seconds.toFixed(3)} s, ${summary.spinStepsPerSecond.toExponential(3)} spin-steps/s\nrun directory: ${dir}\n`);
    }
    return 0;
  } finally {
    backend.close();
  }
}
