// The README's commands, as written: every `npx nanospin …` line of its sh blocks is parsed and checked by the
// CLI itself (`nanospin --dry-run …`: flags, ranges, config files, sweep sizes, output location; nothing is
// computed), so an example that drifts from the CLI fails here. Benchmarks and commands that write no run
// directory are only checked to exist (their --help).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cli } from './cliHarness.ts';
import { findCommand } from '../src/cli/commands.ts';

const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

/** The commands of the README's sh blocks (continuation lines joined, comments dropped), as argv after `nanospin`. */
function readmeCommands(): string[][] {
  const out: string[][] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1].replace(/\\\n/g, ' ').split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      const m = /^(?:npx )?nanospin\s+(.*)$/.exec(line);
      if (m) out.push(m[1].split(/\s+/).filter(Boolean));
    }
  }
  return out;
}

const NO_RUN_DIR = new Set(['bench', 'info', 'web', 'cluster', 'merge', 'rerun']);

describe('README commands', () => {
  const cmds = readmeCommands();
  it('the README has examples for the commands', () => {
    expect(cmds.length).toBeGreaterThan(10);
  });
  for (const argv of cmds) {
    it(`nanospin ${argv.join(' ')}`, async () => {
      const found = findCommand(argv);
      expect(found, `'${argv.slice(0, 2).join(' ')}' is not a command`).toBeDefined();
      if (NO_RUN_DIR.has(argv[0])) {
        const r = await cli([...found!.entry.path, '--help']);
        expect(r.code, r.err).toBe(0);
        return;
      }
      const r = await cli(['--dry-run', ...argv]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/dry run: .* is valid; it would write/);
    });
  }
});
