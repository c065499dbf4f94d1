// The sweep command a cluster recipe runs: what follows `--` on `nanospin cluster slurm|k8s … -- <command…>`,
// checked before any script is written (a typo found on the cluster costs N failed array tasks). Every
// sweep command accepts `--shard k/N` (the k-th of N disjoint parts, written to its own run directory) and
// `nanospin merge DIR… --out DIR` combines complete shards; the recipes only arrange those two steps.
import { UsageError, closest } from '../cli/args.ts';
import { COMMANDS, findCommand, type CommandEntry } from '../cli/commands.ts';
import { shellQuote } from '../io/manifest.ts';

/**
 * A command whose runs are parameter sweeps, and so take `--shard k/N` (see the header): one the command table
 * gives a merge (the writer of the whole sweep from its shards' arrays). Benchmarks, `info`, plain `llg` (one
 * ensemble, no grid) and the run-management commands have none.
 */
export function isSweepCommand(path: readonly string[]): boolean {
  const entry = COMMANDS.find(c => c.path.length === path.length && c.path.every((w, i) => w === path[i]));
  return entry?.merge !== undefined;
}

/** Every registered sweep command, as its words ('switching soc-dimer'). */
export function sweepCommands(): string[] {
  return COMMANDS.filter(c => isSweepCommand(c.path)).map(c => c.path.join(' '));
}

/** Flags the recipe sets itself (per shard) and so refuses in the forwarded command, with why. */
const OWNED: Record<string, string> = {
  out: "the recipe writes shard k to BASE.shard-k and the merged run to BASE: give BASE as --out before '--', not in the command",
  shard: 'the recipe gives every task its own --shard k/N',
  resume: 'a shard resumes by running again with the same --out (resubmit the failed shards)',
  help: "drop --help (for the command's flags run: nanospin <command> --help)",
};

export interface SweepCommand {
  entry: CommandEntry;
  /** The command's words, e.g. ['switching', 'soc-dimer']. */
  words: string[];
  /** Its flags as given, forwarded unchanged to every shard. */
  flags: string[];
}

/** Split `[own flags…] -- <command…>`; `who` is e.g. 'cluster slurm' (for messages). */
export function splitAtDoubleDash(argv: string[], who: string): { own: string[]; command: string[] } {
  const i = argv.indexOf('--');
  const example = `nanospin ${who} --shards 8 --out runs/map -- switching soc-dimer --trajectories 512`;
  if (i < 0) {
    if (argv.includes('--help') || argv.includes('-h')) return { own: argv, command: [] };
    throw new UsageError(`${who}: put the sweep command after '--', e.g. ${example}`);
  }
  const command = argv.slice(i + 1);
  if (command.length === 0) throw new UsageError(`${who}: nothing after '--'; give the sweep command, e.g. ${example}`);
  return { own: argv.slice(0, i), command };
}

/** Resolve and check the forwarded command (see OWNED for the flags it may not carry). */
export function sweepCommand(command: string[], who: string): SweepCommand {
  for (const a of command) {
    if (/[\n\r\0]/.test(a)) throw new UsageError(`${who}: the argument ${JSON.stringify(a)} contains a line break or NUL; the job scripts cannot carry it`);
  }
  const found = findCommand(command);
  const list = sweepCommands();
  if (!found) {
    const words = command.filter(a => !a.startsWith('-')).slice(0, 2).join(' ');
    const near = closest(words, list) ?? closest(command[0], list.map(c => c.split(' ')[0]));
    throw new UsageError(`${who}: '${words || command[0]}' is not a nanospin command${near ? ` (did you mean '${near}'?)` : ''}; sweep commands: ${list.join(', ')}`);
  }
  const { entry, rest } = found;
  if (!isSweepCommand(entry.path)) {
    throw new UsageError(`${who}: '${entry.path.join(' ')}' is not a sweep command, so it cannot be split into shards; sweep commands: ${list.join(', ')}`);
  }
  for (const a of rest) {
    const m = /^--([^=]+)/.exec(a);
    if (m && OWNED[m[1]]) throw new UsageError(`${who}: --${m[1]} in the command: ${OWNED[m[1]]}`);
  }
  return { entry, words: [...entry.path], flags: [...rest] };
}

/** The command as one POSIX shell line (every argument quoted where needed). */
export function commandText(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A default job name from the command words: nanospin-switching-soc-dimer. */
export function defaultJobName(words: readonly string[]): string {
  return `nanospin-${words.join('-')}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 50).replace(/-$/, '');
}
