// `nanospin figures vibronic`: seed 003 (Fransson), Figs. 2–5 regenerated as one run directory.
//
//   Fig. 2  total moment ⟨S_k^z + S_k̄^z⟩ of H_k over J_k × α_k at T = 3 K for S = 1/2, 1, 3/2, 2
//           (resolution² exact diagonalizations per panel on the chosen backend; 1000² by default)
//   Fig. 3  coth(βω0/2)/ω0 vs T for the ten printed ω0 (and Eq. 7 against ED of ω0 a†a + Φ Q³)
//   Fig. 4  moment of the S = 1 pair over J × T, α(T) = A⟨Q⟩(T) from Eq. 7, ω0 = 0.6, 1.2, 1.8, 2.4 meV
//   Fig. 5  moment per site vs T on the Gaussian 2D structure (src/models/vibronic/lattice.ts),
//           Φ ∈ {1e-7 … 1e-3} ω0, ω0 = 100 μeV, |J| = 5 and 50 meV, AFM (J < 0) and FM (J > 0), I = |J|
//
// Figs. 2, 4 and 5 are the parts of one resumable, shardable sweep (vibronicFiguresPlan: a part per panel);
// writeVibronicFiguresFromArrays writes the directory from their arrays, for a run and for a merge alike.
// What the paper leaves out is chosen in VIBRONIC_FIGURE_PARAMETERS and recorded in the manifest. Figs. 4 and 5
// always run on the float64 CPU twin: their pseudo-fields are 10⁻⁸ … 10⁻² of the exchange, below float32
// resolution of the Hamiltonian's diagonal (the device result would be rounding noise).
import type { Backend } from '../backends/index.ts';
import { CpuBackend } from '../backends/index.ts';
import { pairEdKernel, pointRow, POINT_STRIDE, RESULT_ROW, RESULT_STRIDE } from '../kernels/vibronic/index.ts';
import { kPair, type FieldOn } from '../models/vibronic/hamiltonian.ts';
import { spinLabel } from '../models/vibronic/spin.ts';
import { eq5Printed, eq7MeanDisplacement, fig3Function } from '../models/vibronic/closedForms.ts';
import { anharmonicMeanDisplacement } from '../models/vibronic/oscillator.ts';
import { gaussianCouplingK, gaussianExchangeK, squareLatticeKClasses } from '../models/vibronic/lattice.ts';
import { KB } from '../numerics/units.ts';
import { linspace } from '../sweeps/grid.ts';
import { lineChart } from '../plots/svg.ts';
import { momentMapSvg, MOMENT_TOLERANCE } from './vibronicMoment.ts';
import { withRunDir, type OutputTarget } from './output.ts';
import type { RunDir } from '../io/runDir.ts';
import { announced, partData, type ChunkData, type SweepPart, type SweepParts } from '../sweeps/chunked.ts';
import { spreadSeconds, sumSeconds, sweepExtra, sweepRecord, type SweepInfo } from './sweepInfo.ts';
import { reportFigures, type WrittenFigure } from './figureSet.ts';

export const VIBRONIC_FIGURES = [2, 3, 4, 5] as const;
export type VibronicFigure = typeof VIBRONIC_FIGURES[number];

/** Every parameter of the four figures; `given` = printed in the paper, `chosen` = left out there, chosen here. */
export const VIBRONIC_FIGURE_PARAMETERS = {
  fig2: {
    given: { spins: [0.5, 1, 1.5, 2], T: 3, anisotropy: 0, note: 'S = 1/2, 1, 3/2, 2; T = 3 K; no on-site anisotropy; colour = total S^z of the pair' },
    chosen: { J: [-2, 2], alpha: [-2, 2], note: 'J_k and α_k ranges (meV) are not printed: [−2, 2] meV holds the FM (J_k < 0) and AFM (J_k > 0) regimes and the printed crossover 3|α_k| = J_k; α_k on the first spin as printed (--field-on both for the other reading)' },
  },
  fig3: {
    given: { omega0: [1.0, 1.8, 3.2, 5.8, 10.5, 19.0, 34.1, 61.5, 111, 200] },
    chosen: { T: [1, 300], points: 300, eq7Check: { PhiOverOmega0: 1e-3, omega0: [1, 5.8, 19], T: [3, 10, 30, 100, 300] }, note: 'T range not printed: 1 … 300 K; y in 1/meV; the Eq. 7 check diagonalizes ω0 a†a + Φ(a + a†)³ with enough Fock states for k_BT' },
  },
  fig4: {
    given: { S: 1, omega0: [0.6, 1.2, 1.8, 2.4], APhi: 0.2, APhiUnit: 'μeV (as printed)' },
    chosen: { APhi_meV2: 2e-4, J: [-5, 5], T: [1, 300], note: 'A_k^(z)Φ = 0.2 μeV has the wrong dimension (AΦ is an energy squared); read as 2·10⁻⁴ meV², α(T) = A⟨Q⟩ = −6AΦ coth(βω0/2)/ω0; J ∈ [−5, 5] meV (the caption\'s J is taken as J_k of H_k, > 0 AFM), T ∈ [1, 300] K; field on the first spin' },
  },
  fig5: {
    given: { PhiOverOmega0: [1e-7, 1e-6, 1e-5, 1e-4, 1e-3], omega0: 0.1, absJ: [5, 50], I: '|J|', rS: 1, rA: 1, S: 1, note: 'S = 1 (caption; the text says 1/2, for which an on-site (S^z)² is a constant); (a, c) AFM J < 0, (b, d) FM J > 0; r_S = r_A = 1 Å; the printed ×10⁴, ×500, ×25 curve factors are not attributed to a Φ' },
    chosen: {
      A: 1, latticeConstant: 1, kGrid: 32, T: [1, 300],
      note: 'spin–lattice A = 1 meV per unit Q; square lattice a = 1 Å; 32 × 32 Monkhorst–Pack k grid (k = 0 excluded), ⟨S_m^z⟩ = (1/N²) Σ_k ½⟨S_k^z + S_k̄^z⟩_{H_k}; ' +
        'J_k = −√2π r_S J e^{−k²/k_S²}, A_k = √2π r_A A e^{−k²/k_A²} as printed (r in Å); ⟨Q⟩ from Eq. 7, the same for every k (Φ_kk\' ≈ Φ); ' +
        'easy-plane I = |J| as the on-site axial term |J| (S^z)² on both spins; field on the first spin; T ∈ [1, 300] K',
    },
  },
} as const;

export interface VibronicFiguresOptions {
  figures: VibronicFigure[];
  /** Fig. 2 points per axis. */
  resolution: number;
  fieldOn: FieldOn;
  fig4: { nJ: number; nT: number; APhi: number };
  fig5: { kGrid: number; nT: number; A: number; latticeConstant: number };
  /** Decimate CSV tables of maps to at most this many points per axis (the .npy keep everything). */
  csvSide: number;
}

export const VIBRONIC_FIGURE_DEFAULTS: VibronicFiguresOptions = {
  figures: [...VIBRONIC_FIGURES], resolution: 1000, fieldOn: 'first',
  fig4: { nJ: 201, nT: 150, APhi: 2e-4 }, fig5: { kGrid: 32, nT: 150, A: 1, latticeConstant: 1 }, csvSide: 201,
};


export interface VibronicFiguresRun {
  dir: string;
  backend: string;
  adapter: string;
  options: VibronicFiguresOptions;
  figures: WrittenFigure[];
  seconds: Record<string, number> & { total: number };
  /** Fig. 2: diagonalizations per second per panel. */
  fig2Rates: Record<string, number>;
  checks: Record<string, unknown>;
}

const spinTag = (S: number) => spinLabel(S).replace('/', '_');

/** Every s-th index of 0 … n−1 (s = ceil(n / side)), the last included. */
function decimation(n: number, side: number): number[] {
  const s = Math.max(1, Math.ceil(n / side)), out: number[] = [];
  for (let i = 0; i < n; i += s) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** Map CSV of a [ny, nx] grid, decimated to ≤ side per axis. */
function mapCsv(dir: RunDir, name: string, xName: string, x: Float64Array, yName: string, y: Float64Array, cols: Record<string, Float64Array>, side: number): { stride: [number, number] } {
  const xi = decimation(x.length, side), yi = decimation(y.length, side), nx = x.length;
  const out: Record<string, number[]> = { [yName]: [], [xName]: [] };
  for (const k of Object.keys(cols)) out[k] = [];
  for (const a of yi) for (const b of xi) {
    out[yName].push(y[a]); out[xName].push(x[b]);
    for (const [k, v] of Object.entries(cols)) out[k].push(v[a * nx + b]);
  }
  dir.writeCsv(name, out);
  return { stride: [Math.ceil(y.length / side), Math.ceil(x.length / side)] };
}

interface Ctx { dir: RunDir; o: VibronicFiguresOptions; data: ChunkData }

/** Fig. 2 panels: one part per S, n² points (rows α_k, columns J_k) on the chosen backend; arrays moment1, moment2 and seconds (pack, kernel). */
function figure2Parts(o: VibronicFiguresOptions, backend: Backend): SweepPart[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig2, n = o.resolution;
  const J = linspace(P.chosen.J[0], P.chosen.J[1], n, 'J'), alpha = linspace(P.chosen.alpha[0], P.chosen.alpha[1], n, 'alpha');
  return P.given.spins.map((S, k) => ({
    key: `fig2${'abcd'[k]}`, points: n * n, widths: { moments: 2, seconds: 2 }, cost: 1,
    chunkPoints: Math.max(1, Math.min(1 << 16, Math.ceil((n * n) / 32))),
    async compute(first, count, progress) {
      const t0 = performance.now(), rows = new Float64Array(count * POINT_STRIDE);
      for (let i = 0; i < count; i++) { const q = first + i, a = Math.floor(q / n), b = q % n; pointRow(kPair({ S, J: J[b], alpha: alpha[a], fieldOn: o.fieldOn }), P.given.T, rows, i * POINT_STRIDE); }
      const tPack = (performance.now() - t0) / 1000;
      const r = await backend.run(pairEdKernel, { S, rows }, (d, t) => progress?.(d / t));
      const moments = new Float64Array(2 * count);
      for (let i = 0; i < count; i++) { moments[2 * i] = r.results[i * RESULT_STRIDE + RESULT_ROW.offsets.moment1]; moments[2 * i + 1] = r.results[i * RESULT_STRIDE + RESULT_ROW.offsets.moment2]; }
      return { moments, seconds: spreadSeconds(count, [tPack, r.seconds]) };
    },
  }));
}

function figure2(c: Ctx, seconds: Record<string, number>, rates: Record<string, number>): WrittenFigure[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig2, n = c.o.resolution;
  const J = linspace(P.chosen.J[0], P.chosen.J[1], n, 'J'), alpha = linspace(P.chosen.alpha[0], P.chosen.alpha[1], n, 'alpha');
  c.dir.writeNpy('fig2_J.npy', J, [n]);
  c.dir.writeNpy('fig2_alpha.npy', alpha, [n]);
  const out: WrittenFigure[] = [];
  for (const [k, S] of P.given.spins.entries()) {
    const letter = 'abcd'[k], id = `fig2${letter}_S${spinTag(S)}`, d = partData(c.data, `fig2${letter}`);
    const [pack, kernel] = sumSeconds(d.seconds, 2);
    const m1 = new Float64Array(n * n), m2 = new Float64Array(n * n), m = new Float64Array(n * n);
    let magnetised = 0, maxAbs = 0;
    for (let i = 0; i < n * n; i++) {
      m1[i] = d.moments[2 * i]; m2[i] = d.moments[2 * i + 1];
      m[i] = m1[i] + m2[i];
      if (Math.abs(m[i]) > 0.5 * S) magnetised++;
      maxAbs = Math.max(maxAbs, Math.abs(m[i]));
    }
    c.dir.writeNpy(`${id}_moment.npy`, m, [n, n]);
    c.dir.writeNpy(`${id}_moment1.npy`, m1, [n, n]);
    const csv = mapCsv(c.dir, `${id}.csv`, 'J', J, 'alpha', alpha, S === 0.5 ? { moment: m, moment1: m1, moment2: m2, eq5Printed: Float64Array.from({ length: n * n }, (_, i) => eq5Printed(J[i % n], alpha[Math.floor(i / n)], P.given.T)) } : { moment: m, moment1: m1, moment2: m2 }, c.o.csvSide);
    const title = `Fig. 2(${letter}): ⟨S_k^z + S_k̄^z⟩, S = ${spinLabel(S)}, T = ${P.given.T} K, field on ${c.o.fieldOn}`;
    c.dir.writeText(`${id}.svg`, momentMapSvg({ title, x: J, y: alpha, values: m, xLabel: 'J_k (meV)   [J_k < 0 FM, J_k > 0 AFM]', yLabel: 'α_k = A_k⟨Q_k̄⟩ (meV)', colorLabel: '⟨M⟩ (ħ)', symmetric: true }));
    seconds[`fig2_${spinTag(S)}`] = pack + kernel;
    rates[spinLabel(S)] = (n * n) / kernel;
    out.push({
      // no rhombic term in Fig. 2: the kernels take the block path
      id, figure: '2', panel: letter, title, svgFile: `${id}.svg`,
      caption: 'Thermal moment of one k-pair by exact diagonalization over the exchange J_k (< 0 ferromagnetic) and the vibronic field α_k; diverging colours, white at zero moment.', files: [`${id}.svg`, `${id}_moment.npy`, `${id}_moment1.npy`, `${id}.csv`],
      meta: { S, points: n * n, path: 'blocks', kernelSeconds: kernel, packSeconds: pack, diagonalizationsPerSecond: (n * n) / kernel, maxAbsMoment: maxAbs, fractionAbsMomentAboveHalfS: magnetised / (n * n), csvStride: csv.stride, npyShape: [n, n], axes: 'rows α_k (fig2_alpha.npy), columns J_k (fig2_J.npy)' },
    });
  }
  return out;
}

function figure3(c: Ctx, checks: Record<string, unknown>): WrittenFigure[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig3;
  const T = linspace(P.chosen.T[0], P.chosen.T[1], P.chosen.points, 'T');
  const cols: Record<string, Float64Array> = { T };
  const series = P.given.omega0.map(w => {
    const y = Float64Array.from(T, t => fig3Function(w, t));
    cols[`omega0_${w}`] = y;
    return { name: `ω0 = ${w} meV`, x: T, y };
  });
  c.dir.writeCsv('fig3.csv', cols);
  c.dir.writeNpy('fig3.npy', Float64Array.from(series.flatMap(s => Array.from(s.y))), [series.length, T.length]);
  c.dir.writeNpy('fig3_T.npy', T, [T.length]);
  c.dir.writeText('fig3.svg', lineChart({ title: 'Fig. 3: coth(βω0/2)/ω0', xLabel: 'T (K)', yLabel: 'coth(βω0/2)/ω0 (1/meV)', series }));
  c.dir.writeText('fig3_normalised.svg', lineChart({ title: 'Fig. 3, each curve over its T → 0 value: coth(βω0/2)', xLabel: 'T (K)', yLabel: 'coth(βω0/2)', series: series.map((s, k) => ({ ...s, y: Float64Array.from(s.y, v => v * P.given.omega0[k]) })) }));
  // Eq. 7 against ED of one anharmonic mode
  const ck = P.chosen.eq7Check, rows: Record<string, number[]> = { omega0: [], T: [], Phi: [], eq7: [], ed: [], relativeDifference: [], fockStates: [], topStatesWeight: [] };
  let worst = 0;
  for (const w of ck.omega0) for (const t of ck.T) {
    // Fock states: enough that the top five carry < 1e-6 of the thermal weight (400 at k_BT = 26 ω0)
    const Phi = ck.PhiOverOmega0 * w, levels = Math.min(400, Math.max(60, Math.ceil(14 * KB * t / w) + 60));
    const osc = anharmonicMeanDisplacement(w, Phi, t, levels), ed = osc.meanQ, e7 = eq7MeanDisplacement(Phi, w, t);
    rows.topStatesWeight.push(osc.highestWeight);
    const rel = Math.abs(ed - e7) / Math.abs(ed);
    worst = Math.max(worst, rel);
    rows.omega0.push(w); rows.T.push(t); rows.Phi.push(Phi); rows.eq7.push(e7); rows.ed.push(ed); rows.relativeDifference.push(rel); rows.fockStates.push(levels);
  }
  c.dir.writeCsv('fig3_eq7_check.csv', rows);
  checks.eq7VsOscillatorED = { PhiOverOmega0: ck.PhiOverOmega0, maxRelativeDifference: worst, note: 'ED of ω0 a†a + Φ(a + a†)³ vs Eq. 7; the difference is O(Φ/ω0)' };
  const ratio = Object.fromEntries(P.given.omega0.map(w => [w, fig3Function(w, 300) / fig3Function(w, 1)]));
  return [
    { id: 'fig3', figure: '3', title: 'Fig. 3: coth(βω0/2)/ω0 (1/meV) vs T for ω0 = 1 … 200 meV', svgFile: 'fig3.svg', caption: 'The oscillator factor of Eq. 7 (⟨Q⟩ ∝ coth(βω0/2)/ω0) for each mode frequency; fig3_eq7_check.csv compares Eq. 7 with exact diagonalization of the anharmonic oscillator.', files: ['fig3.svg', 'fig3.csv', 'fig3.npy', 'fig3_T.npy', 'fig3_eq7_check.csv'], meta: { ratio300KTo1K: ratio } },
    { id: 'fig3_normalised', figure: '3', title: 'Fig. 3 normalised: coth(βω0/2) (the curves over their T → 0 value 1/ω0)', svgFile: 'fig3_normalised.svg', caption: 'The same curves over their T → 0 value, so that the temperature where each mode turns classical (k_BT ≈ ω0/2) can be read off.', files: ['fig3_normalised.svg'] },
  ];
}

/** Fig. 4 panels: one part per ω0, nJ × nT points (rows T, columns J) on the float64 twin; array moment. */
function figure4Parts(o: VibronicFiguresOptions, cpu: Backend): SweepPart[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig4, { nJ, nT, APhi } = o.fig4, S = P.given.S;
  const J = linspace(P.chosen.J[0], P.chosen.J[1], nJ, 'J'), T = linspace(P.chosen.T[0], P.chosen.T[1], nT, 'T');
  return P.given.omega0.map((w, k) => {
    const alpha = Float64Array.from(T, t => eq7MeanDisplacement(APhi, w, t));
    return {
      key: `fig4${'abcd'[k]}`, points: nJ * nT, widths: { moment: 1, seconds: 1 }, cost: 1,
      async compute(first, count) {
        const t0 = performance.now(), rows = new Float64Array(count * POINT_STRIDE);
        for (let i = 0; i < count; i++) { const q = first + i, a = Math.floor(q / nJ), b = q % nJ; pointRow(kPair({ S, J: J[b], alpha: alpha[a], fieldOn: o.fieldOn }), T[a], rows, i * POINT_STRIDE); }
        const r = await cpu.run(pairEdKernel, { S, rows });
        const moment = Float64Array.from({ length: count }, (_, i) => r.results[i * RESULT_STRIDE] + r.results[i * RESULT_STRIDE + 1]);
        return { moment, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
      },
    };
  });
}

function figure4(c: Ctx): WrittenFigure[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig4, { nJ, nT, APhi } = c.o.fig4;
  const J = linspace(P.chosen.J[0], P.chosen.J[1], nJ, 'J'), T = linspace(P.chosen.T[0], P.chosen.T[1], nT, 'T');
  c.dir.writeNpy('fig4_J.npy', J, [nJ]);
  c.dir.writeNpy('fig4_T.npy', T, [nT]);
  const out: WrittenFigure[] = [];
  for (const [k, w] of P.given.omega0.entries()) {
    const letter = 'abcd'[k], id = `fig4${letter}_omega${String(w).replace('.', 'p')}`;
    const alpha = Float64Array.from(T, t => eq7MeanDisplacement(APhi, w, t));
    const m = partData(c.data, `fig4${letter}`).moment;
    let maxAbs = 0;
    for (const x of m) maxAbs = Math.max(maxAbs, Math.abs(x));
    c.dir.writeNpy(`${id}_moment.npy`, m, [nT, nJ]);
    c.dir.writeNpy(`${id}_alpha.npy`, alpha, [nT]);
    const csv = mapCsv(c.dir, `${id}.csv`, 'J', J, 'T', T, { moment: m, alpha: Float64Array.from(m, (_, i) => alpha[Math.floor(i / nJ)]) }, c.o.csvSide);
    const title = `Fig. 4(${letter}): ⟨S_k^z + S_k̄^z⟩, S = 1, ω0 = ${w} meV, AΦ = ${APhi} meV²`;
    c.dir.writeText(`${id}.svg`, momentMapSvg({ title, x: J, y: T, values: m, xLabel: 'J_k (meV)   [< 0 FM, > 0 AFM]', yLabel: 'T (K)', colorLabel: '⟨M⟩ (ħ)' }));
    out.push({ id, figure: '4', panel: letter, title, svgFile: `${id}.svg`, caption: 'Moment of a spin-1 pair over exchange and temperature with the vibronic field α_k = A⟨Q⟩ of Eq. 7 at each T.', files: [`${id}.svg`, `${id}_moment.npy`, `${id}_alpha.npy`, `${id}.csv`], meta: { omega0: w, APhi, maxAbsMoment: maxAbs, alphaAt3K: eq7MeanDisplacement(APhi, w, 3), alphaAt300K: eq7MeanDisplacement(APhi, w, 300), csvStride: csv.stride, npyShape: [nT, nJ] } });
  }
  return out;
}

const FIG5_PANELS = [{ letter: 'a', J: -5 }, { letter: 'b', J: 5 }, { letter: 'c', J: -50 }, { letter: 'd', J: 50 }];

/** Fig. 5 panels: one part per panel, points (Φ, T) (Φ slowest), each the k-class sum of nK diagonalizations on the float64 twin; array site moment. */
function figure5Parts(o: VibronicFiguresOptions, cpu: Backend): SweepPart[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig5, f5 = o.fig5, S = P.given.S, w0 = P.given.omega0;
  const T = linspace(P.chosen.T[0], P.chosen.T[1], f5.nT, 'T'), ks = squareLatticeKClasses(f5.kGrid, f5.latticeConstant), nK = ks.length;
  const Phis = P.given.PhiOverOmega0.map(x => x * w0);
  return FIG5_PANELS.map(panel => ({
    key: `fig5${panel.letter}`, points: Phis.length * f5.nT, widths: { site: 1, seconds: 1 }, cost: nK,
    async compute(first, count) {
      const t0 = performance.now(), rows = new Float64Array(count * nK * POINT_STRIDE);
      let at = 0;
      for (let q = first; q < first + count; q++) {
        const Phi = Phis[Math.floor(q / f5.nT)], t = T[q % f5.nT], Q = eq7MeanDisplacement(Phi, w0, t);
        for (const kc of ks) {
          pointRow(kPair({ S, J: gaussianExchangeK(panel.J, P.given.rS, kc.k2), alpha: gaussianCouplingK(f5.A, P.given.rA, kc.k2) * Q, fieldOn: o.fieldOn, axial: Math.abs(panel.J) }), t, rows, at);
          at += POINT_STRIDE;
        }
      }
      const r = await cpu.run(pairEdKernel, { S, rows });
      const site = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        let s = 0;
        for (let q = 0; q < nK; q++) { const row = (i * nK + q) * RESULT_STRIDE; s += ks[q].weight * 0.5 * (r.results[row] + r.results[row + 1]); }
        site[i] = s;
      }
      return { site, seconds: spreadSeconds(count, [(performance.now() - t0) / 1000]) };
    },
  }));
}

function figure5(c: Ctx): WrittenFigure[] {
  const P = VIBRONIC_FIGURE_PARAMETERS.fig5, o = c.o.fig5, w0 = P.given.omega0;
  const T = linspace(P.chosen.T[0], P.chosen.T[1], o.nT, 'T'), ks = squareLatticeKClasses(o.kGrid, o.latticeConstant);
  c.dir.writeNpy('fig5_T.npy', T, [o.nT]);
  const out: WrittenFigure[] = [];
  for (const panel of FIG5_PANELS) {
    const id = `fig5${panel.letter}_J${panel.J}`, Phis = P.given.PhiOverOmega0.map(x => x * w0), nK = ks.length;
    const site = partData(c.data, `fig5${panel.letter}`).site;
    c.dir.writeNpy(`${id}_site_moment.npy`, site, [Phis.length, o.nT]);
    const cols: Record<string, Float64Array> = { T };
    Phis.forEach((_, f) => { cols[`Phi_${P.given.PhiOverOmega0[f]}_omega0`] = site.subarray(f * o.nT, (f + 1) * o.nT); });
    c.dir.writeCsv(`${id}.csv`, cols);
    const kind = panel.J < 0 ? 'AFM' : 'FM';
    const title = `Fig. 5(${panel.letter}): moment per site ⟨S_m^z⟩, ${kind} J = ${panel.J} meV, S = 1, I = |J|`;
    const series = Phis.map((_, f) => ({ name: `Φ = ${P.given.PhiOverOmega0[f]} ω0`, x: T, y: site.subarray(f * o.nT, (f + 1) * o.nT) }));
    c.dir.writeText(`${id}.svg`, lineChart({ title, xLabel: 'T (K)', yLabel: '⟨S_m^z⟩ (ħ)', series }));
    // scaled view like the paper's: each curve times 10^n so that its largest |value| is within ×10 of the top curve's
    const top = Math.max(...series.map(s => Math.max(...Array.from(s.y, Math.abs))));
    const factors = series.map(s => { const m = Math.max(...Array.from(s.y, Math.abs)); return m > 0 ? 10 ** Math.max(0, Math.floor(Math.log10(top / m))) : 1; });
    c.dir.writeText(`${id}_scaled.svg`, lineChart({ title: `${title} (curves scaled)`, xLabel: 'T (K)', yLabel: '⟨S_m^z⟩ × factor (ħ)', series: series.map((s, f) => ({ ...s, name: `${s.name} ×${factors[f]}`, y: Float64Array.from(s.y, v => v * factors[f]) })) }));
    out.push(
      { id, figure: '5', panel: panel.letter, title, svgFile: `${id}.svg`, caption: 'Moment per site of the lattice model (k classes summed) vs temperature, one curve per Φ/ω0.', files: [`${id}.svg`, `${id}_scaled.svg`, `${id}_site_moment.npy`, `${id}.csv`], meta: { J: panel.J, kClasses: nK, siteMomentAt300K: Object.fromEntries(Phis.map((_, f) => [P.given.PhiOverOmega0[f], site[f * o.nT + o.nT - 1]])), npyShape: [Phis.length, o.nT] } },
      { id: `${id}_scaled`, figure: '5', panel: panel.letter, title: `${title}: each curve ×10ⁿ to the top curve's scale (factors in the legend)`, svgFile: `${id}_scaled.svg`, caption: 'The curves of the panel above, each multiplied by the power of ten in its legend entry so their shapes can be compared.', files: [`${id}_scaled.svg`], meta: { factors } },
    );
  }
  return out;
}

/** The figures' sweep: Fig. 2 per S on the backend, Figs. 4 and 5 per panel on the float64 twin (Fig. 3 needs no sweep). */
export function vibronicFiguresPlan(backend: Backend, o: VibronicFiguresOptions, identity: SweepParts['identity'], hooks: { stage?: (s: string) => void } = {}): SweepParts {
  if (!(Number.isInteger(o.resolution) && o.resolution >= 2)) throw new RangeError(`--resolution must be an integer ≥ 2, got ${o.resolution}`);
  const cpu = new CpuBackend(), parts: SweepPart[] = [];
  const stage = (p: SweepPart, line: string): SweepPart => announced(p, () => hooks.stage?.(line));
  const P2 = VIBRONIC_FIGURE_PARAMETERS.fig2;
  if (o.figures.includes(2)) figure2Parts(o, backend).forEach((p, k) => parts.push(stage(p, `Fig. 2(${'abcd'[k]}) S = ${spinLabel(P2.given.spins[k])}: ${o.resolution} × ${o.resolution} diagonalizations on ${backend.name}`)));
  if (o.figures.includes(4)) figure4Parts(o, cpu).forEach((p, k) => parts.push(stage(p, `Fig. 4(${'abcd'[k]}) ω0 = ${VIBRONIC_FIGURE_PARAMETERS.fig4.given.omega0[k]} meV: ${o.fig4.nJ} × ${o.fig4.nT} diagonalizations (float64)`)));
  if (o.figures.includes(5)) figure5Parts(o, cpu).forEach((p, k) => parts.push(stage(p, `Fig. 5(${FIG5_PANELS[k].letter}) J = ${FIG5_PANELS[k].J} meV: 5 Φ × ${o.fig5.nT} T × ${squareLatticeKClasses(o.fig5.kGrid, o.fig5.latticeConstant).length} |k| classes (float64)`)));
  // Fig. 3 alone: a sweep of no parts would have nothing to resume; give it an empty marker part
  if (!parts.length) parts.push({ key: 'none', points: 1, widths: { none: 1 }, compute: async () => ({ none: new Float64Array(1) }) });
  return { identity, parts };
}

/** Write the figures from the parts' arrays (the run's own, or merged shards'); Fig. 3 is computed here. */
export async function writeVibronicFiguresFromArrays(target: OutputTarget, o: VibronicFiguresOptions, data: ChunkData, info: SweepInfo): Promise<VibronicFiguresRun> {
  const backend = { name: info.backend, adapter: info.adapter };
  let run: Omit<VibronicFiguresRun, 'dir'> | undefined;
  const dir = await withRunDir(target, async d => {
    const seconds: Record<string, number> = {}, rates: Record<string, number> = {}, checks: Record<string, unknown> = {};
    const figures: WrittenFigure[] = [];
    const ctx: Ctx = { dir: d, o, data };
    // a figure's time: its parts' timing columns summed (Fig. 3: computed here)
    const partSeconds = (prefix: string) => Object.entries(data).filter(([k]) => k.startsWith(prefix) && k.endsWith('/seconds')).reduce((a, [, v]) => a + v.reduce((b, x) => b + x, 0), 0);
    for (const f of o.figures) {
      const tf = performance.now();
      if (f === 2) figures.push(...figure2(ctx, seconds, rates));
      if (f === 3) figures.push(...figure3(ctx, checks));
      if (f === 4) figures.push(...figure4(ctx));
      if (f === 5) figures.push(...figure5(ctx));
      seconds[`fig${f}`] = f === 3 ? (performance.now() - tf) / 1000 : partSeconds(`fig${f}`);
    }
    seconds.total = o.figures.reduce((a, f) => a + seconds[`fig${f}`], 0);
    const params = {
      options: o,
      paper: Object.fromEntries(o.figures.map(f => [`fig${f}`, VIBRONIC_FIGURE_PARAMETERS[`fig${f}` as const]])),
      backends: { fig2: backend.name, fig3: 'cpu (closed forms and oscillator ED, float64)', fig4: 'cpu (float64 twin: α/J ~ 1e-6 … 1e-2 is below float32 resolution)', fig5: 'cpu (float64 twin: α_k/J_k down to ~1e-8)' },
    };
    const manifest = {
      params, backend: backend.name, adapter: backend.adapter, timings: seconds,
      tolerances: { [backend.name]: MOMENT_TOLERANCE[backend.name as 'webgpu' | 'cpu'], cpu: MOMENT_TOLERANCE.cpu },
      extra: {
        fig2DiagonalizationsPerSecond: rates, checks,
        panels: Object.fromEntries(figures.map(w => [w.id, { figure: w.figure, panel: w.panel, title: w.title, files: w.files, ...w.meta }])),
        files: {
          'fig2<p>_S<S>_moment.npy': `float64 [${o.resolution}, ${o.resolution}]: rows α_k (fig2_alpha.npy), columns J_k (fig2_J.npy)`,
          'fig2<p>_S<S>.csv': `the same map at every s-th point (≤ ${o.csvSide} per axis; the .npy hold all points)`,
          'fig3.npy': '[10, T points]: coth(βω0/2)/ω0 (1/meV) for the printed ω0 (rows), T in fig3_T.npy',
          'fig4<p>_omega<w>_moment.npy': `[${o.fig4.nT}, ${o.fig4.nJ}]: rows T (fig4_T.npy), columns J_k (fig4_J.npy)`,
          'fig5<p>_J<J>_site_moment.npy': `[5, ${o.fig5.nT}]: rows Φ = 1e-7 … 1e-3 ω0, columns T (fig5_T.npy)`,
        },
        ...sweepExtra(target, sweepRecord(info)),
      },
    };
    const report = {
      title: 'nanospin figures vibronic: seed 003 (Fransson), Figs. 2–5',
      summary: {
        backend: backend.name, adapter: backend.adapter, 'Fig. 2 resolution': `${o.resolution} × ${o.resolution} per S`,
        ...Object.fromEntries(Object.entries(rates).map(([s, x]) => [`Fig. 2 S = ${s}: diagonalizations/s`, x])),
        ...Object.fromEntries(Object.entries(seconds).map(([k, x]) => [`time ${k} (s)`, x])),
        ...(checks.eq7VsOscillatorED ? { 'Eq. 7 vs oscillator ED (max rel. diff.)': (checks.eq7VsOscillatorED as { maxRelativeDifference: number }).maxRelativeDifference } : {}),
        'parameters chosen': 'see manifest.json params.paper.*.chosen (ranges, AΦ reading, Fig. 5 lattice, k grid, A)',
      },
      figures: reportFigures(figures),
    };
    run = { backend: backend.name, adapter: backend.adapter, options: o, figures, seconds: seconds as VibronicFiguresRun['seconds'], fig2Rates: rates, checks };
    return { manifest, report };
  });
  return { dir, ...run! };
}

export function vibronicFiguresSummary(r: VibronicFiguresRun) {
  return {
    backend: r.backend, adapter: r.adapter, options: r.options, seconds: r.seconds, fig2DiagonalizationsPerSecond: r.fig2Rates, checks: r.checks,
    figures: r.figures.map(f => ({ id: f.id, figure: f.figure, panel: f.panel, files: f.files, ...(f.meta ?? {}) })),
  };
}
