// Run the nanospin CLI in-process with stdout/stderr captured (shared by the CLI tests).
import { main } from '../src/cli.ts';

export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const wo = process.stdout.write.bind(process.stdout), we = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try { return { code: await main(args), out, err }; } finally { process.stdout.write = wo; process.stderr.write = we; }
}
