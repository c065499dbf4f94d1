// nanospin command line: `nanospin <command> [flags]`, routed through the table in cli/commands.ts.
import { UsageError, closest } from './cli/args.ts';
import { NoAdapterError } from './backends/index.ts';
import { OutputError } from './io/runDir.ts';
import { COMMANDS, commandGroup, findCommand, usageText } from './cli/commands.ts';
import { DryRun, RunFailure, setDryRun } from './runs/output.ts';
import { setShard } from './runs/sweepRun.ts';
import { parseShard, unfinishedCommand } from './sweeps/chunked.ts';

/** Pull `--name value` / `--name=value` out of argv (the sweep-level flags every sweep command takes). */
function takeFlag(argv: string[], name: string): { value?: string; rest: string[] } {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) {
      if (value !== undefined) throw new UsageError(`--${name} given twice`);
      value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    } else if (a.startsWith(`--${name}=`)) {
      if (value !== undefined) throw new UsageError(`--${name} given twice`);
      value = a.slice(name.length + 3);
    } else rest.push(a);
  }
  return { value, rest };
}

function groupHelp(word: string): string {
  const subs = commandGroup(word);
  return `nanospin ${word}: one of\n${subs.map(c => `  nanospin ${c.path.join(' ')}  —  ${c.summary}`).join('\n')}\n(nanospin ${word} <system> --help for its flags)\n`;
}

export async function main(args: string[]): Promise<number> {
  // --dry-run before the command: parse and check everything, compute and write nothing
  const dry = args[0] === '--dry-run';
  let argv = dry ? args.slice(1) : args;
  setDryRun(dry);
  setShard(undefined);
  try {
    // sweep-level flags are read before a `--` (after it, e.g. in `cluster … -- <command>`, they belong to another command)
    const dash = argv.indexOf('--');
    const tail = dash >= 0 ? argv.slice(dash) : [];
    argv = dash >= 0 ? argv.slice(0, dash) : argv;
    // --resume DIR: the command recorded with the unfinished chunks, into the same directory
    const resume = takeFlag(argv, 'resume');
    if (resume.value !== undefined) {
      const recorded = unfinishedCommand(resume.value);
      const given = resume.rest.filter(a => a !== '--quiet' && a !== '--json');
      if (given.length && !recorded.slice(0, given.length).every((w, i) => w === given[i])) {
        throw new UsageError(`--resume ${resume.value}: the unfinished run there is 'nanospin ${recorded.join(' ')}'; give --resume alone (other flags would change the run)`);
      }
      argv = [...recorded, ...resume.rest.filter(a => a === '--quiet' || a === '--json'), '--out', resume.value];
    }
    // --shard k/N: the k-th of N parts of a sweep command
    const shardFlag = takeFlag(argv, 'shard');
    if (shardFlag.value !== undefined) {
      const entry = findCommand(shardFlag.rest)?.entry;
      if (entry && !entry.merge) throw new UsageError(`--shard: 'nanospin ${entry.path.join(' ')}' is not a resumable sweep command; the sweep commands are: ${COMMANDS.filter(c => c.merge).map(c => c.path.join(' ')).join(', ')}`);
      try { setShard(parseShard(shardFlag.value)); } catch (e) { throw new UsageError((e as Error).message); }
      argv = shardFlag.rest;
    }
    argv = [...argv, ...tail];
    const dryEntry = dry ? findCommand(argv)?.entry : undefined;
    if (dryEntry && (dryEntry.path[0] === 'bench' || dryEntry.path[0] === 'info')) {
      throw new UsageError(`--dry-run: 'nanospin ${dryEntry.path.join(' ')}' measures this machine and writes no run directory, so there is nothing to check without running it; drop --dry-run`);
    }
    const [cmd] = argv;
    if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
      const { packageVersion, gitCommit } = await import('./io/manifest.ts');
      const commit = gitCommit();
      process.stdout.write(`nanospin ${packageVersion()}${commit ? ` (git ${commit})` : ''}, node ${process.version}\n`);
      return 0;
    }
    if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      process.stdout.write(usageText());
      return cmd === undefined ? 2 : 0;
    }
    const found = findCommand(argv);
    const group = commandGroup(cmd);
    // a group word alone (`switching`), or followed by something that is not one of its systems
    if (!found) {
      if (group.length === 0) {
        const near = closest(cmd, [...new Set(COMMANDS.map(c => c.path[0]))]);
        throw new UsageError(`unknown command '${cmd}'${near ? ` (did you mean '${near}'?)` : ''}\n\n${usageText()}`);
      }
      const sub = argv[1];
      if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
        process.stdout.write(groupHelp(cmd));
        return sub === undefined ? 2 : 0;
      }
      const systems = group.map(c => c.path[1]).filter((s): s is string => s !== undefined);
      const near = sub.startsWith('--') ? systems[0] : closest(sub, systems) ?? systems[0];
      throw new UsageError(`${cmd}: ${sub.startsWith('--') ? `missing system before '${sub}'` : `unknown system '${sub}'`}; available: ${systems.join(', ')} (did you mean 'nanospin ${cmd} ${near}'?)`);
    }
    return await found.entry.run(found.rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError || e instanceof NoAdapterError || e instanceof OutputError) {
      process.stderr.write(`nanospin: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DryRun) { process.stdout.write(`nanospin: ${e.message}\n`); return 0; }
    if (e instanceof RunFailure) { process.stderr.write(`nanospin: ${e.message}\n`); return 1; }
    process.stderr.write(`nanospin: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}
