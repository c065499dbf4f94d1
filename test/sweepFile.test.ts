// Sweep files (src/sweeps/sweepFile.ts): a file and the flags it stands for give the same argv, and the
// command parses both into the same job; errors name the field, the value and what is allowed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { expandSweepFile, loadSweepFile, resolveSweepFile, type SweepFileCommand } from '../src/sweeps/sweepFile.ts';
import { runDirFlags, type FlagSchema } from '../src/cli/args.ts';
import { SOC_MODEL_FLAGS } from '../src/cli/couplings.ts';
import { SOC_RUN_FLAGS, SOC_SPIN_FLAGS, socLangevinFromFlags } from '../src/cli/socDimer.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'nanospin-sweepfile-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `switching soc-dimer` as the command describes itself to the loader. */
const SOC: SweepFileCommand = {
  command: 'switching soc-dimer',
  flags: { sweep: { type: 'string', help: 'axes' }, ...SOC_MODEL_FLAGS, ...SOC_SPIN_FLAGS, ...SOC_RUN_FLAGS, ...runDirFlags('switching-soc-dimer', 'json') },
  sweepable: ['muF', 'V'],
};

/** A command with axis flags (the shape of `nanospin demo`'s --fields/--temperatures). */
const DEMO_LIKE: FlagSchema = {
  fields: { type: 'string', unit: 'meV', help: 'axis', default: '0:3:31' },
  temperatures: { type: 'string', unit: 'K', help: 'axis', default: '0:6:13' },
  trajectories: { type: 'int', help: 'n', min: 1, max: 1 << 20, default: 128 },
  alpha: { type: 'number', help: 'α', min: 0, minOpen: true, max: 100, default: 0.5 },
  backend: { type: 'enum', values: ['auto', 'webgpu', 'cpu'], help: 'backend', default: 'auto' },
  ...runDirFlags('demo', 'json'),
};
const DEMO: SweepFileCommand = { command: 'demo', flags: DEMO_LIKE, axisFlags: ['fields', 'temperatures'] };

function file(name: string, content: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

const SOC_FILE = {
  nanospin: 'sweep/1',
  command: 'switching soc-dimer',
  description: 'weak SOC, physical reading',
  axes: { V: { from: -10, to: 10, count: 5 }, muF: '-6:6:4' },
  fixed: { trajectories: 8, reading: 'literal', 'easy-axis': [0, 0.6, 0.8], 'self-torque': true, B: -0.25, seed: 42, backend: 'cpu' },
  output: { out: 'runs/soc map', overwrite: true },
};
const SOC_ARGV = ['--sweep', 'V=-10:10:5', '--sweep', 'muF=-6:6:4', '--trajectories', '8', '--reading', 'literal', '--easy-axis', '0,0.6,0.8',
  '--self-torque', '--B', '-0.25', '--seed', '42', '--backend', 'cpu', '--out', 'runs/soc map', '--overwrite'];

describe('a sweep file is the flags it stands for', () => {
  it('gives the same argv as the equivalent flags', () => {
    expect(loadSweepFile(file('soc.json', SOC_FILE), SOC)).toEqual(SOC_ARGV);
  });

  it('and the command parses both into the same job (also with the flags typed in another order)', () => {
    const fromFile = socLangevinFromFlags('switching', loadSweepFile(file('soc.json', SOC_FILE), SOC));
    const typed = socLangevinFromFlags('switching', ['--overwrite', '--B', '-0.25', '--out', 'runs/soc map', '--seed', '42', '--sweep', 'muF=-6:6:4',
      '--easy-axis', '0,0.6,0.8', '--trajectories', '8', '--sweep', 'V=-10:10:5', '--self-torque', '--reading', 'literal', '--backend', 'cpu']);
    if (fromFile === 'help' || typed === 'help') throw new Error('help');
    expect(fromFile.job).toEqual(typed.job);
    expect(fromFile.out).toBe('runs/soc map');
    expect(fromFile.job.points.length).toBe(20);
    expect(fromFile.job.setup.spins.reading).toBe('literal');
    expect(fromFile.job.setup.spins.easyAxis[1]).toBeCloseTo(0.6, 15);
  });

  it('takes the axes as a list too, and axis flags as --flag from:to:count', () => {
    const list = { ...SOC_FILE, axes: [{ name: 'V', from: -10, to: 10, count: 5 }, { name: 'muF', from: -6, to: 6, count: 4 }] };
    expect(loadSweepFile(file('soc-list.json', list), SOC)).toEqual(SOC_ARGV);
    const demo = { axes: { temperatures: { from: 0.5, to: 4, count: 3 }, fields: '0:3:4' }, fixed: { trajectories: 16, alpha: 0.25 }, output: { out: 'runs/d', json: true } };
    expect(loadSweepFile(file('demo.json', demo), DEMO)).toEqual(['--temperatures', '0.5:4:3', '--fields', '0:3:4', '--trajectories', '16', '--alpha', '0.25', '--out', 'runs/d', '--json']);
  });

  it('keeps every float64 exactly (numbers are written as the shortest string that reads back the same)', () => {
    const x = 0.1 + 0.2, argv = loadSweepFile(file('float.json', { axes: { muF: { from: x, to: 1e-7, count: 3 } }, fixed: { t: 1 / 3 } }), SOC);
    expect(argv).toEqual(['--sweep', `muF=${x}:1e-7:3`, '--t', String(1 / 3)]);
    expect(Number(argv[3])).toBe(1 / 3);
  });

  it('splices into a command line in place of --sweep-file, and a flag in both places is refused', () => {
    const p = file('soc.json', SOC_FILE);
    const r = expandSweepFile(['--quiet', '--sweep-file', p, '--json'], SOC);
    expect(r.argv).toEqual(['--quiet', ...SOC_ARGV, '--json']);
    expect(r.file).toBe(p);
    expect(r.resolved?.axes.map(a => a.name)).toEqual(['V', 'muF']);
    expect(r.resolved?.fixed.trajectories).toBe(8);
    expect(expandSweepFile([`--sweep-file=${p}`], SOC).argv).toEqual(SOC_ARGV);
    expect(expandSweepFile(['--seed', '3'], SOC)).toEqual({ argv: ['--seed', '3'] });
    const twice = expandSweepFile(['--sweep-file', p, '--seed', '3'], SOC).argv;
    expect(() => socLangevinFromFlags('switching', twice)).toThrow(/--seed given twice/);
    expect(() => expandSweepFile(['--sweep-file'], SOC)).toThrow(/--sweep-file needs a value/);
    expect(() => expandSweepFile(['--sweep-file', p, '--sweep-file', p], SOC)).toThrow(/--sweep-file given twice/);
  });
});

describe('errors name the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a count of 0', { axes: { muF: { from: -6, to: 6, count: 0 } } }, /bad\.json: axes\.muF\.count: must be an integer in \[1, 16777216\].*got 0/],
    ['a non-finite bound', { axes: { V: { from: 'a', to: 6, count: 3 } } }, /axes\.V\.from: must be a finite number/],
    ['a malformed axis string', { axes: { V: '-6:6' } }, /axes\.V: must be \{"from": a, "to": b, "count": n\} or the string 'from:to:count'/],
    ['an unknown axis', { axes: { mu: '-6:6:3' } }, /axes\.mu: unknown axis of 'switching soc-dimer' \(did you mean 'muF'\?\); axes: muF, V/],
    ['an unknown axis in a list', { axes: [{ name: 'W', from: 0, to: 1, count: 2 }] }, /axes\[0\]\.name: must be one of the axes of 'switching soc-dimer': muF, V, got "W"/],
    ['an axis given twice', { axes: [{ name: 'V', from: 0, to: 1, count: 2 }, { name: 'V', from: 0, to: 1, count: 3 }] }, /axes\[1\]\.name: axis 'V' given twice/],
    ['an out-of-range integer', { fixed: { trajectories: 0 } }, /fixed\.trajectories: must be an integer ≥ 1 and ≤ 1048576, got 0/],
    ['a fractional integer', { fixed: { trajectories: 2.5 } }, /fixed\.trajectories: must be an integer/],
    ['a bad enum value', { fixed: { reading: 'phys' } }, /fixed\.reading: must be one of physical, literal, got "phys"/],
    ['a bad vector', { fixed: { 'easy-axis': [0, 1] } }, /fixed\.easy-axis: must be three finite numbers \[x, y, z\]/],
    ['a string for a number', { fixed: { dt: '0.02' } }, /fixed\.dt: must be a finite number > 0 and ≤ 10 \(ps\), got "0\.02"/],
    ['a number for a switch', { fixed: { 'self-torque': 1 } }, /fixed\.self-torque: must be true or false, got 1/],
    ['an unknown parameter', { fixed: { trajectries: 8 } }, /fixed\.trajectries: unknown parameter of 'switching soc-dimer' \(did you mean 'trajectories'\?\)/],
    ['an output setting among the parameters', { fixed: { out: 'x' } }, /fixed\.out: belongs under "output"/],
    ['a swept parameter also fixed', { axes: { V: '-1:1:3' }, fixed: { V: 0.5 } }, /fixed\.V: 'V' is also an axis; give it in one place/],
    ['--sweep among the parameters', { fixed: { sweep: 'V=0:1:2' } }, /fixed\.sweep: not allowed here: axes go under "axes"/],
    ['an unknown output setting', { output: { dir: 'x' } }, /output\.dir: unknown output setting; settings: out, overwrite, json, quiet/],
    ['a file for another command', { command: 'exchange junction' }, /command: this file is for another command; it is being run with 'switching soc-dimer'/],
    ['an unknown top-level key', { axis: {} }, /unknown key 'axis'/],
    ['a wrong format tag', { nanospin: 'sweep/2' }, /nanospin: must be 'sweep\/1'/],
  ];
  for (const [what, content, msg] of cases) {
    it(`names it: ${what}`, () => {
      expect(() => loadSweepFile(file('bad.json', content), SOC)).toThrow(msg);
    });
  }

  it('reports every problem at once', () => {
    const e = (() => { try { loadSweepFile(file('bad.json', { axes: { V: { from: 0, to: 1, count: -1 } }, fixed: { trajectories: 0, reading: 'x' } }), SOC); } catch (err) { return (err as Error).message; } return ''; })();
    expect(e).toMatch(/axes\.V\.count/);
    expect(e).toMatch(/fixed\.trajectories/);
    expect(e).toMatch(/fixed\.reading/);
  });

  it('names the file when it cannot be read, is not JSON, or is YAML without a YAML parser', () => {
    expect(() => loadSweepFile(join(tmp, 'missing.json'), SOC)).toThrow(/--sweep-file .*missing\.json: cannot read it \(ENOENT\)/);
    expect(() => loadSweepFile(file('broken.json', '{"axes": '), SOC)).toThrow(/broken\.json: not valid JSON/);
    let yaml = true;   // the optional 'yaml' package
    try { createRequire(import.meta.url)('yaml'); } catch { yaml = false; }
    const p = file('sweep.yaml', 'axes:\n  V: -1:1:3\n');
    if (!yaml) expect(() => loadSweepFile(p, SOC)).toThrow(/YAML sweep files need the 'yaml' package/);
    else expect(loadSweepFile(p, SOC)).toEqual(['--sweep', 'V=-1:1:3']);
  });

  it('resolves a parsed object without a file (for a manifest) and keeps the normalised axes', () => {
    const r = resolveSweepFile({ axes: { V: '-1:1:3' }, fixed: { seed: 9 } }, SOC, 'inline');
    expect(r.resolved).toEqual({ command: 'switching soc-dimer', axes: [{ name: 'V', from: -1, to: 1, count: 3, via: 'sweep' }], fixed: { seed: 9 }, output: {} });
  });
});

