// A Kubernetes recipe for one sweep: a List of two Jobs, applied with one `kubectl apply -f`.
//  1. The shards: an Indexed Job (completionMode: Indexed, completions: N), one pod per shard with one GPU;
//     Kubernetes sets JOB_COMPLETION_INDEX = 0…N−1 in each pod, the shard is k = index + 1.
//  2. The merge: a plain Job that waits on the shared volume until every shard directory is complete, then
//     runs `nanospin merge`. A shard directory appears only complete (a run is written to DIR.partial-* and
//     renamed into place when done), so BASE.shard-k/manifest.json existing means shard k finished.
//     Waiting on the volume rather than in a `kubectl wait` script keeps nothing running on the user's
//     side for the hours a sweep takes; the merge pod needs no GPU and gives up after activeDeadlineSeconds.
// The List is JSON, which is also valid YAML (kubectl reads both).
import { shellQuote } from '../io/manifest.ts';
import { commandText, type SweepCommand } from './command.ts';

export interface K8sRecipe {
  command: SweepCommand;
  shards: number;
  /** Shards running at once (≤ N). */
  parallelism: number;
  /** Merged run directory, relative to the volume's mount (shard k: BASE.shard-k). */
  base: string;
  image: string;
  /** PersistentVolumeClaim shared by every pod (ReadWriteMany), mounted at `mount`, the pods' working directory. */
  pvc: string;
  mount: string;
  name: string;
  namespace?: string;
  /** Launcher words inside the image, verbatim (default 'nanospin'). */
  nanospin: string;
  /** Extended resource of one GPU (nvidia.com/gpu). */
  gpuResource: string;
  /** Pod failures the shard Job tolerates in all (spec.backoffLimit). */
  backoffLimit: number;
  /** Seconds the merge Job may wait and run (spec.activeDeadlineSeconds). */
  mergeDeadline: number;
  /** Seconds between the merge pod's checks of the volume. */
  poll: number;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  generatedBy: string;
}

/** The shard pod's shell line (sh -c): k from JOB_COMPLETION_INDEX, then the command with --shard and --out. */
export function shardShell(r: K8sRecipe): string {
  const cmd = commandText([...r.command.words, ...r.command.flags]);
  return `k=$((\${JOB_COMPLETION_INDEX:?not a pod of an Indexed Job} + 1)); exec ${r.nanospin} ${cmd} --shard "$k/${r.shards}" --out ${shellQuote(`${r.base}.shard-`)}"$k"`;
}

/** The merge pod's shell line: wait for BASE.shard-1…N to be complete, then merge them into BASE. */
export function mergeShell(r: K8sRecipe): string {
  const prefix = shellQuote(`${r.base}.shard-`);
  return [
    'set -eu',
    'set --',
    'k=1',
    `while [ "$k" -le ${r.shards} ]; do`,
    `  [ -f ${prefix}"$k"/manifest.json ] || echo "nanospin: waiting for shard $k of ${r.shards}"`,
    `  until [ -f ${prefix}"$k"/manifest.json ]; do sleep ${r.poll}; done`,
    `  set -- "$@" ${prefix}"$k"`,
    '  k=$((k + 1))',
    'done',
    `exec ${r.nanospin} merge "$@" --out ${shellQuote(r.base)}`,
  ].join('\n');
}

const LABEL = 'nanospin.dev/sweep';

export function k8sManifest(r: K8sRecipe): Record<string, unknown> {
  const meta = (name: string, role: string) => ({
    name, ...(r.namespace ? { namespace: r.namespace } : {}),
    labels: { 'app.kubernetes.io/name': 'nanospin', 'app.kubernetes.io/component': role, [LABEL]: r.name },
    annotations: { 'nanospin.dev/command': `nanospin ${commandText([...r.command.words, ...r.command.flags])}`, 'nanospin.dev/generated-by': r.generatedBy },
  });
  const volume = { name: 'results', persistentVolumeClaim: { claimName: r.pvc } };
  const mount = { name: 'results', mountPath: r.mount };
  const container = (name: string, script: string, gpu: boolean) => ({
    name, image: r.image, ...(r.imagePullPolicy ? { imagePullPolicy: r.imagePullPolicy } : {}),
    workingDir: r.mount, command: ['/bin/sh', '-c', script],
    // Dawn reaches an NVIDIA GPU through Vulkan, which the NVIDIA container runtime only mounts with the 'graphics' capability
    ...(gpu ? { env: [{ name: 'NVIDIA_DRIVER_CAPABILITIES', value: 'compute,utility,graphics' }], resources: { limits: { [r.gpuResource]: 1 } } } : {}),
    volumeMounts: [mount],
  });
  const shards = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta(r.name, 'shards'),
    spec: {
      completionMode: 'Indexed', completions: r.shards, parallelism: r.parallelism, backoffLimit: r.backoffLimit,
      template: {
        metadata: { labels: { [LABEL]: r.name, 'app.kubernetes.io/component': 'shards' } },
        spec: { restartPolicy: 'Never', containers: [container('shard', shardShell(r), true)], volumes: [volume] },
      },
    },
  };
  const merge = {
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta(`${r.name}-merge`, 'merge'),
    spec: {
      completions: 1, parallelism: 1, backoffLimit: 2, activeDeadlineSeconds: r.mergeDeadline,
      template: {
        metadata: { labels: { [LABEL]: r.name, 'app.kubernetes.io/component': 'merge' } },
        spec: { restartPolicy: 'Never', containers: [container('merge', mergeShell(r), false)], volumes: [volume] },
      },
    },
  };
  return { apiVersion: 'v1', kind: 'List', items: [shards, merge] };
}
