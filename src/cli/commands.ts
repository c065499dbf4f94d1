// Every nanospin command in one table: its words, a one-line summary and the module that runs it
// (loaded on demand). src/cli.ts routes argv through this table; nothing else dispatches on words.

import type { OutputTarget } from '../runs/output.ts';
import type { SweepInfo } from '../runs/sweepRun.ts';
import type { ChunkData } from '../sweeps/chunked.ts';

export interface CommandEntry {
  /** The command's words, e.g. ['switching', 'soc-dimer']. */
  path: string[];
  summary: string;
  /** Runs the command with the arguments after its words; returns the exit code. */
  run(argv: string[]): Promise<number>;
  /**
   * A sweep command (resumable, --shard k/N): writes the whole sweep's run directory from its per-point
   * arrays, for `nanospin merge` (argv: the command's arguments after its words, as recorded in the shards;
   * a command of several sweeps gets array `name` of part `key` as data['key/name'], and every range's check
   * result in info.checks). It computes nothing: a merge needs no GPU.
   */
  merge?(argv: string[], target: OutputTarget, data: ChunkData, info: SweepInfo): Promise<string>;
}

export const COMMANDS: CommandEntry[] = [
  { path: ['demo'], summary: 'default job: thermal switching-probability map of a macrospin (field × temperature)',
    run: async a => (await import('./demo.ts')).demoCommand(a), merge: async (a, t, d, i) => (await import('./demo.ts')).demoMerge(a, t, d, i) },
  { path: ['llg'], summary: 'stochastic LLG ensemble of a macrospin or dimer (flags or --config JSON)',
    run: async a => (await import('./llg.ts')).llgCommand(a) },
  { path: ['llg', 'junction'], summary: 'bias-driven dimer dynamics from the junction’s exchange fields',
    run: async a => (await import('./llgJunction.ts')).llgJunctionCommand(a), merge: async (a, t, d, i) => (await import('./llgJunction.ts')).llgJunctionMerge(a, t, d, i) },
  { path: ['llg', 'soc-dimer'], summary: 'SOC dimer (seed 001), spin 1 pinned: Langevin ensemble vs Fokker–Planck along a bias sweep',
    run: async a => (await import('./socDimer.ts')).socLangevinCommand('llg', a), merge: async (a, t, d, i) => (await import('./socDimer.ts')).socLangevinMerge('llg', a, t, d, i) },
  { path: ['llg', 'vibronic'], summary: 'seed-003 classical spin–lattice Langevin: two spins on the LLG core coupled to an anharmonic mode (Φ Q³, Langevin bath); ⟨Q⟩(T) and the moment vs Eq. 7 and the exact classical Boltzmann values',
    run: async a => (await import('./vibronicLangevin.ts')).llgVibronicCommand(a), merge: async (a, t, d, i) => (await import('./vibronicLangevin.ts')).llgVibronicMerge(a, t, d, i) },
  { path: ['switching', 'soc-dimer'], summary: 'free-spin orientation map over (μ_F, V): Langevin, Fokker–Planck and their difference',
    run: async a => (await import('./socDimer.ts')).socLangevinCommand('switching', a), merge: async (a, t, d, i) => (await import('./socDimer.ts')).socLangevinMerge('switching', a, t, d, i) },
  { path: ['exchange', 'junction'], summary: 'exchange tensors of the seed-000 molecular dimer junction over 1D/2D sweeps',
    run: async a => (await import('./exchange.ts')).exchangeJunctionCommand(a), merge: async (a, t, d, i) => (await import('./exchange.ts')).exchangeJunctionMerge(a, t, d, i) },
  { path: ['couplings', 'soc-dimer'], summary: 'seed-001 SOC dimer: J, D, A, K, damping α and noise j (Eq. A24) over μ_F × V maps',
    run: async a => (await import('./couplings.ts')).couplingsSocDimerCommand(a), merge: async (a, t, d, i) => (await import('./couplings.ts')).couplingsSocDimerMerge(a, t, d, i) },
  { path: ['figures', 'junction'], summary: 'seed-000 Figs. 2–4 (Eqs. 7–9 with Keldysh overlaid) and 2D maps, as a run directory',
    run: async a => (await import('./figures.ts')).figuresJunctionCommand(a), merge: async (a, t, d, i) => (await import('./figures.ts')).figuresJunctionMerge(a, t, d, i) },
  { path: ['figures', 'soc-dimer'], summary: 'seed-001 Figs. 2, 4–7: coupling maps over μ_F × V and the free spin vs bias',
    run: async a => (await import('./couplings.ts')).figuresSocDimerCommand(a), merge: async (a, t, d, i) => (await import('./couplings.ts')).figuresSocDimerMerge(a, t, d, i) },
  { path: ['bench', 'llg'], summary: 'throughput (spin-steps/s) of every backend and the gpu.js peer, same run',
    run: async a => (await import('./bench.ts')).benchLlgCommand(a) },
  { path: ['bench', 'exchange'], summary: 'keldysh exchange sweep per backend (evaluations/s, accuracy vs Eq. 7)',
    run: async a => (await import('./bench.ts')).benchExchangeCommand(a) },
  { path: ['bench', 'soc-dimer'], summary: 'SOC dimer: coupling-map time per point, generalized-LLG spin-steps/s, switching-diagram estimate',
    run: async a => (await import('./bench.ts')).benchSocDimerCommand(a) },
  { path: ['moment', 'vibronic'], summary: 'seed-003 k-pair H_k = S_k·(J_k S_k̄ + α_k ẑ): thermal moment by batched exact diagonalization over (J, α, T), Eq. 5 beside it',
    run: async a => (await import('./vibronic.ts')).momentVibronicCommand(a), merge: async (a, t, d, i) => (await import('./vibronic.ts')).momentVibronicMerge(a, t, d, i) },
  { path: ['figures', 'vibronic'], summary: 'seed-003 Figs. 2–5: moment maps over J_k × α_k (S = 1/2 … 2), coth(βω0/2)/ω0, J × T maps with Eq. 7, moment per site vs T',
    run: async a => (await import('./vibronic.ts')).figuresVibronicCommand(a), merge: async (a, t, d, i) => (await import('./vibronic.ts')).figuresVibronicMerge(a, t, d, i) },
  { path: ['bench', 'vibronic'], summary: 'spin-pair exact diagonalizations per second per S on webgpu and cpu, same run',
    run: async a => (await import('./vibronic.ts')).benchVibronicCommand(a) },
  { path: ['exchange', 'granular'], summary: 'seed-002 granular magnets: intergrain exchange H_V, H_P, H_hε, L_loc, L_Ec, I_ex (meV, + = FM) over 1D–3D sweeps of h_B, J_sd, ε',
    run: async a => (await import('./granular.ts')).exchangeGranularCommand(a), merge: async (a, t, d, i) => (await import('./granular.ts')).exchangeGranularMerge(a, t, d, i) },
  { path: ['figures', 'granular'], summary: 'seed-002 Figs. 2–7 and (h_B, J_sd), (ε, J_sd) maps of the intergrain exchange with sign-change lines',
    run: async a => (await import('./granular.ts')).figuresGranularCommand(a), merge: async (a, t, d, i) => (await import('./granular.ts')).figuresGranularMerge(a, t, d, i) },
  { path: ['bench', 'granular'], summary: 'granular exchange map per backend (points/s, accuracy vs twin)',
    run: async a => (await import('./granular.ts')).benchGranularCommand(a) },
  { path: ['torques', 'dot-valve'], summary: 'seed-004 quantum-dot spin valve: field-/damping-like drain torques (Eq. 2), current and occupation over (ε̃, V) maps and θ-cuts, Eq. 4 resonance overlaid, LLG torque tables (energies in Γ)',
    run: async a => (await import('./dotValve.ts')).torquesDotValveCommand(a), merge: async (a, t, d, i) => (await import('./dotValve.ts')).torquesDotValveMerge(a, t, d, i) },
  { path: ['bench', 'dot-valve'], summary: 'dot-valve torque tables: points/s and 6×6 solves/s per backend, full-table estimate',
    run: async a => (await import('./dotValve.ts')).benchDotValveCommand(a) },
  { path: ['switching', 'dot-valve'], summary: 'seed-004 Fig. 2/3: free-layer state map over (ε̃, V) under the drain\'s tabulated torques, stochastic LLG, Eq. 4 line overlaid (energies in Γ)',
    run: async a => (await import('./dotValveSwitching.ts')).switchingDotValveCommand(a), merge: async (a, t, d, i) => (await import('./dotValveSwitching.ts')).switchingDotValveMerge(a, t, d, i) },
  { path: ['figures', 'dot-valve'], summary: 'seed-004 Figs. 2–4 with the θ(t) inset and the FMR noise-spectrum check, as one run directory',
    run: async a => (await import('./dotValveSwitching.ts')).figuresDotValveCommand(a), merge: async (a, t, d, i) => (await import('./dotValveSwitching.ts')).figuresDotValveMerge(a, t, d, i) },
  { path: ['lattice'], summary: 'Langevin sampling of a classical Heisenberg lattice of grains over a temperature sweep: m = ⟨|M|⟩/N, χ, Binder U, energy, heat capacity, sampled temperature',
    run: async a => (await import('./lattice.ts')).latticeCommand(a), merge: async (a, t, d, i) => (await import('./lattice.ts')).latticeMerge(a, t, d, i) },
  { path: ['ordering', 'granular'], summary: "seed-002 ordering temperature from H_ex: Langevin lattice at two sizes, Binder crossing, beside the paper's z_n H_ex and mean field",
    run: async a => (await import('./lattice.ts')).orderingGranularCommand(a), merge: async (a, t, d, i) => (await import('./lattice.ts')).orderingGranularMerge(a, t, d, i) },
  { path: ['bench', 'lattice'], summary: 'lattice Langevin kernel: spin-steps/s per backend at 32³ and 128³, bytes per spin, ratios',
    run: async a => (await import('./lattice.ts')).benchLatticeCommand(a) },
  { path: ['cluster', 'slurm'], summary: 'sbatch recipe: a sweep\'s N shards as a job array (one GPU per task) and a dependent merge job',
    run: async a => (await import('./cluster.ts')).clusterSlurmCommand(a) },
  { path: ['cluster', 'k8s'], summary: 'Kubernetes recipe: an Indexed Job of N shards (one GPU per pod) and a merge Job on a shared volume',
    run: async a => (await import('./cluster.ts')).clusterK8sCommand(a) },
  { path: ['rerun'], summary: 'run the command recorded in DIR/manifest.json again into a new directory',
    run: async a => (await import('./rerun.ts')).rerunCommand(a) },
  { path: ['web'], summary: 'build (and --serve on 127.0.0.1) the in-browser explorer: switching and SOC-dimer maps on WebGPU',
    run: async a => (await import('./web.ts')).webCommand(a) },
  { path: ['merge'], summary: 'join the shard directories of one sweep (run with --shard k/N) into the run directory of the whole sweep',
    run: async a => (await import('./merge.ts')).mergeCommand(a) },
  { path: ['info'], summary: 'WebGPU adapters found (limits, features) and the backend \'auto\' picks',
    run: async a => (await import('./info.ts')).infoCommand(a) },
];

/** The entry whose words start argv, the longest such (so `llg junction` wins over `llg`). */
export function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { entry: best, rest: argv.slice(best.path.length) } : undefined;
}

/** Commands under a first word (a group such as `figures`), for its help and "did you mean". */
export function commandGroup(word: string): CommandEntry[] {
  return COMMANDS.filter(c => c.path[0] === word);
}

export function usageText(): string {
  const w = Math.max(...COMMANDS.map(c => c.path.join(' ').length)) + 2;
  return `nanospin — GPU engine for bias-controlled magnetism in nanoscale spin systems

Usage: nanospin <command> [flags]      (nanospin <command> --help for its flags; nanospin --version)
       nanospin --dry-run <command> [flags]   (check the command line and the output directory, compute nothing)

Commands:
${COMMANDS.map(c => `  ${c.path.join(' ').padEnd(w)}${c.summary}`).join('\n')}
`;
}
