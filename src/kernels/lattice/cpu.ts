// Float64 twin of shaders/lattice/heun.wgsl: the same two stages per step over global state arrays (predict
// from m into m̃ and mid = m + (dt/2) f0; correct from m̃ into m), the same Philox counters (global site
// g = (replicaOffset + r)·N + i split as (g mod 2^32, ⌊step/2⌋, ⌊g/2^32⌋, STREAM_THERMAL); one block's six
// normals serve the two steps of a pair, drawn at the even step or the run's first step), the same order of
// operations, and the same measured sums (M = Σ m_i, E = Σ e_i with e_i half the site's bond energies plus its own
// terms, and the configurational-temperature pair Σ|m × h|², Σ Δ_S E). All replicas at once.
import { CPU_ADAPTER } from '../../backends/index.ts';
import { gaussian6, seedKey, STREAM_THERMAL } from '../../numerics/philox.ts';
import { HBAR } from '../../numerics/units.ts';
import type { LatticeProblem } from '../../models/lattice/problem.ts';
import { bytesPerGrain, sampleIndex, validateLatticeRun, type LatticeResult, type LatticeRunOptions } from './run.ts';

/** Regular-lattice neighbour table in kernel order (−x, +x, −y, +y, −z, +z; −1 = none past an open end). */
export function neighbourTables(problem: LatticeProblem): { nb: Int32Array } {
  const N = problem.sites, nb = new Int32Array(6 * N).fill(-1);
  const [LX, LY, LZ] = problem.dims, L = [LX, LY, LZ], st = [1, LX, LX * LY];
  for (let i = 0; i < N; i++) {
    const c = [i % LX, Math.floor(i / LX) % LY, Math.floor(i / (LX * LY))];
    for (let a = 0; a < 3; a++) {
      if (L[a] < 2) continue;
      const lo = c[a] === 0, hi = c[a] === L[a] - 1, open = !problem.periodic[a];
      if (!(lo && open)) nb[6 * i + 2 * a] = lo ? i + (L[a] - 1) * st[a] : i - st[a];
      if (!(hi && open)) nb[6 * i + 2 * a + 1] = hi ? i - (L[a] - 1) * st[a] : i + st[a];
    }
  }
  return { nb };
}

export function runLatticeCpu(problem: LatticeProblem, opts: LatticeRunOptions): LatticeResult {
  const v = validateLatticeRun(problem, opts);
  const t0 = performance.now();
  const N = problem.sites, R = problem.replicas, NR = N * R, dt = opts.dt;
  const A = new Float64Array(3 * NR), P = new Float64Array(3 * NR), F = new Float64Array(3 * NR);
  A.set(opts.initialState ?? problem.initialState(opts.seed));
  const thermal = problem.thermal;
  const Z = new Float64Array(thermal ? 6 * NR : 0);
  const key = seedKey(opts.seed), ctr = new Uint32Array(4), g6 = new Float64Array(6), w4 = new Uint32Array(4);
  ctr[3] = STREAM_THERMAL;
  const g0 = problem.replicaOffset * N;   // global index of the problem's first site (siteCounter)
  const sigma = Float64Array.from({ length: R }, (_, r) => problem.sigma(r, dt, HBAR));
  const Bf = problem.fields, K = problem.K, ax = problem.axes, J = problem.J, alpha = problem.alpha;
  const w = -1 / (HBAR * problem.S * (1 + alpha * alpha));
  const list = problem.bonds;
  const { nb } = list ? { nb: new Int32Array(0) } : neighbourTables(problem);
  const M = new Float64Array(R * v.samples * 3), E = new Float64Array(R * v.samples), G = new Float64Array(R * v.samples), Lp = new Float64Array(R * v.samples);
  const h = new Float64Array(3);

  // h ← Σ_j J_ij s_j + B_r + 2K (m·n_i) n_i for site i of replica r (flat f), neighbour states from s
  const field = (s: Float64Array, f: number, i: number, r: number, mx: number, my: number, mz: number) => {
    const base = f - i;
    let hx = 0, hy = 0, hz = 0;
    if (list) {
      for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) {
        const o = 3 * (base + list.neighbours[k]), Jk = list.J[k];
        hx += Jk * s[o]; hy += Jk * s[o + 1]; hz += Jk * s[o + 2];
      }
    } else {
      for (let a = 0; a < 3; a++) {
        // per axis the pair w₋ m₋ + w₊ m₊, as the shader's axis_pair
        const jm = nb[6 * i + 2 * a], jp = nb[6 * i + 2 * a + 1];
        let px = 0, py = 0, pz = 0;
        if (jm >= 0) { const o = 3 * (base + jm); px += s[o]; py += s[o + 1]; pz += s[o + 2]; }
        if (jp >= 0) { const o = 3 * (base + jp); px += s[o]; py += s[o + 1]; pz += s[o + 2]; }
        hx += px; hy += py; hz += pz;
      }
      hx *= J; hy *= J; hz *= J;
    }
    hx += Bf[3 * r]; hy += Bf[3 * r + 1]; hz += Bf[3 * r + 2];
    if (ax) {
      const nx = ax[3 * i], ny = ax[3 * i + 1], nz = ax[3 * i + 2], c = 2 * K * (mx * nx + my * ny + mz * nz);
      hx += c * nx; hy += c * ny; hz += c * nz;
    }
    h[0] = hx; h[1] = hy; h[2] = hz;
  };
  // ṁ = w (m × h + α m × (m × h)) into h
  const rhs = (mx: number, my: number, mz: number) => {
    const hx = h[0], hy = h[1], hz = h[2];
    const rx = my * hz - mz * hy, ry = mz * hx - mx * hz, rz = mx * hy - my * hx;
    h[0] = w * (rx + alpha * (my * rz - mz * ry));
    h[1] = w * (ry + alpha * (mz * rx - mx * rz));
    h[2] = w * (rz + alpha * (mx * ry - my * rx));
  };
  // the measure pass: site sums of (m, e_i) and (|m × h|², Δ_S E) into acc (as the shader's site_sums)
  const acc = new Float64Array(6);
  const siteSums = (f: number, i: number, r: number) => {
    const o = 3 * f, mx = A[o], my = A[o + 1], mz = A[o + 2];
    field(A, f, i, r, mx, my, mz);   // h = h_ex + B (+ 2K u n)
    const Bx = Bf[3 * r], By = Bf[3 * r + 1], Bz = Bf[3 * r + 2];
    const hx = h[0], hy = h[1], hz = h[2];
    let e: number, lap: number;
    if (ax) {
      const nx = ax[3 * i], ny = ax[3 * i + 1], nz = ax[3 * i + 2], u = mx * nx + my * ny + mz * nz, c = 2 * K * u;
      // exchange + Zeeman part (the anisotropy term of field() taken back out)
      const lx = hx - c * nx, ly = hy - c * ny, lz = hz - c * nz;
      e = -0.5 * (mx * (lx - Bx) + my * (ly - By) + mz * (lz - Bz)) - (Bx * mx + By * my + Bz * mz) - K * u * u;
      lap = 2 * (mx * lx + my * ly + mz * lz) - 2 * K * (1 - 3 * u * u);
    } else {
      e = -0.5 * (mx * (hx - Bx) + my * (hy - By) + mz * (hz - Bz)) - (Bx * mx + By * my + Bz * mz);
      lap = 2 * (mx * hx + my * hy + mz * hz);
    }
    const tx = my * hz - mz * hy, ty = mz * hx - mx * hz, tz = mx * hy - my * hx;
    acc[0] += mx; acc[1] += my; acc[2] += mz; acc[3] += e; acc[4] += tx * tx + ty * ty + tz * tz; acc[5] += lap;
  };

  let lastReport = t0;
  const tLoop = performance.now();
  for (let s = 0; s < opts.steps; s++) {
    const step = v.firstStep + s, odd = step & 1, draw = thermal && (!odd || s === 0);
    // predict: m → m̃, mid
    for (let f = 0; f < NR; f++) {
      const r = Math.floor(f / N), i = f - r * N, o = 3 * f;
      const mx = A[o], my = A[o + 1], mz = A[o + 2];
      field(A, f, i, r, mx, my, mz);
      if (thermal) {
        const z = 6 * f;
        if (draw) {
          const g = g0 + f, lo = g % 4294967296;
          ctr[0] = lo; ctr[1] = step >>> 1; ctr[2] = (g - lo) / 4294967296;
          gaussian6(ctr, key, g6, w4);
          for (let k = 0; k < 6; k++) Z[z + k] = g6[k];
        }
        const q = z + 3 * odd, sg = sigma[r];
        h[0] += sg * Z[q]; h[1] += sg * Z[q + 1]; h[2] += sg * Z[q + 2];
      }
      rhs(mx, my, mz);
      const hd = 0.5 * dt;
      F[o] = mx + hd * h[0]; F[o + 1] = my + hd * h[1]; F[o + 2] = mz + hd * h[2];
      const px = mx + dt * h[0], py = my + dt * h[1], pz = mz + dt * h[2], inv = 1 / Math.sqrt(px * px + py * py + pz * pz);
      P[o] = px * inv; P[o + 1] = py * inv; P[o + 2] = pz * inv;
    }
    // correct: m̃ → m
    for (let f = 0; f < NR; f++) {
      const r = Math.floor(f / N), i = f - r * N, o = 3 * f;
      const mx = P[o], my = P[o + 1], mz = P[o + 2];
      field(P, f, i, r, mx, my, mz);
      if (thermal) { const q = 6 * f + 3 * odd, sg = sigma[r]; h[0] += sg * Z[q]; h[1] += sg * Z[q + 1]; h[2] += sg * Z[q + 2]; }
      rhs(mx, my, mz);
      const hd = 0.5 * dt;
      const x = F[o] + hd * h[0], y = F[o + 1] + hd * h[1], z = F[o + 2] + hd * h[2], inv = 1 / Math.sqrt(x * x + y * y + z * z);
      A[o] = x * inv; A[o + 1] = y * inv; A[o + 2] = z * inv;
    }
    const k = sampleIndex(v, s + 1);
    if (k >= 0) {
      for (let r = 0; r < R; r++) {
        acc.fill(0);
        for (let i = 0; i < N; i++) siteSums(r * N + i, i, r);
        const q = r * v.samples + k;
        M[3 * q] = acc[0]; M[3 * q + 1] = acc[1]; M[3 * q + 2] = acc[2]; E[q] = acc[3]; G[q] = acc[4]; Lp[q] = acc[5];
      }
    }
    if (opts.onProgress && performance.now() - lastReport > 500) { lastReport = performance.now(); opts.onProgress((s + 1) / opts.steps); }
  }
  opts.onProgress?.(1);
  const tEnd = performance.now(), seconds = (tEnd - t0) / 1000, stepSeconds = (tEnd - tLoop) / 1000;
  return {
    sites: N, replicas: R, steps: opts.steps, firstStep: v.firstStep, dt, samples: v.samples, sampleSteps: v.sampleSteps, M, E, gradSq: G, laplacian: Lp,
    state: v.keepState ? A : null, backend: 'cpu', adapter: CPU_ADAPTER, seconds, stepSeconds,
    spinStepsPerSecond: stepSeconds > 0 ? (NR * opts.steps) / stepSeconds : NaN, bytesPerSpin: bytesPerGrain(twinBytes(problem), N, R),
  };
}

/** The twin's memory (bytes) per replica (m, m̃, mid and the pair's normals in float64) and shared by all (easy axes, neighbour tables). */
export function twinBytes(problem: LatticeProblem): { perReplica: number; shared: number } {
  const N = problem.sites, list = problem.bonds;
  return {
    perReplica: 8 * (9 * N + (problem.thermal ? 6 * N : 0)),
    shared: (problem.axes ? 8 * problem.axes.length : 0) + (list ? 4 * list.offsets.length + 12 * list.J.length : 4 * 6 * N),
  };
}
