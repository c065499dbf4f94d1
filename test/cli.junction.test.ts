// CLI of the junction commands: bad input names the flag and the allowed range; a closed-form sweep
// runs end to end and its run directory reloads with the numbers it printed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cliHarness.ts';
import { readNpy } from '../src/io/npy.ts';
import { heisenbergClosed } from '../src/models/junction/closedForms.ts';
import { junction } from '../src/models/junction/index.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-junction-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


describe('nanospin exchange junction: bad input', () => {
  const cases: [string[], RegExp][] = [
    [['--pL', '1.5'], /--pL must be ≥ -1 and ≤ 1, got 1.5/],
    [['--TL', '-2'], /--TL must be ≥ 0.*\(K\), got -2/],
    [['--Gamma', '0'], /--Gamma must be > 0/],
    [['--mu', 'NaN'], /--mu must be a finite number \(meV\)/],
    [['--sweep', 'beta=0:1:3'], /unknown parameter 'beta'; sweepable: mu, V, dT/],
    [['--sweep', 'mu=0:1'], /--sweep mu must be from:to:count/],
    [['--sweep', 'mu=0:1:3', '--mu', '1'], /--mu and --sweep mu=… both given/],
    [['--sweep', 'mu=0:1:3', '--sweep', 'V=0:1:3', '--sweep', 'dT=0:1:2'], /at most 2 axes/],
    [['--methd', 'closed'], /unknown flag --methd \(did you mean --method\?\)/],
    [['--method', 'nrg'], /--method must be one of keldysh, closed, equilibrium, energy/],
    [['--method', 'energy', '--V', '1'], /V/],
    [['--TL', '0', '--method', 'keldysh', '--backend', 'cpu'], /keldysh method needs TL > 0/],
  ];
  for (const [args, re] of cases) {
    it(args.join(' '), async () => {
      const r = await cli(['exchange', 'junction', ...args, '--out', join(tmp, 'bad'), '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(existsSync(join(tmp, 'bad'))).toBe(false);
    });
  }
});

describe('nanospin exchange junction: a closed-form sweep end to end', () => {
  it('prints the JSON points and writes CSV/.npy that reload to the same numbers (Eq. 7)', async () => {
    const out = join(tmp, 'closed');
    const r = await cli(['exchange', 'junction', '--method', 'closed', '--backend', 'cpu', '--sweep', 'mu=-3:3:7', '--pL', '0.5', '--pR', '0.5', '--json', '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.method).toBe('closed');
    expect(j.points).toHaveLength(7);
    for (const p of j.points) {
      const ref = heisenbergClosed(junction({ mu: p.mu, pL: 0.5, pR: 0.5 })).value;
      expect(p.J12).toBeCloseTo(ref, 14);
      expect(p.Czz).toBe(p.J12);
      for (const k of ['mu', 'V', 'dT', 'J12', 'I12', 'D12', 'Czz', 'Cxx', 'Dz']) expect(typeof p[k]).toBe('number');
    }
    const czz = readNpy(join(out, 'Czz.npy'));
    expect(czz.shape).toEqual([7]);
    expect(Array.from(czz.data)).toEqual(j.points.map((p: { Czz: number }) => p.Czz));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.commandLine).toContain('exchange junction --method closed');
    expect(existsSync(join(out, 'couplings.svg'))).toBe(true);
  });
});
