// Run nanospin commands in-process with stdout/stderr captured (shared by the CLI tests).
import { main } from '../src/cli.ts';

/** fn() with everything written to stdout and stderr meanwhile captured instead of printed. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  let out = '', err = '';
  const wo = process.stdout.write.bind(process.stdout), we = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try { return { value: await fn(), out, err }; } finally { process.stdout.write = wo; process.stderr.write = we; }
}

/** A command function (e.g. latticeCommand) on args: its exit code and output. */
export async function capture(fn: (argv: string[]) => Promise<number>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await captureOutput(() => fn(args));
  return { code: r.value, out: r.out, err: r.err };
}

/** The whole CLI (`nanospin …args`). */
export const cli = (args: string[]): Promise<{ code: number; out: string; err: string }> => capture(main, args);
