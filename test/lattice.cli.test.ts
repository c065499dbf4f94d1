// CLI of the lattice engine, in-process: `nanospin lattice`, `nanospin ordering granular`, `nanospin bench lattice`
// (JSON contracts, run directories, and refusals of bad input with the flag named).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchLatticeCommand, latticeCommand, orderingGranularCommand } from '../src/cli/lattice.ts';
import { UsageError } from '../src/cli/args.ts';
import { OutputError } from '../src/io/runDir.ts';
import { KB } from '../src/numerics/units.ts';
import { webgpuBackend } from './gpu.ts';
import { capture as run } from './cliHarness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nanospin-lattice-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


const backendArgs = async () => ((await webgpuBackend()) ? ['--backend', 'webgpu'] : ['--backend', 'cpu']);

describe('nanospin lattice', () => {
  it('--json gives one point per temperature with m = ⟨|M|⟩/N falling through T_c, and writes the run directory', async () => {
    const out = join(tmp, 'sweep');
    const r = await run(latticeCommand, ['--L', '4', '--J', '1', '--sweep', 'temperature=8:30:4', '--replicas', '8', '--equilibrate', '3', '--sample', '10', '--json', '--quiet', '--out', out, ...(await backendArgs())]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.points).toHaveLength(4);
    expect(j.errors).toBe('replicas');
    expect(j.lattice.Jeff).toBe(1);
    for (const p of j.points) {
      for (const k of ['temperature', 'magnetization', 'magnetizationStderr', 'susceptibility', 'binder', 'energy', 'sampledTemperature']) expect(Number.isFinite(p[k]), k).toBe(true);
      expect(p.binder).toBeGreaterThan(0.3);
      expect(p.binder).toBeLessThan(0.7);
      expect(p.sampledTemperature).toBeLessThan(p.temperature);
    }
    // ordered at 8 K (0.7 J/k_B), disordered-ish at 30 K (2.6 J/k_B): the magnetization falls, the energy rises
    expect(j.points[0].magnetization).toBeGreaterThan(j.points[3].magnetization + 0.3);
    expect(j.points[0].energy).toBeLessThan(j.points[3].energy);
    for (const f of ['points.csv', 'samples.npy', 'temperatures.npy', 'magnetization.svg', 'susceptibility.svg', 'binder.svg', 'manifest.json', 'summary.json', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const man = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(man.params.dynamics.samplesPerReplica).toBe(j.dynamics.samplesPerReplica);
    expect(readFileSync(join(out, 'points.csv'), 'utf8').split('\n')[0]).toContain('magnetization');
  });

  it('--S scales the bond to J S² (E = −J Σ S_i·S_j); fewer than 8 replicas use blocking', async () => {
    const r = await run(latticeCommand, ['--L', '3', '--J', '0.25', '--S', '2', '--temperature', '10', '--replicas', '2', '--equilibrate', '2', '--sample', '8', '--json', '--quiet', '--out', join(tmp, 'spin2'), ...(await backendArgs())]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.lattice.Jeff).toBe(1);
    expect(j.lattice.energy).toContain('S = 2');
    expect(j.errors).toBe('blocking');
    expect(j.points).toHaveLength(1);
  });

  it('refuses bad input with the flag named (before any work)', async () => {
    const bad: [string[], RegExp][] = [
      [['--L', '1'], /--L must be ≥ 2/],
      [['--J', 'nan'], /--J must be a finite number/],
      [['--J', 'Infinity'], /--J must be a finite number/],
      [['--J', '0'], /nothing acts on the grains/],
      [['--sweep', 'temperature=-5:10:3'], /temperatures must be ≥ 0 K/],
      [['--sweep', 'field=1:2:3'], /unknown parameter 'field'/],
      [['--temperature', '5', '--sweep', 'temperature=1:2:3'], /both given/],
      [['--dt', '1', '--sample', '0.4'], /--sample \(0.4 ps\) is shorter than one time step/],
      [['--L', '2048', '--replicas', '1024', '--temperature', '1'], /more than the 2\^32/],
      [['--L', '1200', '--replicas', '1', '--temperature', '1'], /host memory/],
      [['--S', '0'], /--S must be > 0/],
    ];
    for (const [args, re] of bad) {
      await expect(run(latticeCommand, [...args, '--out', join(tmp, 'never')]), args.join(' ')).rejects.toThrow(re);
      await expect(run(latticeCommand, [...args, '--out', join(tmp, 'never')]), args.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
    expect(existsSync(join(tmp, 'never'))).toBe(false);
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await expect(run(latticeCommand, ['--L', '4', '--out', file])).rejects.toBeInstanceOf(OutputError);
  });

  it('a lattice larger than the adapter can hold is refused with the limit named, and no run directory appears', async () => {
    const gpu = await webgpuBackend();
    if (!gpu) return;
    const lim = Math.min(gpu.gpu.device.limits.maxStorageBufferBindingSize, gpu.gpu.device.limits.maxBufferSize);
    const L = Math.ceil(Math.cbrt(lim / 16 + 1));
    if (L > 400) return;   // a hardware adapter with a huge limit: nothing to refuse at a size this test can afford
    const out = join(tmp, 'too-big');
    await expect(run(latticeCommand, ['--L', String(L), '--temperature', '1', '--replicas', '1', '--sample', '1', '--sample-every', '0.5', '--backend', 'webgpu', '--out', out])).rejects.toThrow(/lattice of \d+ sites.*(limit|workgroups).*lower the lattice size/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('nanospin ordering granular', () => {
  it('reports H_ex, the paper z_n H_ex, mean field and the lattice crossing with their ratios', async () => {
    const out = join(tmp, 'ordering');
    const r = await run(orderingGranularCommand, ['--hB', '200', '--Jsd', '5000', '--sizes', '3,6', '--points', '5', '--from', '0.9', '--to', '1.2', '--replicas', '8', '--equilibrate', '8', '--sample', '30', '--json', '--quiet', '--out', out, ...(await backendArgs())]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.Hex).toBeGreaterThan(0);
    expect(j.J).toBeCloseTo(j.Hex / 2, 5);
    // the paper's estimate is z_n = 6 times H_ex, the Heisenberg mean field H_ex (both / k_B)
    expect(j.estimates.paperK).toBeCloseTo((6 * j.Hex) / KB, 2);
    expect(j.estimates.meanFieldK).toBeCloseTo(j.Hex / KB, 2);
    expect(j.estimates.heisenbergMonteCarloK).toBeCloseTo((1.443 * j.J) / KB, 2);
    expect(j.sizes).toHaveLength(2);
    expect(j.sizes[0].points).toHaveLength(5);
    expect(j.explanation).toMatch(/mean field/);
    if (j.ordering.temperature !== null) {
      // small sizes, short runs: the crossing is only roughly at 1.443 J, but nowhere near the paper's 6 H_ex
      expect(j.ordering.temperature / j.estimates.heisenbergMonteCarloK).toBeGreaterThan(0.8);
      expect(j.ordering.temperature / j.estimates.heisenbergMonteCarloK).toBeLessThan(1.2);
      expect(j.ratios.paperOverLattice).toBeGreaterThan(5);
    }
    for (const f of ['points.csv', 'binder_crossing.svg', 'magnetization.svg', 'binder.svg', 'manifest.json', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('refuses bad sizes and windows', async () => {
    for (const [args, re] of [[['--sizes', '4'], /--sizes must be two different integers/], [['--sizes', '4,4'], /--sizes must be two different/], [['--sizes', '1,4'], /--sizes/],
      [['--from', '1.2', '--to', '1.0'], /--to .* must be above --from/], [['--hB', 'abc'], /--hB must be a finite number/]] as [string[], RegExp][]) {
      await expect(run(orderingGranularCommand, [...args, '--out', join(tmp, 'never2')]), args.join(' ')).rejects.toThrow(re);
    }
    expect(existsSync(join(tmp, 'never2'))).toBe(false);
  });
});

describe('nanospin bench lattice', () => {
  it('one JSON line per backend with spin-steps/s, bytes per spin and the ratio to the twin', async () => {
    const r = await run(benchLatticeCommand, ['--sizes', '6', '--min-seconds', '0.05', '--cpu-steps', '1', '--json', ...((await webgpuBackend()) ? [] : ['--backends', 'cpu'])]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map(l => JSON.parse(l));
    for (const l of lines) {
      expect(l.benchmark).toBe('lattice-heun');
      expect(l.error).toBeUndefined();
      expect(l.sites).toBe(216);
      expect(l.spinStepsPerSecond).toBeGreaterThan(0);
      expect(l.bytesPerSpin).toBeGreaterThan(0);
    }
    const c = lines.find(l => l.backend === 'cpu');
    expect(c.ratioToCpu).toBe(1);
  });
});
