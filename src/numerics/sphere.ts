// Boltzmann-type averages on the unit sphere: ⟨m⟩ = ∫ m e^{−E(m)/kT} dΩ / ∫ e^{−E(m)/kT} dΩ, by the
// composite 15-point Kronrod rule in the polar angle θ (dΩ = sin θ dθ dφ) and the trapezoid rule in φ
// (spectrally accurate for a periodic integrand). kT < 0 is allowed (an inverted distribution that
// favours the energy maximum, as an energy-injecting bath produces); the exponent is shifted by the
// extreme of E on the grid so nothing overflows.
import { gk15Nodes } from './quadrature.ts';

/** E(m) = m·A·m + b·m (A symmetric, row-major 3×3): the form of every on-site spin energy here. */
export interface QuadraticEnergy { A: ArrayLike<number>; b: ArrayLike<number> }
export type SphereEnergy = QuadraticEnergy | ((x: number, y: number, z: number) => number);

export function evalEnergy(E: SphereEnergy, x: number, y: number, z: number): number {
  if (typeof E === 'function') return E(x, y, z);
  const { A, b } = E;
  return A[0] * x * x + A[4] * y * y + A[8] * z * z + (A[1] + A[3]) * x * y + (A[2] + A[6]) * x * z + (A[5] + A[7]) * y * z + b[0] * x + b[1] * y + b[2] * z;
}

/** E on every node (a quadratic form vectorised over the grid; any other energy node by node). */
function energies(E: SphereEnergy, g: SphereGrid, stride = 1): Float64Array {
  const n = Math.ceil(g.x.length / stride), e = new Float64Array(n), { x, y, z } = g;
  if (typeof E === 'function') { for (let i = 0, k = 0; i < n; i++, k += stride) e[i] = E(x[k], y[k], z[k]); return e; }
  const A = E.A, b = E.b;
  const xx = A[0], yy = A[4], zz = A[8], xy = A[1] + A[3], xz = A[2] + A[6], yz = A[5] + A[7];
  for (let i = 0, k = 0; i < n; i++, k += stride) {
    const X = x[k], Y = y[k], Z = z[k];
    e[i] = X * (xx * X + xy * Y + xz * Z + b[0]) + Y * (yy * Y + yz * Z + b[1]) + Z * (zz * Z + b[2]);
  }
  return e;
}

export interface SphereGrid { theta: Float64Array; weight: Float64Array; phi: number; x: Float64Array; y: Float64Array; z: Float64Array }

/** Nodes of the product rule: `panels` GK15 panels in θ and `nPhi` trapezoid points in φ. */
export function sphereGrid(panels = 48, nPhi = 192): SphereGrid {
  const th: number[] = [], w: number[] = [];
  for (let i = 0; i < panels; i++) gk15Nodes((Math.PI * i) / panels, (Math.PI * (i + 1)) / panels, (t, wt) => { th.push(t); w.push(wt * Math.sin(t) * ((2 * Math.PI) / nPhi)); });
  const n = th.length * nPhi, x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n), weight = new Float64Array(n);
  for (let i = 0; i < th.length; i++) for (let j = 0; j < nPhi; j++) {
    const k = i * nPhi + j, ph = ((j + 0.5) * 2 * Math.PI) / nPhi;
    x[k] = Math.sin(th[i]) * Math.cos(ph); y[k] = Math.sin(th[i]) * Math.sin(ph); z[k] = Math.cos(th[i]); weight[k] = w[i];
  }
  return { theta: Float64Array.from(th), weight, phi: nPhi, x, y, z };
}

/** ⟨m⟩ under e^{−E/kT} on the grid (E in the same units as kT). */
export function boltzmannMean(energy: SphereEnergy, kT: number, grid: SphereGrid = sphereGrid()): [number, number, number] {
  if (!(Number.isFinite(kT) && kT !== 0)) throw new RangeError(`boltzmannMean: kT must be finite and non-zero, got ${kT}`);
  const n = grid.x.length, e = energies(energy, grid);
  let ref = kT > 0 ? Infinity : -Infinity;
  for (let k = 0; k < n; k++) ref = kT > 0 ? Math.min(ref, e[k]) : Math.max(ref, e[k]);
  let Z = 0, mx = 0, my = 0, mz = 0;
  const beta = 1 / kT;
  for (let k = 0; k < n; k++) {
    const u = (e[k] - ref) * beta;
    if (u > 46) continue; // weight < 1e-20 of the peak's
    const p = grid.weight[k] * Math.exp(-u);
    Z += p; mx += p * grid.x[k]; my += p * grid.y[k]; mz += p * grid.z[k];
  }
  return [mx / Z, my / Z, mz / Z];
}

/** The grid direction of lowest energy (the k_BT → 0 limit of boltzmannMean). */
export function minimumDirection(energy: SphereEnergy, grid: SphereGrid = sphereGrid()): [number, number, number] {
  const e = energies(energy, grid);
  let k0 = 0;
  for (let k = 1; k < e.length; k++) if (e[k] < e[k0]) k0 = k;
  return [grid.x[k0], grid.y[k0], grid.z[k0]];
}

const grids = new Map<number, SphereGrid>();
function cachedGrid(panels: number): SphereGrid {
  let g = grids.get(panels);
  if (!g) { g = sphereGrid(panels, 4 * panels); grids.set(panels, g); }
  return g;
}

/**
 * boltzmannMean on a grid sized to the sharpness of the distribution: the peak's angular width is about
 * (|ΔE|/|kT|)^(−1/2), ΔE the energy range on a coarse grid; panels (of 15 nodes in θ, ×4 trapezoid
 * points in φ) are chosen so each spans at most ~1.5 widths (16 to 256 panels).
 */
export function adaptiveBoltzmannMean(energy: SphereEnergy, kT: number): [number, number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const e of energies(energy, cachedGrid(16), 7)) { lo = Math.min(lo, e); hi = Math.max(hi, e); }
  const sharp = Math.sqrt(Math.max(1, (hi - lo) / Math.abs(kT)));
  const panels = Math.min(256, Math.max(16, 8 * Math.ceil((Math.PI * sharp) / 1.5 / 8)));
  return boltzmannMean(energy, kT, cachedGrid(panels));
}
