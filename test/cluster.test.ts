// Cluster recipes (nanospin cluster slurm|k8s): the generated scripts are valid shell, carry the array
// range, the GPU request and the dependency, and, run against stand-ins for sbatch / Kubernetes (fake
// `sbatch` and `npx`/`nanospin` executables that record what they receive), hand every shard exactly the
// command, --shard k/N and --out BASE.shard-k, and the merge exactly the N shard directories.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterK8sCommand, clusterSlurmCommand } from '../src/cli/cluster.ts';
import { embeddedJob } from '../src/cluster/slurm.ts';
import { isSweepCommand, sweepCommands } from '../src/cluster/command.ts';
import { COMMANDS } from '../src/cli/commands.ts';
import { UsageError } from '../src/cli/args.ts';
import { capture } from './cliHarness.ts';

let tmp: string, bin: string;


// an argument that needs every kind of quoting: spaces, a single quote, $, a backtick, a glob and a backslash
const NASTY = "it's $HOME `id` * \\n \"q\"";
const COMMAND = ['switching', 'soc-dimer', '--trajectories', '512', '--sweep', 'V=-10:10:64', '--reading', NASTY];

function recorder(name: string): void {
  // appends its argv (as one JSON line) to $ARGV_LOG
  writeFileSync(join(bin, name), `#!/usr/bin/env node\nrequire('node:fs').appendFileSync(process.env.ARGV_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
  chmodSync(join(bin, name), 0o755);
}

function argvLog(file: string): string[][] {
  return readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nanospin-cluster-'));
  bin = join(tmp, 'bin');
  mkdirSync(bin);
  // sbatch stand-in: records its arguments and the job script it reads on stdin, answers like --parsable
  writeFileSync(join(bin, 'sbatch'), `#!/bin/sh
n=$(( $(cat "$SBATCH_LOG/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$SBATCH_LOG/count"
printf '%s\\n' "$@" > "$SBATCH_LOG/$n.args"
cat > "$SBATCH_LOG/$n.stdin"
if [ $n = 1 ]; then echo "4242;clusterA"; else echo "4243"; fi
`);
  chmodSync(join(bin, 'sbatch'), 0o755);
  recorder('npx');
  recorder('nanospin');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const env = (extra: Record<string, string>) => ({ ...process.env, PATH: `${bin}:${process.env.PATH}`, ...extra });

describe('sweep commands', () => {
  it('are the registered commands with a merge: not benchmarks, info, plain llg or the run-management commands', () => {
    const list = sweepCommands();
    for (const c of COMMANDS) expect(list.includes(c.path.join(' '))).toBe(c.merge !== undefined);
    expect(list).toEqual(expect.arrayContaining(['demo', 'switching soc-dimer', 'exchange junction', 'couplings soc-dimer', 'figures junction', 'llg soc-dimer']));
    for (const c of list) expect(c.startsWith('bench') || c === 'info' || c === 'llg').toBe(false);
    expect(isSweepCommand(['bench', 'llg'])).toBe(false);
    expect(isSweepCommand(['llg'])).toBe(false);
    expect(isSweepCommand(['llg', 'junction'])).toBe(true);
  });
});

describe('nanospin cluster slurm', () => {
  const base = 'my runs/map';
  const args = ['--shards', '4', '--out', base, '--logs', 'logs', '--time', '2:00:00', '--partition', 'gpu', '--account', 'proj42', '--merge-time', '20'];
  let script: string;
  beforeAll(async () => {
    const r = await capture(clusterSlurmCommand, [...args, '--', ...COMMAND]);
    expect(r.code).toBe(0);
    script = r.out;
  });

  it('is valid bash, and so are both job scripts in it', () => {
    for (const s of [script, embeddedJob(script, 'shards'), embeddedJob(script, 'merge')]) {
      const r = spawnSync('bash', ['-n'], { input: s, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('asks for the array 1-N with one GPU per task, and the given time, partition and account', () => {
    const shards = embeddedJob(script, 'shards'), merge = embeddedJob(script, 'merge');
    const directives = (s: string) => s.split('\n').filter(l => l.startsWith('#SBATCH ')).map(l => l.slice(8));
    expect(directives(shards)).toEqual(expect.arrayContaining(['--array=1-4', '--gres=gpu:1', '--time=2:00:00', '--partition=gpu', '--account=proj42', '--output=logs/%x-%A_%a.out']));
    // the merge needs no GPU and no array; it has its own time limit
    expect(directives(merge)).toEqual(expect.arrayContaining(['--time=20', '--partition=gpu', '--account=proj42']));
    expect(directives(merge).some(d => d.startsWith('--array') || d.startsWith('--gres'))).toBe(false);
    expect(script).toMatch(/sbatch --parsable --dependency=afterok:"\$shards" --kill-on-invalid-dep=yes/);
  });

  it('submits the array, then the merge with afterok on the array job id (fake sbatch)', () => {
    const log = join(tmp, 'sbatch-1'), cwd = join(tmp, 'submit-1');
    mkdirSync(log); mkdirSync(cwd);
    writeFileSync(join(cwd, 'sweep.sh'), script);
    const r = spawnSync('bash', ['sweep.sh'], { cwd, env: env({ SBATCH_LOG: log }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(log, 'count'), 'utf8').trim()).toBe('2');
    expect(readFileSync(join(log, '1.args'), 'utf8').trim().split('\n')).toEqual(['--parsable']);
    expect(readFileSync(join(log, '1.stdin'), 'utf8')).toBe(embeddedJob(script, 'shards'));
    // "jobid;cluster" from --parsable is cut to the job id
    expect(readFileSync(join(log, '2.args'), 'utf8').trim().split('\n')).toEqual(['--parsable', '--dependency=afterok:4242', '--kill-on-invalid-dep=yes']);
    expect(readFileSync(join(log, '2.stdin'), 'utf8')).toBe(embeddedJob(script, 'merge'));
    expect(r.stdout).toContain('job array 4242');
    expect(r.stdout).toContain('merge: job 4243');
    expect(statSync(join(cwd, 'logs')).isDirectory()).toBe(true);
  });

  it('passes extra arguments to the array (resubmitting two shards) and refuses when BASE exists', () => {
    const log = join(tmp, 'sbatch-2'), cwd = join(tmp, 'submit-2');
    mkdirSync(log); mkdirSync(cwd);
    writeFileSync(join(cwd, 'sweep.sh'), script);
    const r = spawnSync('bash', ['sweep.sh', '--array=2,3'], { cwd, env: env({ SBATCH_LOG: log }), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(log, '1.args'), 'utf8').trim().split('\n')).toEqual(['--parsable', '--array=2,3']);
    mkdirSync(join(cwd, base), { recursive: true });
    const again = spawnSync('bash', ['sweep.sh'], { cwd, env: env({ SBATCH_LOG: join(tmp, 'sbatch-unused') }), encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('my runs/map already exists');
  });

  it('runs shard k as the command with --shard k/N --out BASE.shard-k, every argument intact', () => {
    const job = join(tmp, 'shard.sh'), logFile = join(tmp, 'npx-shard.log');
    writeFileSync(job, embeddedJob(script, 'shards'));
    const r = spawnSync('bash', [job], { cwd: tmp, env: env({ ARGV_LOG: logFile, SLURM_ARRAY_TASK_ID: '3' }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(argvLog(logFile)).toEqual([['nanospin', ...COMMAND, '--shard', '3/4', '--out', 'my runs/map.shard-3']]);
    // outside an array task it stops with a message instead of running an unsharded sweep
    const bare = spawnSync('bash', [job], { cwd: tmp, env: env({ ARGV_LOG: join(tmp, 'npx-bare.log') }), encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toContain('not a job-array task');
    expect(existsSync(join(tmp, 'npx-bare.log'))).toBe(false);
  });

  it('merges the N shard directories, named one by one, into BASE', () => {
    const job = join(tmp, 'merge.sh'), logFile = join(tmp, 'npx-merge.log');
    writeFileSync(job, embeddedJob(script, 'merge'));
    const r = spawnSync('bash', [job], { cwd: tmp, env: env({ ARGV_LOG: logFile }), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(argvLog(logFile)).toEqual([['nanospin', 'merge', ...[1, 2, 3, 4].map(k => `my runs/map.shard-${k}`), '--out', 'my runs/map']]);
  });

  it('throttles with --max-parallel, writes an executable file with --write and keeps an existing one', async () => {
    const file = join(tmp, 'sweep-w.sh');
    const r = await capture(clusterSlurmCommand, ['--shards', '6', '--out', 'runs/m', '--max-parallel', '2', '--write', file, '--', 'demo', '--trajectories', '64']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('bash');
    expect(statSync(file).mode & 0o111).not.toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('#SBATCH --array=1-6%2');
    expect(text).toContain('merge runs/m.shard-{1..6} --out runs/m');
    await expect(capture(clusterSlurmCommand, ['--shards', '6', '--out', 'runs/m', '--write', file, '--', 'demo'])).rejects.toThrow(/the file exists; pass --overwrite/);
    expect((await capture(clusterSlurmCommand, ['--shards', '1', '--out', 'runs/m', '--write', file, '--overwrite', '--', 'demo'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('#SBATCH --array=1-1\n');
    // a CPU partition: no GPU request
    const cpu = await capture(clusterSlurmCommand, ['--shards', '2', '--out', 'runs/m', '--gres', 'none', '--', 'demo', '--backend', 'cpu']);
    expect(cpu.out).not.toContain('#SBATCH --gres');
  });

  const bad: [string[], RegExp][] = [
    [['--shards', '0', '--out', 'b', '--', 'demo'], /--shards must be ≥ 1.*got 0/],
    [['--shards', '2.5', '--out', 'b', '--', 'demo'], /--shards must be an integer/],
    [['--out', 'b', '--', 'demo'], /--shards N is required/],
    [['--shards', '4', '--', 'demo'], /--out is required/],
    [['--shards', '4', '--out', 'b', 'demo'], /put the sweep command after '--'/],
    [['--shards', '4', '--out', 'b', '--'], /nothing after '--'/],
    [['--shards', '4', '--out', 'b', '--', 'bench', 'llg'], /'bench llg' is not a sweep command.*sweep commands: .*demo/],
    [['--shards', '4', '--out', 'b', '--', 'llg', '--systems', '9'], /'llg' is not a sweep command/],
    [['--shards', '4', '--out', 'b', '--', 'switchng', 'soc-dimer'], /'switchng soc-dimer' is not a nanospin command \(did you mean 'switching soc-dimer'\?\)/],
    [['--shards', '4', '--out', 'b', '--', 'demo', '--out', 'x'], /--out in the command: .*give BASE as --out before '--'/],
    [['--shards', '4', '--out', 'b', '--', 'demo', '--out=x'], /--out in the command/],
    [['--shards', '4', '--out', 'b', '--', 'demo', '--shard', '1/2'], /--shard in the command/],
    [['--shards', '4', '--out', 'b', '--time', '2 hours', '--', 'demo'], /--time must be a Slurm time/],
    [['--shards', '4', '--out', 'b', '--partition', 'gpu a100', '--', 'demo'], /--partition must be a partition name without spaces/],
    [['--shards', '4', '--out', 'b', '--max-parallel', '5', '--', 'demo'], /--max-parallel must be ≤ --shards \(4\)/],
    [['--shards', '4', '--out', 'a b', '--', 'demo'], /default log directory .* give --logs DIR/],
    [['--shards', '4', '--out', 'b', '--', 'demo', '--seed', 'x\ny'], /line break/],
    [['--shards', '4', '--out', 'b', '--shrads', '3', '--', 'demo'], /unknown flag --shrads \(did you mean --shards\?\)/],
  ];
  for (const [a, msg] of bad) {
    it(`refuses ${JSON.stringify(a.join(' '))}`, async () => {
      const p = capture(clusterSlurmCommand, a);
      await expect(p).rejects.toThrow(msg);
      await expect(p).rejects.toBeInstanceOf(UsageError);
    });
  }
});

describe('nanospin cluster k8s', () => {
  const args = ['--shards', '4', '--parallelism', '2', '--out', '/data/my runs/map', '--image', 'ghcr.io/lab/nanospin:0.1', '--pvc', 'sweeps', '--poll', '1'];
  let manifest: { kind: string; items: any[] };
  beforeAll(async () => {
    const r = await capture(clusterK8sCommand, [...args, '--', ...COMMAND]);
    expect(r.code).toBe(0);
    manifest = JSON.parse(r.out);
  });

  it('is an Indexed Job of N completions with the parallelism, one GPU per pod and the shared volume, plus a merge Job', () => {
    expect(manifest.kind).toBe('List');
    const [shards, merge] = manifest.items;
    expect(shards.kind).toBe('Job');
    expect(shards.apiVersion).toBe('batch/v1');
    expect(shards.spec.completionMode).toBe('Indexed');
    expect(shards.spec.completions).toBe(4);
    expect(shards.spec.parallelism).toBe(2);
    const pod = shards.spec.template.spec, c = pod.containers[0];
    expect(pod.restartPolicy).toBe('Never');
    expect(c.image).toBe('ghcr.io/lab/nanospin:0.1');
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(c.workingDir).toBe('/data');
    expect(c.volumeMounts).toEqual([{ name: 'results', mountPath: '/data' }]);
    expect(pod.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: 'sweeps' } }]);
    expect(merge.kind).toBe('Job');
    expect(merge.spec.completionMode).toBeUndefined();
    expect(merge.spec.template.spec.containers[0].resources).toBeUndefined();
    expect(merge.spec.template.spec.volumes).toEqual(pod.volumes);
    expect(merge.spec.activeDeadlineSeconds).toBeGreaterThan(0);
  });

  it('gives pod JOB_COMPLETION_INDEX = i the shard i + 1, every argument intact', () => {
    const script: string[] = manifest.items[0].spec.template.spec.containers[0].command;
    expect(script.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(spawnSync('sh', ['-n', '-c', script[2]]).status).toBe(0);
    const logFile = join(tmp, 'k8s-shard.log');
    const r = spawnSync(script[0], script.slice(1), { cwd: tmp, env: env({ ARGV_LOG: logFile, JOB_COMPLETION_INDEX: '2' }), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(argvLog(logFile)).toEqual([[...COMMAND, '--shard', '3/4', '--out', 'my runs/map.shard-3']]);
    const bare = spawnSync(script[0], script.slice(1), { cwd: tmp, env: env({ ARGV_LOG: join(tmp, 'k8s-bare.log') }), encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(existsSync(join(tmp, 'k8s-bare.log'))).toBe(false);
  });

  it('merges only once every shard directory is complete', async () => {
    const script: string[] = manifest.items[1].spec.template.spec.containers[0].command;
    expect(spawnSync('sh', ['-n', '-c', script[2]]).status).toBe(0);
    const vol = join(tmp, 'volume'), logFile = join(tmp, 'k8s-merge.log');
    for (const k of [1, 2, 3]) { mkdirSync(join(vol, `my runs/map.shard-${k}`), { recursive: true }); writeFileSync(join(vol, `my runs/map.shard-${k}/manifest.json`), '{}'); }
    mkdirSync(join(vol, 'my runs/map.shard-4.partial-123'));   // an unfinished shard does not count
    const child = spawn(script[0], script.slice(1), { cwd: vol, env: env({ ARGV_LOG: logFile }) });
    let out = '';
    child.stdout.on('data', d => { out += d; });
    const done = new Promise<number>((res, rej) => {
      const t = setTimeout(() => { child.kill(); rej(new Error('merge pod did not finish')); }, 30_000);
      child.on('close', c => { clearTimeout(t); res(c ?? -1); });
    });
    await new Promise(r => setTimeout(r, 2500));
    expect(existsSync(logFile)).toBe(false);       // still waiting for shard 4
    expect(out).toContain('waiting for shard 4 of 4');
    mkdirSync(join(vol, 'my runs/map.shard-4'));
    writeFileSync(join(vol, 'my runs/map.shard-4/manifest.json'), '{}');
    expect(await done).toBe(0);
    expect(argvLog(logFile)).toEqual([['merge', ...[1, 2, 3, 4].map(k => `my runs/map.shard-${k}`), '--out', 'my runs/map']]);
  });

  const bad: [string[], RegExp][] = [
    [['--shards', '0', '--out', 'b', '--image', 'i', '--pvc', 'p', '--', 'demo'], /--shards must be ≥ 1/],
    [['--shards', '2', '--out', 'b', '--pvc', 'p', '--', 'demo'], /--image is required/],
    [['--shards', '2', '--out', 'b', '--image', 'i', '--', 'demo'], /--pvc is required/],
    [['--shards', '2', '--out', 'b', '--image', 'i', '--pvc', 'My_Claim', '--', 'demo'], /--pvc must be a Kubernetes object name/],
    [['--shards', '2', '--out', '/scratch/b', '--image', 'i', '--pvc', 'p', '--', 'demo'], /not inside the volume mounted at --mount \/data/],
    [['--shards', '2', '--out', '../b', '--image', 'i', '--pvc', 'p', '--', 'demo'], /leaves the volume/],
    [['--shards', '2', '--parallelism', '3', '--out', 'b', '--image', 'i', '--pvc', 'p', '--', 'demo'], /--parallelism must be ≤ --shards \(2\)/],
    [['--shards', '2', '--out', 'b', '--image', 'i', '--pvc', 'p', '--name', 'Sweep_1', '--', 'demo'], /--name must be a DNS label/],
    [['--shards', '2', '--out', 'b', '--image', 'i', '--pvc', 'p', '--', 'info'], /'info' is not a sweep command/],
    [['--shards', '2', '--out', 'b', '--image', 'i', '--pvc', 'p', '--', 'demo', '--out', 'c'], /--out in the command/],
  ];
  for (const [a, msg] of bad) {
    it(`refuses ${JSON.stringify(a.join(' '))}`, async () => {
      await expect(capture(clusterK8sCommand, a)).rejects.toThrow(msg);
    });
  }

  it('prints its help with the sweep commands', async () => {
    const r = await capture(clusterK8sCommand, ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--pvc');
    expect(r.out).toContain('switching soc-dimer');
  });
});
