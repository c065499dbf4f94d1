// nanospin command line: `nanospin <command> [flags]`, routed through the table in cli/commands.ts.
import { UsageError, closest } from './cli/args.ts';
import { NoAdapterError } from './backends/index.ts';
import { OutputError } from './io/runDir.ts';
import { COMMANDS, commandGroup, findCommand, usageText } from './cli/commands.ts';
import { DryRun, RunFailure, setDryRun } from './runs/output.ts';

function groupHelp(word: string): string {
  const subs = commandGroup(word);
  return `nanospin ${word}: one of\n${subs.map(c => `  nanospin ${c.path.join(' ')}  —  ${c.summary}`).join('\n')}\n(nanospin ${word} <system> --help for its flags)\n`;
}

export async function main(args: string[]): Promise<number> {
  // --dry-run before the command: parse and check everything, compute and write nothing
  const dry = args[0] === '--dry-run';
  const argv = dry ? args.slice(1) : args;
  setDryRun(dry);
  const [cmd] = argv;
  try {
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
