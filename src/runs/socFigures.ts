// Seed 001 (Leiva, Díaz, Núñez): the coupling maps of Figs. 2, 6 and 7 regenerated as a run directory.
//
//   Fig. 2 (weak SOC, t = 5 % t0 = 0.1 meV):   (a) J_2  (b) D_2  (c) α^(i)_22  (d) j^(i)_22
//   Fig. 6 (weak SOC):                          (a) A_2  (b) K_2  (c) α^(an)_22 (d) j^(an)_22
//   Fig. 7 (strong SOC, t = t0/2 = 1 meV):      (a)–(d) as Fig. 2, (e)–(h) as Fig. 6
//
// over μ_F (horizontal) × V (vertical) at T = 0 with the paper's t_e = 100, t0 = 2, t_L = t_R = 10 meV, ε0 = 0,
// t̂ = x̂. The captions do not state the axis ranges: nanospin draws μ_F ∈ [−6, 6] meV × V ∈ [−10, 10] mV, which
// holds every resonance line of the x-like structure (|μ_L,R| = t0 ± t) with room on both sides. Two maps
// (weak and strong SOC) give all sixteen panels; each α panel hatches where the damping tensor of spin 2 has
// a negative eigenvalue (energy injection).
//
// Extending: the dynamics figures (Figs. 4 and 5: mean orientation vs bias, Langevin vs Fokker–Planck) plug
// in as `extraFigures` hooks: each names the sweeps it needs (parts of the figures' sweep, so they resume and
// shard with the maps), then gets the open run directory, the maps and its parts' arrays, writes its files and
// returns the figures it wrote; they land in the manifest, the report and the returned list.
//
// The maps (`map-weak`, `map-strong`) and the hooks' sweeps are the parts of one resumable, shardable sweep
// (socFiguresPlan); writeSocFiguresFromArrays writes the directory from the parts' arrays, for a run and for a
// merge alike.
import type { Backend } from '../backends/index.ts';
import { socDimer, type SocDimerParams } from '../models/socDimer/params.ts';
import { COUPLING_STRIDE } from '../models/socDimer/couplings.ts';
import { linspace } from '../sweeps/grid.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import type { RunDir } from '../io/runDir.ts';
import {
  ENERGY_INJECTION, NORMALISATION, QUANTITY_INFO, RAW_LAYOUT, SOC_TOLERANCES, injectionColumn, mapPlane, quantityColumn,
  quantityTitle, socHeatmap, socMapFromArrays, socMapParamsJson, socMapPlan, type SocMapJob, type SocMapResult, type SocQuantity,
} from './socCouplings.ts';
import { announced, partData, type ChunkData, type SweepPart, type SweepParts } from '../sweeps/chunked.ts';
import { sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import { reportFigures, type WrittenFigure } from './figureSet.ts';
export type { WrittenFigure };

export const SOC_FIGURE_RANGES = { muF: [-6, 6] as [number, number], V: [-10, 10] as [number, number] };
export const SOC_FIGURE_DEFAULTS = { resolution: 121 };
export const RANGE_NOTE = 'The captions of Figs. 2, 6 and 7 do not state the axis ranges; nanospin draws μ_F ∈ [−6, 6] meV (horizontal) × V ∈ [−10, 10] mV (vertical).';

/** The paper's parameters (Sec. II): t_e = 100, t0 = 2, t_L = t_R = 10 meV, ε0 = 0, t̂ = x̂, T → 0 (T = 0 here). */
export const SOC_PAPER_PARAMETERS: Partial<SocDimerParams> = { te: 100, tL: 10, tR: 10, t0: 2, eps0: 0, tHat: [1, 0, 0], TL: 0, dT: 0, bandShift: true };

export type SocStrength = 'weak' | 'strong';
/** Weak SOC t = 5 % t0 (Figs. 2, 6), strong t = 0.5 t0 (Fig. 7; the text's "t = 0.5 t0"). */
export const SOC_STRENGTHS: Record<SocStrength, number> = { weak: 0.1, strong: 1 };

export interface SocPanelSpec { letter: string; quantity: SocQuantity }
export interface SocFigureSpec { figure: number; soc: SocStrength; caption: string; panels: SocPanelSpec[] }

const FIG2: SocPanelSpec[] = [{ letter: 'a', quantity: 'J2' }, { letter: 'b', quantity: 'D2' }, { letter: 'c', quantity: 'alphaI' }, { letter: 'd', quantity: 'jI' }];
const FIG6: SocPanelSpec[] = [{ letter: 'a', quantity: 'A2' }, { letter: 'b', quantity: 'K2' }, { letter: 'c', quantity: 'alphaAn' }, { letter: 'd', quantity: 'jAn' }];

export const SOC_FIGURES: readonly SocFigureSpec[] = [
  { figure: 2, soc: 'weak', caption: 'weak SOC (t = 0.1 meV): J_2, D_2, α^(i)_22, j^(i)_22', panels: FIG2 },
  { figure: 6, soc: 'weak', caption: 'weak SOC (t = 0.1 meV): A_2, K_2, α^(an)_22, j^(an)_22', panels: FIG6 },
  {
    figure: 7, soc: 'strong', caption: 'strong SOC (t = 1 meV): J_2, D_2, α^(i)_22, j^(i)_22, A_2, K_2, α^(an)_22, j^(an)_22',
    panels: [...FIG2, ...FIG6.map((p, i) => ({ ...p, letter: 'efgh'[i] }))],
  },
];


export interface SocFiguresOptions {
  /** Points per axis (default 121). */
  resolution?: number;
  /** Which figures (default all of SOC_FIGURES). */
  figures?: readonly number[];
}

export interface SocFigureContext {
  /** The backend (or, merged, the backends) that computed the sweep. */
  backend: { name: string; adapter: string };
  /** The open run directory: write with dir.writeText / writeNpy / writeCsv. */
  dir: RunDir;
  /** The coupling maps computed for the paper's figures (by SOC strength). */
  maps: Partial<Record<SocStrength, SocMapResult>>;
  options: Required<SocFiguresOptions>;
  stage(message: string): void;
  /** How the run was cut (resumed chunks, merged shards). */
  info: SweepInfo;
}

/** Extra figures (e.g. Figs. 4, 5): the sweeps they need, then their files from those sweeps' arrays. */
export interface SocFigureHook {
  id: string;
  description: string;
  /** Its sweeps as parts of the figures' sweep (keys must start with the hook's id). */
  parts(backend: Backend): SweepPart[];
  /** Write files through ctx.dir from its parts' arrays (`data`: partData of each key), return what was written. */
  write(ctx: SocFigureContext, data: Record<string, ChunkData>): WrittenFigure[];
}

export interface SocFiguresHooks {
  progress?: (fraction: number) => void;
  stage?: (message: string) => void;
  extraFigures?: SocFigureHook[];
}

export interface SocFiguresRun {
  dir: string;
  backend: string;
  adapter: string;
  options: Required<SocFiguresOptions>;
  figures: WrittenFigure[];
  maps: Partial<Record<SocStrength, SocMapResult>>;
  seconds: Record<string, number> & { total: number };
}

/** The μ_F × V map job of one SOC strength (V slowest: rows are V, so the grids are [nV, nμ]). */
export function socFigureJob(soc: SocStrength, resolution: number): SocMapJob {
  return {
    base: socDimer({ ...SOC_PAPER_PARAMETERS, t: SOC_STRENGTHS[soc] }),
    axes: [
      { name: 'V', values: linspace(SOC_FIGURE_RANGES.V[0], SOC_FIGURE_RANGES.V[1], resolution, 'V') },
      { name: 'muF', values: linspace(SOC_FIGURE_RANGES.muF[0], SOC_FIGURE_RANGES.muF[1], resolution, 'muF') },
    ],
  };
}

const panelId = (f: SocFigureSpec, p: SocPanelSpec) => `fig${f.figure}${p.letter}_${p.quantity}`;

function figureOptions(opts: SocFiguresOptions): Required<SocFiguresOptions> {
  const options: Required<SocFiguresOptions> = {
    resolution: opts.resolution ?? SOC_FIGURE_DEFAULTS.resolution,
    figures: opts.figures ?? SOC_FIGURES.map(f => f.figure),
  };
  const n = options.resolution;
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`--resolution must be an integer ≥ 2, got ${n}`);
  return options;
}

const strengthsOf = (options: Required<SocFiguresOptions>) => [...new Set(SOC_FIGURES.filter(f => options.figures.includes(f.figure)).map(f => f.soc))];

/** The figures' sweep: a coupling map per SOC strength (`map-weak`, `map-strong`) and every hook's parts. */
export function socFiguresPlan(backend: Backend, opts: SocFiguresOptions, identity: SweepParts['identity'], hooks: SocFiguresHooks = {}): SweepParts {
  const options = figureOptions(opts), n = options.resolution;
  const parts: SweepPart[] = strengthsOf(options).map(soc => {
    const { identity: _, ...plan } = socMapPlan(backend, socFigureJob(soc, n), identity);
    return { ...announced(plan, () => hooks.stage?.(`${soc} SOC (t = ${SOC_STRENGTHS[soc]} meV): ${n} × ${n} map on ${backend.name}`)), key: `map-${soc}` };
  });
  for (const h of hooks.extraFigures ?? []) {
    let said = false;
    for (const p of h.parts(backend)) {
      if (!p.key.startsWith(h.id)) throw new Error(`figure hook ${h.id}: part '${p.key}' must start with its id`);
      parts.push({ ...p, compute: (f, c, pr) => { if (!said) { said = true; hooks.stage?.(`${h.id}: ${h.description}`); } return p.compute(f, c, pr); } });
    }
  }
  return { identity, parts };
}

/**
 * Write every panel (SVG + .npy) from the maps' arrays, then the hooks' figures, the manifest and report;
 * returns the run directory and the list of figures written.
 */
export async function writeSocFiguresFromArrays(
  target: OutputTarget, opts: SocFiguresOptions, data: ChunkData, info: SweepInfo, hooks: SocFiguresHooks = {},
): Promise<SocFiguresRun> {
  const options = figureOptions(opts), n = options.resolution;
  const specs = SOC_FIGURES.filter(f => options.figures.includes(f.figure));
  const strengths = strengthsOf(options);
  const stage = hooks.stage ?? (() => {});
  const extra = hooks.extraFigures ?? [];
  const backend = { name: info.backend, adapter: info.adapter };

  let run: Omit<SocFiguresRun, 'dir'> | undefined;
  const path = await withRunDir(target, async dir => {
    const maps: Partial<Record<SocStrength, SocMapResult>> = {};
    const seconds: Record<string, number> = {};
    for (const soc of strengths) {
      const r = socMapFromArrays(socFigureJob(soc, n), partData(data, `map-${soc}`), info);
      maps[soc] = r;
      seconds[`map_${soc}`] = r.seconds;
    }
    const tw = performance.now();
    const figures: WrittenFigure[] = [];
    const first = maps[strengths[0]]!;
    dir.writeNpy('muF.npy', first.job.axes[1].values, [n]);
    dir.writeNpy('V.npy', first.job.axes[0].values, [n]);
    const injection: Record<string, { points: number; fraction: number }> = {};
    for (const soc of strengths) {
      const r = maps[soc]!;
      dir.writeNpy(`couplings_${soc}.npy`, r.raw, [n, n, COUPLING_STRIDE]);
      const inj = injectionColumn(r);
      dir.writeNpy(`energy_injection_${soc}.npy`, inj, [n, n]);
      let c = 0;
      for (const x of inj) c += x;
      injection[soc] = { points: c, fraction: c / r.count };
    }
    for (const f of specs) {
      const r = maps[f.soc]!, plane = mapPlane(r.job), inj = injectionColumn(r);
      for (const p of f.panels) {
        const id = panelId(f, p), q = p.quantity, damping = q === 'alphaI' || q === 'alphaAn';
        const values = quantityColumn(r, q);
        const h = socHeatmap(plane, values, {
          title: `Fig. ${f.figure}(${p.letter}): ${quantityTitle(q)}, ${f.soc} SOC t = ${SOC_STRENGTHS[f.soc]} meV${damping ? '; hatched: energy injection' : ''}`,
          colorLabel: quantityTitle(q), injection: damping ? inj : undefined,
        });
        dir.writeText(`${id}.svg`, h.svg);
        dir.writeNpy(`${id}.npy`, values, [n, n]);
        let max = 0;
        for (const x of values) max = Math.max(max, Math.abs(x));
        figures.push({
          id, figure: String(f.figure), panel: p.letter, svgFile: `${id}.svg`, files: [`${id}.svg`, `${id}.npy`],
          title: `Fig. ${f.figure}(${p.letter}): ${QUANTITY_INFO[q].symbol} (${QUANTITY_INFO[q].unit}), ${f.soc} SOC t = ${SOC_STRENGTHS[f.soc]} meV — ${QUANTITY_INFO[q].description}; red > 0, blue < 0${h.hatched ? '; hatched: energy injection' : ''}`,
          caption: `${quantityTitle(q)} of the SOC dimer over the (μ_F, V) plane from the Keldysh couplings (Eq. A24 for the noise); diverging colours, white at 0${h.hatched ? '; hatched cells: the bias injects energy into the free spin' : ''}.`,
          meta: { quantity: q, soc: f.soc, t: SOC_STRENGTHS[f.soc], unit: QUANTITY_INFO[q].unit, maxAbs: max, hatchedEnergyInjection: h.hatched, npyShape: [n, n] },
        });
      }
    }
    seconds.write = (performance.now() - tw) / 1000;

    const ctx: SocFigureContext = { backend, dir, maps, options, stage, info };
    const hooksRun: Record<string, unknown>[] = [];
    for (const h of extra) {
      // its parts: the arrays 'key/name' whose key starts with the hook's id
      const keys = [...new Set(Object.keys(data).map(k => k.split('/')[0]).filter(k => k.startsWith(h.id)))];
      const own = Object.fromEntries(keys.map(k => [k, partData(data, k)]));
      const written = h.write(ctx, own);
      figures.push(...written);
      // every timing column of its parts (spreadSeconds), summed
      seconds[`hook_${h.id}`] = Object.values(own).reduce((a, d) => a + (d.seconds ?? []).reduce((b, x) => b + x, 0), 0);
      hooksRun.push({ id: h.id, description: h.description, figures: written.map(w => w.id) });
    }
    seconds.total = Object.entries(seconds).reduce((a, [k, x]) => a + (k === 'total' ? 0 : x), 0);

    const weak = maps.weak ?? first;
    const manifest = {
      params: {
        paper: { ...SOC_PAPER_PARAMETERS, note: 't_e = 100, t0 = 2, t_L = t_R = 10 meV, ε0 = 0, t̂ = x̂, T = 0; μ_L,R = μ_F ± V/2; lead bands follow their chemical potentials' },
        socStrengths: Object.fromEntries(strengths.map(s => [s, SOC_STRENGTHS[s]])),
        resolution: n, ranges: SOC_FIGURE_RANGES, rangeNote: RANGE_NOTE,
        map: socMapParamsJson(weak.job, weak.rule),
      },
      backend: backend.name, adapter: backend.adapter, timings: seconds,
      tolerances: { [backend.name]: SOC_TOLERANCES[backend.name as 'webgpu' | 'cpu'] },
      extra: {
        normalisation: NORMALISATION, energyInjection: ENERGY_INJECTION, energyInjectionPoints: injection,
        pointsPerSecond: Object.fromEntries(strengths.map(s => [s, maps[s]!.pointsPerSecond])),
        figures: SOC_FIGURES.filter(f => specs.includes(f)).map(f => ({ figure: f.figure, soc: f.soc, caption: f.caption, panels: f.panels.map(p => panelId(f, p)) })),
        panels: Object.fromEntries(figures.map(w => [w.id, { figure: w.figure, panel: w.panel, title: w.title, files: w.files, ...w.meta }])),
        hooks: hooksRun,
        files: {
          'figN?_<quantity>.npy': `float64 [${n}, ${n}]: rows V (V.npy), columns μ_F (muF.npy)`,
          'muF.npy': `float64 [${n}] (meV)`, 'V.npy': `float64 [${n}] (mV)`,
          'couplings_<soc>.npy': `float64 [${n}, ${n}, ${COUPLING_STRIDE}]: rows V, columns μ_F; ${RAW_LAYOUT}`,
          'energy_injection_<soc>.npy': `uint8 [${n}, ${n}]: 1 where ${ENERGY_INJECTION}`,
        },
        ...sweepExtra(target, sweepRecord(info)),
      },
    };
    const report = {
      title: 'nanospin figures soc-dimer: seed 001, Figs. 2, 6, 7',
      summary: {
        backend: backend.name, adapter: backend.adapter, resolution: `${n} × ${n}`,
        ...Object.fromEntries(strengths.map(s => [`${s} SOC map (s)`, maps[s]!.seconds])),
        ...Object.fromEntries(strengths.map(s => [`${s} SOC energy-injection fraction`, injection[s].fraction])),
        'time total (s)': seconds.total, ranges: RANGE_NOTE, normalisation: NORMALISATION,
      },
      figures: reportFigures(figures),
    };
    run = { backend: backend.name, adapter: backend.adapter, options, figures, maps, seconds: seconds as SocFiguresRun['seconds'] };
    return { manifest, report };
  });
  return { dir: path, ...run! };
}

export function socFiguresSummary(r: SocFiguresRun) {
  const pps = Object.fromEntries(Object.entries(r.maps).map(([s, m]) => [s, m!.pointsPerSecond]));
  return {
    backend: r.backend, adapter: r.adapter, resolution: r.options.resolution, seconds: r.seconds, pointsPerSecond: pps,
    ranges: SOC_FIGURE_RANGES, rangeNote: RANGE_NOTE, normalisation: NORMALISATION,
    energyInjectionFraction: Object.fromEntries(Object.entries(r.maps).map(([s, m]) => {
      let c = 0;
      for (const x of injectionColumn(m!)) c += x;
      return [s, c / m!.count];
    })),
    figures: r.figures.map(f => ({ id: f.id, figure: f.figure, panel: f.panel, files: f.files, ...(f.meta ? { quantity: f.meta.quantity, maxAbs: f.meta.maxAbs } : {}) })),
  };
}
