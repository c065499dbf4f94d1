// `nanospin cluster slurm -- <command…>` and `nanospin cluster k8s -- <command…>`: recipes that run one sweep
// as N shards on a cluster and merge them (src/cluster/). They print the recipe (or write it with --write)
// and check everything they can before that: the shard count, that the command is a registered sweep
// command without the flags the recipe sets itself, and every value that lands in a directive.
import { existsSync, renameSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import { parseFlags, helpText, UsageError, type FlagSchema } from './args.ts';
import { shellQuote } from '../io/manifest.ts';
import { defaultJobName, splitAtDoubleDash, sweepCommand, sweepCommands } from '../cluster/command.ts';
import { slurmScript, type SlurmRecipe } from '../cluster/slurm.ts';
import { k8sManifest, type K8sRecipe } from '../cluster/k8s.ts';

/** Shards per sweep: an Indexed Job takes at most 10^5 completions; Slurm arrays are usually capped far lower (MaxArraySize). */
const MAX_SHARDS = 100_000;

const COMMON: FlagSchema = {
  shards: { type: 'int', help: 'number of shards N (task k runs --shard k/N)', min: 1, max: MAX_SHARDS },
  out: { type: 'string', help: 'run directory of the merged result BASE; shard k writes BASE.shard-k' },
  write: { type: 'string', help: 'write the recipe to this file instead of printing it' },
  overwrite: { type: 'bool', help: 'replace the --write file if it exists' },
  name: { type: 'string', help: 'job name (default nanospin-<command words>)' },
};

const SLURM_FLAGS: FlagSchema = {
  ...COMMON,
  nanospin: { type: 'string', help: 'how a task starts nanospin (shell words, verbatim)', default: 'npx nanospin' },
  time: { type: 'string', help: 'sbatch --time of each shard (minutes, HH:MM:SS or D-HH:MM:SS)' },
  'merge-time': { type: 'string', help: 'sbatch --time of the merge job (default: --time)' },
  partition: { type: 'string', help: 'sbatch --partition' },
  account: { type: 'string', help: 'sbatch --account' },
  gres: { type: 'string', help: "sbatch --gres of each shard ('none': no GPU request, e.g. a CPU partition with --backend cpu)", default: 'gpu:1' },
  constraint: { type: 'string', help: 'sbatch --constraint of each shard (e.g. a GPU type)' },
  'cpus-per-task': { type: 'int', help: 'sbatch --cpus-per-task of each shard', min: 1, max: 4096 },
  mem: { type: 'string', help: 'sbatch --mem of each shard (e.g. 16G)' },
  'max-parallel': { type: 'int', help: 'at most this many shards at once (--array=1-N%P)', min: 1, max: MAX_SHARDS },
  logs: { type: 'string', help: 'directory of the job logs (default BASE.logs)' },
  setup: { type: 'string', help: "one shell line run before nanospin in every job, e.g. 'module load nodejs/20'" },
  help: { type: 'bool', help: 'show this help' },
};

const K8S_FLAGS: FlagSchema = {
  ...COMMON,
  image: { type: 'string', help: 'container image with nanospin (and a Vulkan-capable driver stack for the GPU)' },
  pvc: { type: 'string', help: 'PersistentVolumeClaim (ReadWriteMany) shared by the shards and the merge; holds BASE' },
  mount: { type: 'string', help: 'where the volume is mounted (the pods\' working directory; a relative --out lands there)', default: '/data' },
  parallelism: { type: 'int', help: 'shards running at once (default N)', min: 1, max: MAX_SHARDS },
  namespace: { type: 'string', help: 'namespace of both Jobs (default: kubectl\'s current one)' },
  nanospin: { type: 'string', help: 'how a pod starts nanospin (shell words, verbatim)', default: 'nanospin' },
  'gpu-resource': { type: 'string', help: 'extended resource of one GPU', default: 'nvidia.com/gpu' },
  'backoff-limit': { type: 'int', help: 'failed shard pods tolerated in all before the shard Job fails', min: 0, max: 1_000_000, default: 6 },
  'merge-deadline': { type: 'int', unit: 's', help: 'how long the merge Job may wait for the shards and run', min: 60, default: 7 * 24 * 3600 },
  poll: { type: 'int', unit: 's', help: 'seconds between the merge pod\'s checks for finished shards', min: 1, max: 3600, default: 30 },
  'pull-policy': { type: 'enum', values: ['Always', 'IfNotPresent', 'Never'], help: 'imagePullPolicy of the pods (default: Kubernetes\')' },
  help: { type: 'bool', help: 'show this help' },
};

const SLURM_SUMMARY = 'sbatch recipe: the N shards of a sweep as a job array (one GPU per task), then a dependent merge job';
const K8S_SUMMARY = 'Kubernetes recipe: an Indexed Job of N shards (one GPU per pod) and a merge Job, on a shared volume';

function usage(who: string, summary: string, flags: FlagSchema): string {
  return helpText(who, summary, flags).replace('\n\nFlags:', `\n\nUsage: nanospin ${who} --shards N --out BASE [flags] -- <sweep command and its flags>\n(sweep commands: ${sweepCommands().join(', ')})\n\nFlags:`);
}

function required(v: Record<string, unknown>, name: string, who: string, hint: string): string {
  const x = v[name];
  if (x === undefined || (typeof x === 'string' && x.trim() === '')) throw new UsageError(`${who}: --${name} is required (${hint})`);
  return x as string;
}

/** A value that becomes part of an #SBATCH directive or a manifest field: no white space, quotes or backslashes. */
function plain(value: string | undefined, flag: string, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || /[\s'"\\`$]/.test(value)) throw new UsageError(`--${flag} must be ${what} without spaces, quotes, '$' or backslashes, got ${JSON.stringify(value)}`);
  return value;
}

function oneLine(value: string, flag: string): string {
  if (value.trim() === '' || /[\n\r\0]/.test(value)) throw new UsageError(`--${flag} must be one non-empty shell line, got ${JSON.stringify(value)}`);
  return value;
}

const SLURM_TIME = /^(UNLIMITED|INFINITE|\d+(:\d{1,2}){0,2}|\d+-\d{1,2}(:\d{1,2}){0,2})$/;

/** Print the recipe, or write it (atomically; an existing file only with --overwrite). */
function emit(text: string, file: string | undefined, overwrite: boolean, executable: boolean, how: string): void {
  if (!file) { process.stdout.write(text); return; }
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new UsageError(`--write ${file}: a directory is in the way; give a file name`);
    if (!overwrite) throw new UsageError(`--write ${file}: the file exists; pass --overwrite to replace it`);
  }
  const tmp = `${file}.partial-${process.pid}`;
  writeFileSync(tmp, text, { mode: executable ? 0o755 : 0o644 });
  if (executable) chmodSync(tmp, 0o755);
  renameSync(tmp, file);
  process.stderr.write(`wrote ${file}; ${how.replace('FILE', shellQuote(file))}\n`);
}

function generatedBy(who: string, argv: string[]): string {
  return ['nanospin', ...who.split(' '), ...argv].map(shellQuote).join(' ');
}

export async function clusterSlurmCommand(argv: string[]): Promise<number> {
  const who = 'cluster slurm';
  const { own, command } = splitAtDoubleDash(argv, who);
  const { values: v } = parseFlags(own, SLURM_FLAGS, who);
  if (v.help) { process.stdout.write(usage(who, SLURM_SUMMARY, SLURM_FLAGS)); return 0; }
  const cmd = sweepCommand(command, who);
  const shards = v.shards as number | undefined;
  if (shards === undefined) throw new UsageError(`${who}: --shards N is required (an integer in [1, ${MAX_SHARDS}])`);
  const base = oneLine(required(v, 'out', who, 'the merged run directory BASE; shard k writes BASE.shard-k'), 'out');
  if (base.endsWith('/')) throw new UsageError(`--out must name a directory without a trailing '/', got ${JSON.stringify(base)}`);
  const logs = v.logs as string | undefined ?? `${base}.logs`;
  if (/[\s'"\\`$%]/.test(logs)) {
    throw new UsageError(v.logs !== undefined
      ? `--logs must be a path without spaces, quotes, '$', '%' or backslashes (it goes into #SBATCH --output), got ${JSON.stringify(logs)}`
      : `--out ${JSON.stringify(base)}: the default log directory BASE.logs would need spaces, quotes, '$' or '%' in #SBATCH --output; give --logs DIR`);
  }
  for (const f of ['time', 'merge-time'] as const) {
    const t = v[f] as string | undefined;
    if (t !== undefined && !SLURM_TIME.test(t)) throw new UsageError(`--${f} must be a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS), got ${JSON.stringify(t)}`);
  }
  const maxParallel = v['max-parallel'] as number | undefined;
  if (maxParallel !== undefined && maxParallel > shards) throw new UsageError(`--max-parallel must be ≤ --shards (${shards}), got ${maxParallel}`);
  const recipe: SlurmRecipe = {
    command: cmd, shards, base, logs,
    nanospin: oneLine(v.nanospin as string, 'nanospin'),
    jobName: plain(v.name as string | undefined, 'name', 'a job name') ?? defaultJobName(cmd.words),
    gres: plain(v.gres as string, 'gres', 'a generic resource (gpu:1)')!,
    time: v.time as string | undefined, mergeTime: v['merge-time'] as string | undefined,
    partition: plain(v.partition as string | undefined, 'partition', 'a partition name'),
    account: plain(v.account as string | undefined, 'account', 'an account name'),
    constraint: plain(v.constraint as string | undefined, 'constraint', 'a feature expression'),
    cpusPerTask: v['cpus-per-task'] as number | undefined,
    mem: plain(v.mem as string | undefined, 'mem', 'a memory size (16G)'),
    maxParallel,
    setup: v.setup === undefined ? undefined : oneLine(v.setup as string, 'setup'),
    generatedBy: generatedBy(who, argv),
  };
  if (shards > 1000) process.stderr.write(`${who}: note: ${shards} array tasks; many clusters cap array indices at MaxArraySize − 1 (default 1000): see 'scontrol show config | grep MaxArraySize'\n`);
  emit(slurmScript(recipe), v.write as string | undefined, !!v.overwrite, true, 'submit it with: bash FILE   (from the directory where the launcher runs)');
  return 0;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export async function clusterK8sCommand(argv: string[]): Promise<number> {
  const who = 'cluster k8s';
  const { own, command } = splitAtDoubleDash(argv, who);
  const { values: v } = parseFlags(own, K8S_FLAGS, who);
  if (v.help) { process.stdout.write(usage(who, K8S_SUMMARY, K8S_FLAGS)); return 0; }
  const cmd = sweepCommand(command, who);
  const shards = v.shards as number | undefined;
  if (shards === undefined) throw new UsageError(`${who}: --shards N is required (an integer in [1, ${MAX_SHARDS}])`);
  const image = plain(required(v, 'image', who, 'the container image that runs nanospin'), 'image', 'an image reference')!;
  const pvc = required(v, 'pvc', who, 'the PersistentVolumeClaim that holds the shards and the merged run');
  if (!DNS_SUBDOMAIN.test(pvc) || pvc.length > 253) throw new UsageError(`--pvc must be a Kubernetes object name (lower-case letters, digits, '-', '.'), got ${JSON.stringify(pvc)}`);
  const mount = v.mount as string;
  if (!posix.isAbsolute(mount) || /[\s'"\\]/.test(mount)) throw new UsageError(`--mount must be an absolute path without spaces or quotes, got ${JSON.stringify(mount)}`);
  let base = oneLine(required(v, 'out', who, `the merged run directory BASE on the volume (relative to --mount ${mount})`), 'out').replace(/\/+$/, '');
  if (isAbsolute(base)) {
    const rel = posix.relative(mount, base);
    if (rel === '' || rel.startsWith('..')) throw new UsageError(`--out ${base} is not inside the volume mounted at --mount ${mount}; give a path relative to the volume`);
    base = rel;
  }
  if (posix.normalize(base).startsWith('..')) throw new UsageError(`--out ${base} leaves the volume mounted at ${mount}; give a path inside it`);
  const name = (v.name as string | undefined) ?? defaultJobName(cmd.words);
  if (!DNS_LABEL.test(name) || name.length > 57) throw new UsageError(`--name must be a DNS label of at most 57 characters (lower-case letters, digits, '-'; the merge Job adds '-merge'), got ${JSON.stringify(name)}`);
  const ns = v.namespace as string | undefined;
  if (ns !== undefined && (!DNS_LABEL.test(ns) || ns.length > 63)) throw new UsageError(`--namespace must be a DNS label (lower-case letters, digits, '-'), got ${JSON.stringify(ns)}`);
  const parallelism = (v.parallelism as number | undefined) ?? shards;
  if (parallelism > shards) throw new UsageError(`--parallelism must be ≤ --shards (${shards}), got ${parallelism}`);
  const recipe: K8sRecipe = {
    command: cmd, shards, parallelism, base, image, pvc, mount, name, namespace: ns,
    nanospin: oneLine(v.nanospin as string, 'nanospin'),
    gpuResource: plain(v['gpu-resource'] as string, 'gpu-resource', 'a resource name')!,
    backoffLimit: v['backoff-limit'] as number, mergeDeadline: v['merge-deadline'] as number, poll: v.poll as number,
    imagePullPolicy: v['pull-policy'] as K8sRecipe['imagePullPolicy'],
    generatedBy: generatedBy(who, argv),
  };
  emit(JSON.stringify(k8sManifest(recipe), null, 2) + '\n', v.write as string | undefined, !!v.overwrite, false,
    `apply it with: kubectl apply -f FILE   (then: kubectl get jobs -l nanospin.dev/sweep=${name})`);
  return 0;
}
