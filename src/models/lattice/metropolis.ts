// Metropolis Monte Carlo of the lattice Hamiltonian (problem.ts), float64: an independent sampler of the same
// Boltzmann distribution e^{−E/k_BT} that the Langevin kernels must reproduce (the tests compare them).
// Single-site updates in site order; the proposal is a uniform direction on the sphere (symmetric, so the
// acceptance is min(1, e^{−ΔE/k_BT})). Random numbers: Philox4x32-10, one block per proposal, counter
// (global site r·N + i, sweep, 0, STREAM_LATTICE_METROPOLIS), key = seed: words 0, 1 → the direction
// (cos θ = 2u₀ − 1, φ = 2π u₁), word 2 → the acceptance uniform (21-bit fields, as src/numerics/philox.ts).
import { philox4x32, seedKey, STREAM_LATTICE_METROPOLIS, uniform21 } from '../../numerics/philox.ts';
import { KB } from '../../numerics/units.ts';
import type { LatticeProblem } from './problem.ts';

export interface MetropolisOptions {
  /** Sweeps (N proposals each) in all. */
  sweeps: number;
  /** Sweeps before the first sample. */
  thermalize: number;
  /** Sweeps between samples. */
  sampleEvery: number;
  seed: number;
  /** Start state (3NR); default the problem's initial orientation. */
  initialState?: ArrayLike<number>;
}

export interface MetropolisResult {
  samples: number;
  /** Σ_i m_i per replica and sample [replica][sample][xyz]. */
  M: Float64Array;
  /** E per replica and sample. */
  E: Float64Array;
  /** Σ_i |m_i × h_i|² and Σ_i Δ_S E per replica and sample (the configurational-temperature pair of the kernels). */
  gradSq: Float64Array;
  laplacian: Float64Array;
  acceptance: Float64Array;
  state: Float64Array;
}

export function metropolis(problem: LatticeProblem, o: MetropolisOptions): MetropolisResult {
  const N = problem.sites, R = problem.replicas;
  const samples = o.sampleEvery > 0 ? Math.floor((o.sweeps - o.thermalize) / o.sampleEvery) : 0;
  const m = Float64Array.from(o.initialState ?? problem.initialState(o.seed));
  const M = new Float64Array(3 * R * samples), E = new Float64Array(R * samples), G = new Float64Array(R * samples), Lp = new Float64Array(R * samples), acc = new Float64Array(R);
  const key = seedKey(o.seed), ctr = new Uint32Array(4), w = new Uint32Array(4);
  ctr[3] = STREAM_LATTICE_METROPOLIS;
  const list = problem.bonds, ax = problem.axes, K = problem.K, J = problem.J;
  const idx = new Int32Array(6), wt = new Float64Array(6);
  const h = new Float64Array(3);
  // exchange + Zeeman field on site i of replica r (offset off), without the on-site anisotropy
  const localField = (i: number, off: number, Bx: number, By: number, Bz: number) => {
    let hx = Bx, hy = By, hz = Bz;
    if (list) {
      for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) { const q = off + 3 * list.neighbours[k]; hx += list.J[k] * m[q]; hy += list.J[k] * m[q + 1]; hz += list.J[k] * m[q + 2]; }
    } else {
      const n = problem.regularNeighbours(i, idx, wt);
      for (let k = 0; k < n; k++) { const q = off + 3 * idx[k], c = J * wt[k]; hx += c * m[q]; hy += c * m[q + 1]; hz += c * m[q + 2]; }
    }
    h[0] = hx; h[1] = hy; h[2] = hz;
  };
  for (let r = 0; r < R; r++) {
    const kT = KB * problem.temperatures[r], off = 3 * N * r;
    const Bx = problem.fields[3 * r], By = problem.fields[3 * r + 1], Bz = problem.fields[3 * r + 2];
    let accepted = 0;
    for (let sweep = 0; sweep < o.sweeps; sweep++) {
      ctr[1] = sweep;
      for (let i = 0; i < N; i++) {
        localField(i, off, Bx, By, Bz);
        const hx = h[0], hy = h[1], hz = h[2];
        ctr[0] = r * N + i;
        philox4x32(ctr, key, w);
        const ct = 2 * uniform21(w[0] >>> 11) - 1, st = Math.sqrt(Math.max(0, 1 - ct * ct)), ph = 2 * Math.PI * uniform21(w[1] >>> 11);
        const nx = st * Math.cos(ph), ny = st * Math.sin(ph), nz = ct;
        const p = off + 3 * i, ox = m[p], oy = m[p + 1], oz = m[p + 2];
        let dE = -((nx - ox) * hx + (ny - oy) * hy + (nz - oz) * hz);
        if (ax) {
          const ex = ax[3 * i], ey = ax[3 * i + 1], ez = ax[3 * i + 2];
          const un = nx * ex + ny * ey + nz * ez, uo = ox * ex + oy * ey + oz * ez;
          dE -= K * (un * un - uo * uo);
        }
        const ok = dE <= 0 || (kT > 0 && uniform21(w[2] >>> 11) < Math.exp(-dE / kT));
        if (ok) { m[p] = nx; m[p + 1] = ny; m[p + 2] = nz; accepted++; }
      }
      const done = sweep + 1;
      if (o.sampleEvery > 0 && done > o.thermalize && (done - o.thermalize) % o.sampleEvery === 0) {
        const s = (done - o.thermalize) / o.sampleEvery - 1;
        if (s < samples) {
          let sx = 0, sy = 0, sz = 0;
          for (let i = 0; i < N; i++) { sx += m[off + 3 * i]; sy += m[off + 3 * i + 1]; sz += m[off + 3 * i + 2]; }
          const q = r * samples + s;
          M[3 * q] = sx; M[3 * q + 1] = sy; M[3 * q + 2] = sz;
          E[q] = problem.energy(m, r);
          // Σ|m × h|² and Σ Δ_S E = Σ 2 m·(h_ex + B) − 2K(1 − 3u²), h the full field (2K u n included)
          let g2 = 0, lap = 0;
          for (let i = 0; i < N; i++) {
            localField(i, off, Bx, By, Bz);
            const p = off + 3 * i, mx = m[p], my = m[p + 1], mz = m[p + 2];
            let hx = h[0], hy = h[1], hz = h[2];
            lap += 2 * (mx * hx + my * hy + mz * hz);
            if (ax) {
              const u = mx * ax[3 * i] + my * ax[3 * i + 1] + mz * ax[3 * i + 2];
              lap -= 2 * K * (1 - 3 * u * u);
              hx += 2 * K * u * ax[3 * i]; hy += 2 * K * u * ax[3 * i + 1]; hz += 2 * K * u * ax[3 * i + 2];
            }
            const tx = my * hz - mz * hy, ty = mz * hx - mx * hz, tz = mx * hy - my * hx;
            g2 += tx * tx + ty * ty + tz * tz;
          }
          G[q] = g2; Lp[q] = lap;
        }
      }
    }
    acc[r] = accepted / Math.max(1, o.sweeps * N);
  }
  return { samples, M, E, gradSq: G, laplacian: Lp, acceptance: acc, state: m };
}
