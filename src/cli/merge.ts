// `nanospin merge DIR… --out DIR`: join the shards of one sweep (each run with --shard k/N) into the run
// directory the unsharded command would have written: the shards must come from the same command and
// version, be complete, and cover the sweep's points exactly once (every part of it, for a command that runs
// several sweeps).
import { parseFlags, helpText, UsageError, type FlagSchema } from './args.ts';
import { findCommand } from './commands.ts';
import { outputTarget } from '../runs/output.ts';
import { readShardDir, withSweepFile, type ShardDir, type SweepInfo } from '../runs/sweepRun.ts';
import { partArray, shardRange, splitChunk, type ChunkData } from '../sweeps/chunked.ts';

const FLAGS: FlagSchema = {
  out: { type: 'string', help: 'the merged run directory (required)' },
  overwrite: { type: 'bool', help: 'replace --out if it is a nanospin run directory' },
  json: { type: 'bool', help: 'print a JSON summary on stdout' },
  quiet: { type: 'bool', help: 'no progress on stderr' },
  help: { type: 'bool', help: 'show this help' },
};

const SUMMARY = 'join the shard directories of one sweep (run with --shard k/N) into the run directory of the whole sweep';

const partsText = (s: ShardDir) => JSON.stringify(s.parts.map(p => [p.key, p.points, p.widths]));

/** Check that the shards belong together and cover the sweep once; returns them ordered by k. */
export function checkShards(shards: ShardDir[]): ShardDir[] {
  const [a] = shards;
  for (const s of shards) {
    const same = JSON.stringify(s.identity.command) === JSON.stringify(a.identity.command);
    if (!same) throw new UsageError(`merge: ${s.dir} is a shard of 'nanospin ${s.identity.command.join(' ')}', but ${a.dir} of 'nanospin ${a.identity.command.join(' ')}': shards of different commands do not merge`);
    if (s.identity.version !== a.identity.version) throw new UsageError(`merge: ${s.dir} was written by nanospin ${s.identity.version}, ${a.dir} by ${a.identity.version}: rerun the shards with one version`);
    const points = (x: ShardDir) => x.parts.map(p => `${p.key ? `${p.key}: ` : ''}${p.points}`).join(', ');
    if (s.N !== a.N || partsText(s) !== partsText(a)) throw new UsageError(`merge: ${s.dir} is shard ${s.k}/${s.N} of ${points(s)} points, ${a.dir} shard ${a.k}/${a.N} of ${points(a)}: not the same split`);
    for (const p of s.parts) {
      const want = shardRange(p.points, { k: s.k, N: s.N });
      if (p.first !== want.first || p.count !== want.count) throw new UsageError(`merge: ${s.dir} covers points [${p.first}, ${p.first + p.count})${p.key ? ` of '${p.key}'` : ''}, shard ${s.k}/${s.N} must cover [${want.first}, ${want.first + want.count})`);
    }
  }
  const byK = new Map<number, ShardDir>();
  for (const s of shards) {
    const prev = byK.get(s.k);
    if (prev) throw new UsageError(`merge: ${prev.dir} and ${s.dir} are both shard ${s.k}/${s.N} (overlapping shards)`);
    byK.set(s.k, s);
  }
  const missing = Array.from({ length: a.N }, (_, i) => i + 1).filter(k => !byK.has(k));
  if (missing.length) throw new UsageError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${a.N} missing (incomplete sweep: run them, or pass their directories)`);
  return [...byK.values()].sort((x, y) => x.k - y.k);
}

export async function mergeCommand(argv: string[]): Promise<number> {
  const dirs: string[] = [], rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) { rest.push(argv[i]); if (!argv[i].includes('=') && argv[i] === '--out') rest.push(argv[++i] ?? ''); } else dirs.push(argv[i]);
  }
  const { values: v } = parseFlags(rest, FLAGS, 'merge');
  if (v.help) { process.stdout.write(helpText('merge DIR…', SUMMARY, FLAGS)); return 0; }
  if (v.out === undefined) throw new UsageError('merge: --out DIR (the merged run directory) is required');
  if (dirs.length === 0) throw new UsageError('merge: give the shard directories to join, e.g. nanospin merge runs/map.shard-{1..4} --out runs/map');
  const shards = checkShards(dirs.map(d => { try { return readShardDir(d); } catch (e) { throw new UsageError((e as Error).message); } }));
  const command = shards[0].identity.command;
  const found = findCommand(command);
  if (!found?.entry.merge) throw new UsageError(`merge: 'nanospin ${command.slice(0, 2).join(' ')}' has no merge step`);
  const target = withSweepFile(outputTarget(String(v.out), !!v.overwrite, 'merge', [...command, '--out', String(v.out)]), shards[0].sweepFile ?? {});
  const data: ChunkData = {}, checks: Record<string, unknown[]> = {};
  for (const [j, p] of shards[0].parts.entries()) {
    const P = p.points;
    const whole: ChunkData = Object.fromEntries(Object.entries(p.widths).map(([k, w]) => [k, new Float64Array(P * w)]));
    for (const s of shards) {
      const q = s.parts[j];
      if (q.count === 0) continue;
      const part = splitChunk(q.data, p.widths, q.count);
      for (const [k, w] of Object.entries(p.widths)) whole[k].set(part[k], q.first * w);
      if (p.key in s.checks) (checks[p.key] ??= []).push(s.checks[p.key]);
    }
    for (const [k, a] of Object.entries(whole)) data[partArray(p.key, k)] = a;
  }
  const info: SweepInfo = {
    backend: [...new Set(shards.map(s => s.backend))].join(', '), adapter: [...new Set(shards.map(s => s.adapter))].join('; '),
    seconds: shards.reduce((a, s) => a + s.seconds, 0), resumedChunks: 0,
    shards: shards.map(s => ({ k: s.k, N: s.N, dir: s.dir, backend: s.backend, adapter: s.adapter })), checks,
  };
  const dir = await found.entry.merge(found.rest, target, data, info);
  const P = shards[0].parts.reduce((a, p) => a + p.points, 0);
  if (v.json) process.stdout.write(JSON.stringify({ out: dir, shards: shards.length, points: P, command }) + '\n');
  else if (!v.quiet) process.stdout.write(`merged ${shards.length} shards of 'nanospin ${command.join(' ')}' (${P} points) into ${dir}\n`);
  return 0;
}
