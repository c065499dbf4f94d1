// What an LLG command will cost, checked from its flags before anything is allocated or computed: the
// trajectory count (u32 noise counters), the step count (u32), the host memory of its parameter
// points (rows, couplings, per-point results) and, with keepTrajectories, of every trajectory. A
// refusal names the flags to change; the estimate itself is printed by the command.
import { totalmem } from 'node:os';
import { keptTrajectoryBytes } from '../llg/run.ts';

export interface LlgBudget {
  points: number;
  trajectoriesPerPoint: number;
  spins: number;
  steps: number;
  /** Host bytes per parameter point (its row and whatever the command keeps per point). */
  bytesPerPoint: number;
  /** Every trajectory's results are kept (per-system tables). */
  keepTrajectories?: boolean;
  /** The flags that set the number of points, of trajectories per point, and of steps, as the user would change them. */
  flags: { points: string; trajectories: string; steps: string };
}

export interface LlgEstimate { trajectories: number; spinSteps: number; hostBytes: number }

const MAX_TRAJECTORIES = 0xffffffff, MAX_STEPS = 0xffffffff - 1;

/** Throws a RangeError naming the flags when the run cannot be done; returns its size otherwise. */
export function checkLlgBudget(b: LlgBudget): LlgEstimate {
  const N = b.points * b.trajectoriesPerPoint;
  if (N > MAX_TRAJECTORIES) throw new RangeError(`${b.flags.points} × ${b.flags.trajectories}: ${b.points} points × ${b.trajectoriesPerPoint} trajectories = ${N.toExponential(3)} trajectories, more than the ${MAX_TRAJECTORIES} one run can number; lower ${b.flags.trajectories} or the number of points`);
  if (!(b.steps <= MAX_STEPS)) throw new RangeError(`${b.flags.steps}: ${b.steps.toExponential(3)} steps, more than the ${MAX_STEPS} one run can count; raise --dt or shorten --time`);
  const hostBytes = b.points * b.bytesPerPoint + (b.keepTrajectories ? keptTrajectoryBytes(N, b.spins) : 0);
  const have = totalmem();
  if (hostBytes > 0.5 * have) {
    const what = [...new Set(b.keepTrajectories ? [b.flags.points, b.flags.trajectories] : [b.flags.points])].join(' and ');
    throw new RangeError(`${what}: the run needs about ${(hostBytes / 2 ** 30).toFixed(1)} GiB of host memory (${b.points} point${b.points > 1 ? 's' : ''}${b.keepTrajectories ? ` × ${b.trajectoriesPerPoint} trajectories, every trajectory's results kept` : ''}), more than half of this machine's ${(have / 2 ** 30).toFixed(1)} GiB; lower ${what}`);
  }
  return { trajectories: N, spinSteps: N * b.spins * b.steps, hostBytes };
}

/** One line for stderr: the run's size. */
export function describeEstimate(e: LlgEstimate): string {
  const mb = e.hostBytes / 2 ** 20;
  return `${e.trajectories} trajectories, ${e.spinSteps.toExponential(2)} spin-steps, host memory ≈ ${mb < 10 ? mb.toFixed(1) : mb.toFixed(0)} MiB`;
}
