import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy, type NpyArray } from '../src/io/npy.ts';
import { toCsv } from '../src/io/csv.ts';
import { RunDir } from '../src/io/runDir.ts';
import { buildManifest, shellQuote } from '../src/io/manifest.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanospin-io-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fill<T extends NpyArray>(a: T): T {
  for (let i = 0; i < a.length; i++) a[i] = (i * 37) % 251;
  return a;
}

describe('npy', () => {
  const cases: [string, (n: number) => NpyArray][] = [
    ['<f8', (n) => fill(new Float64Array(n))],
    ['<f4', (n) => fill(new Float32Array(n))],
    ['<i4', (n) => fill(new Int32Array(n))],
    ['|u1', (n) => fill(new Uint8Array(n))],
  ];
  const shapes: number[][] = [[], [1], [7], [3, 4], [2, 3, 5], [0], [4, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]];

  for (const [dtype, make] of cases) {
    for (const shape of shapes) {
      it(`round-trips ${dtype} shape (${shape.join(',')})`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = make(n);
        if (dtype === '<f8' && n > 1) (data as Float64Array)[1] = Math.PI * 1e-300;
        const p = join(dir, 'a.npy');
        writeNpy(p, data, shape);
        const raw = readFileSync(p);
        expect([...raw.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
        const headerLen = raw.readUInt16LE(8);
        expect((10 + headerLen) % 64).toBe(0);
        const header = raw.toString('latin1', 10, 10 + headerLen);
        expect(header.endsWith('\n')).toBe(true);
        expect(header).toContain(`'descr': '${dtype}'`);
        expect(header).toContain(`'fortran_order': False`);
        expect(raw.length).toBe(10 + headerLen + data.byteLength);
        const back = readNpy(p);
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(shape);
        expect(back.data.constructor).toBe(data.constructor);
        expect(Array.from(back.data)).toEqual(Array.from(data));
      });
    }
  }

  it('writes python tuple shapes', () => {
    const p = join(dir, 's.npy');
    writeNpy(p, new Float64Array(3), [3]);
    expect(readFileSync(p, 'latin1')).toContain(`'shape': (3,)`);
    writeNpy(p, new Float64Array(1), []);
    expect(readFileSync(p, 'latin1')).toContain(`'shape': ()`);
    writeNpy(p, new Float64Array(6), [2, 3]);
    expect(readFileSync(p, 'latin1')).toContain(`'shape': (2, 3)`);
  });

  it('preserves NaN/Inf and -0 bit patterns for f8', () => {
    const p = join(dir, 'n.npy');
    const a = new Float64Array([NaN, Infinity, -Infinity, -0, Number.MIN_VALUE]);
    writeNpy(p, a, [5]);
    const b = readNpy(p).data as Float64Array;
    expect(Number.isNaN(b[0])).toBe(true);
    expect(b[1]).toBe(Infinity);
    expect(b[2]).toBe(-Infinity);
    expect(Object.is(b[3], -0)).toBe(true);
    expect(b[4]).toBe(Number.MIN_VALUE);
  });

  it('handles subarray views (non-zero byteOffset)', () => {
    const base = new Float64Array([1, 2, 3, 4, 5]);
    const p = join(dir, 'v.npy');
    writeNpy(p, base.subarray(1, 4), [3]);
    expect(Array.from(readNpy(p).data)).toEqual([2, 3, 4]);
  });

  it('throws on shape mismatch, naming both sizes', () => {
    const p = join(dir, 'bad.npy');
    expect(() => writeNpy(p, new Float64Array(5), [2, 3])).toThrow(/\[2, 3\].*6 elements.*length 5/);
    expect(() => writeNpy(p, new Float64Array(2), [-2, -1])).toThrow(/non-negative/);
    expect(existsSync(p)).toBe(false);
  });

  it('rejects non-npy and truncated files', () => {
    const p = join(dir, 'x.npy');
    writeFileSync(p, 'hello world');
    expect(() => readNpy(p)).toThrow(/bad magic/);
    writeNpy(p, new Float64Array(4), [4]);
    writeFileSync(p, readFileSync(p).subarray(0, 64 + 8));
    expect(() => readNpy(p)).toThrow(/truncated/);
  });
});

describe('csv', () => {
  it('writes header and full-precision rows', () => {
    const s = toCsv({ t: new Float64Array([0, 0.1 + 0.2]), m: [1e-300, NaN], label: ['a', 'b,"c"'] });
    expect(s).toBe('t,m,label\n0,1e-300,a\n0.30000000000000004,NaN,"b,""c"""\n');
    expect(Number('0.30000000000000004')).toBe(0.1 + 0.2);
  });

  it('requires equal-length columns', () => {
    expect(() => toCsv({ a: [1, 2, 3], b: [1, 2] })).toThrow(/equal length.*a=3, b=2/);
  });

  it('handles no rows / no columns', () => {
    expect(toCsv({ a: [] })).toBe('a\n');
    expect(toCsv({})).toBe('');
  });
});

describe('RunDir', () => {
  it('writes into a partial dir and only publishes on commit', async () => {
    const out = join(dir, 'run1');
    const rd = await RunDir.create(out);
    rd.writeText('notes.txt', 'hi');
    rd.writeJson('params.json', { a: 1, arr: new Float64Array([1, 2]) });
    rd.writeNpy('m.npy', new Float32Array([1, 2, 3, 4]), [2, 2]);
    rd.writeCsv('sub/series.csv', { t: [0, 1], y: [2, 3] });
    expect(existsSync(out)).toBe(false);
    expect(rd.path('m.npy')).toBe(join(`${out}.partial-${process.pid}`, 'm.npy'));
    expect(existsSync(rd.path('m.npy'))).toBe(true);
    writeFileSync(rd.path('external.bin'), 'x'); // written by someone else through path()
    expect(rd.files()).toEqual(['notes.txt', 'params.json', 'm.npy', 'sub/series.csv', 'external.bin']);

    expect(rd.commit()).toBe(out);
    expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('hi');
    expect(JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'))).toEqual({ a: 1, arr: [1, 2] });
    expect(readNpy(join(out, 'm.npy')).shape).toEqual([2, 2]);
    expect(readFileSync(join(out, 'sub', 'series.csv'), 'utf8')).toBe('t,y\n0,2\n1,3\n');
    expect(rd.path('m.npy')).toBe(join(out, 'm.npy'));
    expect(() => rd.writeText('late.txt', 'x')).toThrow(/committed/);
  });

  it('removes the partial dir on abort', async () => {
    const out = join(dir, 'run2');
    const rd = await RunDir.create(out);
    rd.writeText('a.txt', 'a');
    rd.abort();
    rd.abort(); // idempotent
    expect(readdirSync(dir)).toEqual([]);
    expect(() => rd.commit()).toThrow(/aborted/);
  });

  it('refuses an existing output dir without overwrite', async () => {
    const out = join(dir, 'run3');
    mkdirSync(out);
    await expect(RunDir.create(out)).rejects.toThrow(/already exists.*--overwrite.*--out/);
    expect(readdirSync(dir)).toEqual(['run3']);
  });

  /** A directory that looks like a finished nanospin run (the only kind --overwrite replaces). */
  const oldRun = (out: string) => {
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old');
    writeFileSync(join(out, 'manifest.json'), JSON.stringify({ nanospin: '0.1.0', commandLine: 'nanospin llg' }));
  };

  it('with overwrite keeps the old dir until commit, then replaces it', async () => {
    const out = join(dir, 'run4');
    oldRun(out);
    const rd = await RunDir.create(out, { overwrite: true });
    rd.writeText('new.txt', 'new');
    expect(readFileSync(join(out, 'old.txt'), 'utf8')).toBe('old');
    rd.commit();
    expect(readdirSync(out)).toEqual(['new.txt']);
    expect(readdirSync(dir)).toEqual(['run4']);
  });

  it('aborting an overwrite run leaves the old dir intact', async () => {
    const out = join(dir, 'run5');
    oldRun(out);
    const rd = await RunDir.create(out, { overwrite: true });
    rd.writeText('new.txt', 'new');
    rd.abort();
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'old.txt']);
    expect(readdirSync(dir)).toEqual(['run5']);
  });

  it('refuses commit if out appeared meanwhile (no overwrite)', async () => {
    const out = join(dir, 'run6');
    const rd = await RunDir.create(out);
    rd.writeText('a.txt', 'a');
    mkdirSync(out);
    expect(() => rd.commit()).toThrow(/already exists/);
    rd.abort();
  });

  it('rejects names escaping the run dir and dangerous overwrites', async () => {
    const rd = await RunDir.create(join(dir, 'run7'));
    expect(() => rd.writeText('../evil.txt', 'x')).toThrow(/escapes/);
    expect(() => rd.writeText('/etc/evil.txt', 'x')).toThrow(/invalid/);
    rd.abort();
    await expect(RunDir.create(process.cwd(), { overwrite: true })).rejects.toThrow(/refusing to overwrite/);
  });
});

describe('manifest', () => {
  it('records version, environment and a quoted command line', () => {
    const m = buildManifest({
      command: ['llg', '--out', 'my run', "it's"],
      params: { n: 3 },
      backend: 'cpu',
      adapter: 'none',
      seed: 42,
      timings: { total_s: 1.5 },
    });
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(m.nanospin).toBe(pkg.version);
    expect(m.gitCommit === null || /^[0-9a-f]{40}(-dirty)?$/.test(m.gitCommit)).toBe(true);
    expect(Number.isNaN(Date.parse(m.createdAt))).toBe(false);
    expect(m.node).toBe(process.version);
    expect(m.commandLine).toBe(`nanospin llg --out 'my run' 'it'\\''s'`);
    expect(m.seed).toBe(42);
    expect(m.cpus.count).toBeGreaterThan(0);
    expect('tolerances' in m).toBe(false);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('quotes shell arguments', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('--n=3')).toBe('--n=3');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm)')).toBe("'$(rm)'");
  });
});
