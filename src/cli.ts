// nanospin command line: `nanospin <command> [flags]`.
import { UsageError } from './cli/args.ts';
import { NoAdapterError } from './backends/index.ts';

const USAGE = `nanospin — GPU engine for bias-controlled magnetism in nanoscale spin systems

Usage: nanospin <command> [flags]      (nanospin <command> --help for its flags)

Commands:
  demo        default job: thermal switching-probability map of a macrospin (field × temperature)
  llg         stochastic LLG ensemble of a macrospin or dimer (flags or --config JSON)
  llg junction        bias-driven dimer dynamics from the junction's exchange fields
  llg soc-dimer       SOC dimer (seed 001), spin 1 pinned: Langevin ensemble vs Fokker–Planck along a bias sweep
  switching soc-dimer free-spin orientation map over (μ_F, V): Langevin, Fokker–Planck and their difference
  exchange junction   exchange tensors of the seed-000 molecular dimer junction over 1D/2D sweeps
  figures junction    seed-000 Figs. 2–4 (Eqs. 7–9 with Keldysh overlaid) and 2D maps, as a run directory
  couplings soc-dimer seed-001 SOC dimer: J, D, A, K, damping α and noise j (Eq. A24) over μ_F × V maps
  figures soc-dimer   seed-001 Figs. 2, 6, 7: coupling maps over μ_F × V (weak and strong SOC)
  bench llg   throughput (spin-steps/s) of every backend and the gpu.js peer, same run
  bench exchange      keldysh exchange sweep per backend (evaluations/s, accuracy vs Eq. 7)
  bench soc-dimer     SOC dimer: coupling-map time per point, generalized-LLG spin-steps/s, switching-diagram estimate
  info        WebGPU adapters found (limits, features) and the backend 'auto' picks
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'llg': return await (await import('./cli/llg.ts')).llgCommand(rest);
      case 'exchange': return await (await import('./cli/exchange.ts')).exchangeCommand(rest);
      case 'couplings': return await (await import('./cli/couplings.ts')).couplingsCommand(rest);
      case 'figures': return await (await import('./cli/figures.ts')).figuresCommand(rest);
      case 'demo': return await (await import('./cli/demo.ts')).demoCommand(rest);
      case 'info': return await (await import('./cli/info.ts')).infoCommand(rest);
      case 'switching': {
        if (rest[0] !== 'soc-dimer') throw new UsageError(`switching: unknown target '${rest[0] ?? ''}'; available: soc-dimer`);
        return await (await import('./cli/socDimer.ts')).socLangevinCommand('switching', rest.slice(1));
      }
      case 'bench': return await (await import('./cli/bench.ts')).benchCommand(rest);
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(USAGE); return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'\n\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError || e instanceof NoAdapterError) {
      process.stderr.write(`nanospin: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`nanospin: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}
