// CPU twin (float64) of shaders/llg/heun.wgsl: the same stochastic Heun step, the same Philox noise
// (counter = (trajectory, ⌊step/2⌋, spin, stream), key = seed: one block's six normals serve steps 2p and
// 2p + 1 of a spin, three each), the same observables. It is the reference the WebGPU kernel is
// validated against and the fallback backend. Parameters come from the problem's packed point rows
// (src/llg/layout.ts); trajectory t uses the row of point ⌊t / trajectoriesPerPoint⌋. With an oscillator
// (LlgPoint.oscillator, src/llg/model.ts) the state is (m, Q, P), integrated jointly by the same Heun step; its
// noise: counter (trajectory, ⌊step/2⌋, 0, STREAM_OSCILLATOR), normal 0 on even steps, normal 1 on odd steps.
import { gaussian6, seedKey, STREAM_OSCILLATOR, STREAM_THERMAL } from '../../numerics/philox.ts';
import { HBAR } from '../../numerics/units.ts';
import { solveInPlace } from '../../numerics/linalg.ts';
import { OSC, OSC_STRIDE, SPIN, SPIN_STRIDE, PAIR, PAIR_STRIDE, SWITCH_BAND } from '../../llg/layout.ts';
import type { LlgProblem } from '../../llg/problem.ts';
import { tableValue, type TableGrid } from '../../llg/torqueTable.ts';
import { BatchCollector, validateRunOptions, type LlgResult, type LlgRunOptions } from '../../llg/run.ts';
import { CPU_ADAPTER } from '../../backends/index.ts';

// Noise-induced drift of tensor (anisotropic, nonlocal) Gilbert damping.
// Joint state m ∈ R^3K, M = blockdiag([m_i]×), Λ = diag(1/ħS_i), Γ = Λ⁻¹α (Γ_ab = ħS_i α_ab), h = −∂E/∂m.
// Gilbert: ṁ = −ΛM(h + b − Γṁ)  ⇒  ṁ = −W(h + b),  W = (1 − ΛMΓ)⁻¹ΛM,  ⟨b bᵀ⟩ = C δ, C = k_BT(Γ + Γᵀ).
// (1) FDT holds for the LL form: W(Γ + Γᵀ)Wᵀ = −(W + Wᵀ), so the diffusion is GGᵀ = WCWᵀ = k_BT(D + Dᵀ)
//     with mobility D = −W.
// (2) Stationary e^{−E/k_BT} (uniform measure on the spheres) needs the Itô drift −D∇E + k_BT ∂_b D_ab.
// (3) Heun is Stratonovich: Itô drift −D∇E + ½ Σ_b (∂_b W)_ac (CWᵀ)_cb. With ∂_b W = XE_b(1 + ΓW),
//     X = (1 − ΛMΓ)⁻¹Λ, E_b = ∂M/∂m_b, the difference (required − Stratonovich) is exactly
//       c = k_BT X κ,   κ_i = ½ ax([Γ, W]_ii),   ax(A) = (A_yz − A_zy, A_zx − A_xz, A_xy − A_yx),
//     i.e. a missing drift unless Γ commutes with W on the diagonal blocks: zero for α_ij = α_i δ_ij 1
//     (scalar damping per spin, any S_i), non-zero for anisotropic local blocks and for nonlocal α.
//     c is tangent (m_i·c_i = 0). Without it, e.g. J = 1 meV, T = 10 K, α = [[.5,.4],[.4,.5]]⊗1:
//     ⟨m1·m2⟩ = 0.381 ± 0.002 vs L(J/k_BT) = 0.356, independent of dt.
// The kernels add c(m_n) to dm/dt at both Heun stages when the noise is the FDT one (k_BT slot ≠ 0).
// An explicit noise covariance (no temperature) is integrated as plain Stratonovich.
// Pinned spins: dm_p/dt = 0, so the rows of g = 1 − M A of a pinned spin are identity rows and its x = 0;
// the solve and X = g⁻¹Λ̃ (Λ̃ = 0 on pinned spins) reduce exactly to the free spins' block, which is what
// is solved here (the WebGPU kernel does the same with one free spin: ONE_FREE, in closed form).

/** Right-hand side dm/dt of one system (all K spins), float64. */
class SystemRhs {
  readonly h: Float64Array; readonly r: Float64Array; readonly g: Float64Array;
  readonly X: Float64Array; readonly W: Float64Array; readonly z: Float64Array; readonly hs: Float64Array; readonly cm: Float64Array;
  /** Free (unpinned) spins of the system being evaluated, and their count (set by freeSpins). */
  readonly fr: Int32Array; nf = 0; readonly y: Float64Array;
  /** Damping-like amplitude of each spin at the current m (constant + table). */
  readonly dls: Float64Array;
  /**
   * `onsite`: some spin has an on-site tensor Q (else the 2 Q m term is skipped, as in the shader);
   * `drift`: tensor damping with the noise-induced drift correction (noiseDrift; ensemble.needsDriftCorrection).
   */
  constructor(readonly K: number, readonly P: number, readonly tensor: boolean, readonly onsite: boolean, readonly drift = false,
    /** Torque-table nodes (0: none), the offset of spin 0's a_FL table in a point row (spin i: + 2i·NT), the grid. */
    readonly tableNodes = 0, readonly tableOffset = 0, readonly tableGrid: TableGrid = 'u',
    /** Oscillator: the offset of spin 0's coupling vector Σ A e in a point row (spin i: + 3i); −1: no oscillator. */
    readonly oscCoupling = -1) {
    this.h = new Float64Array(3 * K); this.r = new Float64Array(3 * K); this.g = new Float64Array(9 * K * K);
    const dd = drift ? 9 * K * K : 0;
    this.X = new Float64Array(dd); this.W = new Float64Array(dd); this.z = new Float64Array(drift ? 3 * K : 0);
    this.hs = new Float64Array(K); this.cm = new Float64Array(9);
    this.fr = new Int32Array(K); this.y = new Float64Array(3 * K); this.dls = new Float64Array(K);
  }

  /** The free spins of the system at offset o (fr[0..nf)), ascending. */
  private freeSpins(p: Float64Array, o: number): number {
    let nf = 0;
    for (let i = 0; i < this.K; i++) if (p[o + i * SPIN_STRIDE + SPIN.pinned] === 0) this.fr[nf++] = i;
    return (this.nf = nf);
  }

  /** out = dm/dt for orientations m and thermal field b, parameters p at offset o; oscQ: the oscillator's Q (field −Q A e). */
  eval(p: Float64Array, o: number, m: Float64Array, b: Float64Array, out: Float64Array, oscQ = 0): void {
    const { K, P, h, r, tableNodes: NT } = this;
    const N = SPIN.axis, T = SPIN.torqueAxis, dls = this.dls;
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE, x = 3 * i;
      const kdot = 2 * p[s + SPIN.anisotropy] * (m[x] * p[s + N] + m[x + 1] * p[s + N + 1] + m[x + 2] * p[s + N + 2]);
      let fl = p[s + SPIN.fieldLike];
      dls[i] = p[s + SPIN.dampingLike];
      if (NT > 0) {
        // angle-dependent amplitudes at u = m·p (src/llg/torqueTable.ts)
        const u = m[x] * p[s + T] + m[x + 1] * p[s + T + 1] + m[x + 2] * p[s + T + 2], tb = o + this.tableOffset + 2 * i * NT;
        fl += tableValue(p, tb, NT, u, this.tableGrid);
        dls[i] += tableValue(p, tb + NT, NT, u, this.tableGrid);
      }
      for (let a = 0; a < 3; a++) h[x + a] = p[s + SPIN.field + a] + kdot * p[s + N + a] + b[x + a] + fl * p[s + T + a];
      if (this.onsite) {
        // on-site anisotropy field 2 Q m, slots xx, yy, zz, xy, xz, yz
        const q = s + SPIN.tensor, mx = m[x], my = m[x + 1], mz = m[x + 2];
        h[x] += 2 * (p[q] * mx + p[q + 3] * my + p[q + 4] * mz);
        h[x + 1] += 2 * (p[q + 3] * mx + p[q + 1] * my + p[q + 5] * mz);
        h[x + 2] += 2 * (p[q + 4] * mx + p[q + 5] * my + p[q + 2] * mz);
      }
      if (this.oscCoupling >= 0) {
        // oscillator coupling A Q (m·e): field −Q Σ A e (as the shader: after the on-site terms, before the pairs)
        const c = o + this.oscCoupling + x;
        for (let a = 0; a < 3; a++) h[x + a] -= oscQ * p[c + a];
      }
    }
    let pq = o + K * SPIN_STRIDE;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++, pq += PAIR_STRIDE) {
      const xi = 3 * i, xj = 3 * j, f = pq + PAIR.forward, v = pq + PAIR.reverse;
      for (let a = 0; a < 3; a++) {
        // field on i: 𝕁_ij m_j; on j: 𝕁_ji m_i (= 𝕁_ijᵀ m_i, same products and order, when reciprocal)
        h[xi + a] += p[f + 3 * a] * m[xj] + p[f + 3 * a + 1] * m[xj + 1] + p[f + 3 * a + 2] * m[xj + 2];
        h[xj + a] += p[v + 3 * a] * m[xi] + p[v + 3 * a + 1] * m[xi + 1] + p[v + 3 * a + 2] * m[xi + 2];
      }
    }
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE, x = 3 * i;
      const mx = m[x], my = m[x + 1], mz = m[x + 2];
      const px = p[s + T], py = p[s + T + 1], pz = p[s + T + 2], dl = dls[i];
      // m × (m × p)
      const cx = my * pz - mz * py, cy = mz * px - mx * pz, cz = mx * py - my * px;
      const tx = my * cz - mz * cy, ty = mz * cx - mx * cz, tz = mx * cy - my * cx;
      const hx = h[x], hy = h[x + 1], hz = h[x + 2];
      const w = -1 / (HBAR * p[s + SPIN.S]);
      r[x] = w * (my * hz - mz * hy + dl * tx);
      r[x + 1] = w * (mz * hx - mx * hz + dl * ty);
      r[x + 2] = w * (mx * hy - my * hx + dl * tz);
    }
    if (!this.tensor) {
      for (let i = 0; i < K; i++) {
        const s = o + i * SPIN_STRIDE, x = 3 * i;
        if (p[s + SPIN.pinned] !== 0) { out[x] = out[x + 1] = out[x + 2] = 0; continue; }
        const al = p[s + SPIN.alpha], c = 1 / (1 + al * al);
        const mx = m[x], my = m[x + 1], mz = m[x + 2], rx = r[x], ry = r[x + 1], rz = r[x + 2];
        // exact solution of x = r + α m × x for r ⟂ m, |m| = 1
        out[x] = c * (rx + al * (my * rz - mz * ry));
        out[x + 1] = c * (ry + al * (mz * rx - mx * rz));
        out[x + 2] = c * (rz + al * (mx * ry - my * rx));
      }
      return;
    }
    // Tensor damping: (1 − M A) x = r, M = blockdiag([m_i]×), solved exactly per stage (free spins' block).
    const nf = this.freeSpins(p, o), fr = this.fr, y = this.y;
    this.gilbertMatrix(p, o, m);
    for (let u = 0; u < nf; u++) for (let a = 0; a < 3; a++) y[3 * u + a] = r[3 * fr[u] + a];
    solveInPlace(this.g, y, 3 * nf);
    out.fill(0, 0, 3 * K);
    for (let u = 0; u < nf; u++) for (let a = 0; a < 3; a++) out[3 * fr[u] + a] = y[3 * u + a];
  }

  /**
   * g = 1 − M A restricted to the free spins fr[0..nf) (M = blockdiag([m_i]×), A the damping tensor),
   * (3nf)×(3nf) row-major: the pinned spins' rows are identity rows of the full matrix and their x = 0.
   */
  private gilbertMatrix(p: Float64Array, o: number, m: Float64Array): void {
    const { K, P, g, fr, nf } = this, n = 3 * K, nn = 3 * nf, A = o + K * SPIN_STRIDE + P * PAIR_STRIDE;
    for (let u = 0; u < nf; u++) {
      const x = 3 * fr[u], e = 3 * u;
      const mx = m[x], my = m[x + 1], mz = m[x + 2];
      for (let v = 0; v < nf; v++) for (let b = 0; b < 3; b++) {
        const c = 3 * fr[v] + b, d = 3 * v + b;
        const a0 = p[A + x * n + c], a1 = p[A + (x + 1) * n + c], a2 = p[A + (x + 2) * n + c];
        // rows of [m]× applied to column c of A's block rows
        g[e * nn + d] = -(-mz * a1 + my * a2);
        g[(e + 1) * nn + d] = -(mz * a0 - mx * a2);
        g[(e + 2) * nn + d] = -(-my * a0 + mx * a1);
      }
      for (let a = 0; a < 3; a++) g[(e + a) * nn + e + a] += 1;
    }
  }

  /**
   * Noise-induced drift c = k_BT X κ of tensor damping at m (derivation above), added to dm/dt at both
   * Heun stages (evaluated once per step, at the step's start: a smooth drift, weak order 1 as the scheme).
   */
  noiseDrift(p: Float64Array, o: number, m: Float64Array, out: Float64Array): void {
    const { K, P, X, W, z, hs, cm, g, fr } = this, n = 3 * K, A = o + K * SPIN_STRIDE + P * PAIR_STRIDE;
    const kT = p[A + 2 * n * n];
    out.fill(0, 0, n);
    if (kT === 0) return;
    // everything below is on the free spins' block (index u ↔ spin fr[u]): X = g⁻¹Λ̃ and W = X M vanish
    // in the pinned spins' rows and columns (Λ̃ = 0 there), and so do their terms of κ and X κ
    const nf = this.freeSpins(p, o), nn = 3 * nf;
    this.gilbertMatrix(p, o, m);
    // X = g⁻¹Λ (Λ = diag(1/ħS_i))
    X.fill(0, 0, nn * nn);
    for (let u = 0; u < nf; u++) {
      hs[u] = HBAR * p[o + fr[u] * SPIN_STRIDE + SPIN.S];
      for (let a = 0; a < 3; a++) X[(3 * u + a) * nn + 3 * u + a] = 1 / hs[u];
    }
    solveColumns(g, X, nn);
    // W = X M: row a, block v is (X_a,v) × m_fr[v]
    for (let a = 0; a < nn; a++) for (let v = 0; v < nf; v++) {
      const e = a * nn + 3 * v, j = 3 * fr[v], x0 = X[e], x1 = X[e + 1], x2 = X[e + 2], mx = m[j], my = m[j + 1], mz = m[j + 2];
      W[e] = x1 * mz - x2 * my; W[e + 1] = x2 * mx - x0 * mz; W[e + 2] = x0 * my - x1 * mx;
    }
    for (let w = 0; w < nf; w++) {
      // off-diagonal entries of [Γ, W]_ii, Γ_ab = ħS_spin(a) α_ab: cm[u][v] = Σ_c Γ_(x+u)c W_c(x+v) − W_(x+u)c Γ_c(x+v)
      const x = 3 * fr[w], xr = 3 * w;
      for (let u = 0; u < 3; u++) for (let v = 0; v < 3; v++) {
        if (u === v) continue;
        let t = 0;
        for (let cr = 0; cr < nn; cr++) {
          const c = 3 * fr[(cr / 3) | 0] + (cr % 3);
          t += hs[w] * p[A + (x + u) * n + c] * W[cr * nn + xr + v] - W[(xr + u) * nn + cr] * hs[(cr / 3) | 0] * p[A + c * n + x + v];
        }
        cm[3 * u + v] = t;
      }
      // κ_i = ½ ax([Γ, W]_ii)
      z[xr] = 0.5 * (cm[5] - cm[7]); z[xr + 1] = 0.5 * (cm[6] - cm[2]); z[xr + 2] = 0.5 * (cm[1] - cm[3]);
    }
    for (let a = 0; a < nn; a++) { let t = 0; for (let c = 0; c < nn; c++) t += X[a * nn + c] * z[c]; out[3 * fr[(a / 3) | 0] + (a % 3)] = kT * t; }
  }
}

/** Solve g X = B in place for n right-hand-side columns (X holds B, row-major n×n), partial pivoting as solveInPlace. */
function solveColumns(g: Float64Array, X: Float64Array, n: number): void {
  for (let col = 0; col < n; col++) {
    let piv = col, best = Math.abs(g[col * n + col]);
    for (let r = col + 1; r < n; r++) { const v = Math.abs(g[r * n + col]); if (v > best) { best = v; piv = r; } }
    if (piv !== col) {
      for (let c = 0; c < n; c++) {
        let t = g[col * n + c]; g[col * n + c] = g[piv * n + c]; g[piv * n + c] = t;
        t = X[col * n + c]; X[col * n + c] = X[piv * n + c]; X[piv * n + c] = t;
      }
    }
    const d = g[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = g[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) g[r * n + c] -= f * g[col * n + c];
      for (let c = 0; c < n; c++) X[r * n + c] -= f * X[col * n + c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    const d = g[r * n + r];
    for (let c = 0; c < n; c++) {
      let s = X[r * n + c];
      for (let k = r + 1; k < n; k++) s -= g[r * n + k] * X[k * n + c];
      X[r * n + c] = s / d;
    }
  }
}

/** Trajectories per batch handed to the collector (bounds the twin's temporary arrays). */
const CPU_BATCH = 4096;

export function runLlgCpu(problem: LlgProblem, opts: LlgRunOptions): LlgResult {
  const { avgFromStep, recSystems, recStride, recSamples } = validateRunOptions(problem, opts);
  const t0 = performance.now();
  const K = problem.spins, n = problem.dim, dt = opts.dt, steps = opts.steps, N = problem.trajectories, L = problem.layout;
  const p = problem.packForRun(dt);
  const key = seedKey(opts.seed);
  const f = problem.features();
  const osc = problem.oscillator;
  const rhs = new SystemRhs(K, problem.pairs, problem.tensorDamping, f.onsiteTensor, f.drift, problem.torqueNodes, problem.torqueNodes > 0 ? L.table(0) : 0, problem.torqueGrid,
    osc ? L.oscillator + OSC_STRIDE : -1);
  const cd = new Float64Array(n);
  const m = new Float64Array(n), mp = new Float64Array(n), f0 = new Float64Array(n), f1 = new Float64Array(n);
  const b = new Float64Array(n), xi = new Float64Array(n), g6 = new Float64Array(6 * K), w4 = new Uint32Array(4);
  const g6spin = Array.from({ length: K }, (_, i) => g6.subarray(6 * i, 6 * i + 6));
  const ctr = new Uint32Array(4);
  const acc = new Float64Array(n), s0 = new Float64Array(K), tsw = new Float64Array(K);
  const obsAngle = !!opts.observables?.angle, obsReadout = !!opts.observables?.readout;
  const accA = new Float64Array(K), accR = new Float64Array(K);
  // tensor mode: rows of b that matter (free spins') and the spins whose normals they use (non-zero columns
  // of the noise factor there); skipped normals would only be multiplied by 0 (WebGPU: NOISE_FREE_ONLY)
  const rowUsed = new Uint8Array(n), draw = new Uint8Array(K).fill(1);
  const collector = new BatchCollector(problem, opts);
  const cap = Math.min(N, CPU_BATCH);
  const batch = {
    first: 0, count: 0, finalM: new Float64Array(cap * n), meanM: new Float64Array(cap * n), switchTime: new Float64Array(cap * K), switched: new Uint8Array(cap * K),
    meanAngle: obsAngle ? new Float64Array(cap * K) : undefined, meanReadout: obsReadout ? new Float64Array(cap * K) : undefined,
  };
  const rec = recSystems > 0 ? new Float64Array(recSystems * recSamples * n) : null;
  // oscillator (Q, P): its batch arrays, recording, noise block and counter
  const oscBatch = osc ? { finalQ: new Float64Array(cap), finalP: new Float64Array(cap), meanQ: new Float64Array(cap), meanQ2: new Float64Array(cap), meanP2: new Float64Array(cap) } : undefined;
  const recOsc = osc && recSystems > 0 ? new Float64Array(recSystems * recSamples * 2) : null;
  const g6o = new Float64Array(6), ctrO = new Uint32Array(4);
  let lastReport = t0;

  for (let sys = 0; sys < N; sys++) {
    const q = problem.pointOf(sys), o = q * problem.stride;
    const thermal = problem.pointHasNoise(q);
    problem.initialState(sys, m, s0);
    acc.fill(0); tsw.fill(0); accA.fill(0); accR.fill(0);
    if (rec && sys < recSystems) rec.set(m, sys * recSamples * n);
    // oscillator: Q̇ = (ω0/ħ) P, Ṗ = −(ω0/ħ) Q − (6Φ/ħ) Q² − (2/ħ) Σ_i (A e)_i·m_i − γ P + σ_P ξ (model.ts OscillatorSpec)
    let Q = 0, P = 0, xo = 0, accQ = 0, accQ2 = 0, accP2 = 0;
    const ob = o + L.oscillator, oc = ob + OSC_STRIDE;
    const wq = osc ? p[ob + OSC.omega0] / HBAR : 0, c6 = osc ? (6 * p[ob + OSC.cubic]) / HBAR : 0, gam = osc ? p[ob + OSC.damping] : 0, sgP = osc ? p[ob + OSC.sigma] : 0;
    const oscRate = (mm: Float64Array, q: number, pp: number): [number, number] => {
      let c = 0;
      for (let i = 0; i < K; i++) c += p[oc + 3 * i] * mm[3 * i] + p[oc + 3 * i + 1] * mm[3 * i + 1] + p[oc + 3 * i + 2] * mm[3 * i + 2];
      return [wq * pp, -wq * q - c6 * q * q - (2 / HBAR) * c - gam * pp + sgP * xo];
    };
    if (osc) {
      [Q, P] = problem.initialOscillator(sys);
      if (recOsc && sys < recSystems) { recOsc[sys * recSamples * 2] = Q; recOsc[sys * recSamples * 2 + 1] = P; }
    }
    b.fill(0); xi.fill(0);
    const Lf = o + L.noise;
    if (problem.tensorDamping) {
      draw.fill(0);
      for (let r = 0; r < n; r++) {
        rowUsed[r] = p[o + ((r / 3) | 0) * SPIN_STRIDE + SPIN.pinned] === 0 ? 1 : 0;
        if (rowUsed[r]) for (let c = 0; c <= r; c++) if (p[Lf + r * n + c] !== 0) draw[(c / 3) | 0] = 1;
      }
    }
    for (let step = 0; step < steps; step++) {
      if (thermal) {
        const half = step & 1;
        if (!half) {
          // a new pair of steps: one block of six normals per spin
          ctr[0] = problem.trajectoryOffset + sys; ctr[1] = step >>> 1; ctr[3] = STREAM_THERMAL;
          for (let i = 0; i < K; i++) {
            if (!draw[i]) continue;
            ctr[2] = i;
            gaussian6(ctr, key, g6spin[i], w4);
          }
        }
        for (let i = 0; i < K; i++) {
          if (!draw[i]) continue;
          for (let a = 0; a < 3; a++) xi[3 * i + a] = g6[6 * i + 3 * half + a];
        }
        if (osc) {
          // one block per pair of steps: normal 0 (even step), normal 1 (odd step)
          if (!half) { ctrO[0] = problem.trajectoryOffset + sys; ctrO[1] = step >>> 1; ctrO[2] = 0; ctrO[3] = STREAM_OSCILLATOR; gaussian6(ctrO, key, g6o, w4); }
          xo = g6o[half];
        }
        if (!problem.tensorDamping) {
          for (let i = 0; i < K; i++) {
            const sg = p[o + i * SPIN_STRIDE + SPIN.sigma];
            for (let a = 0; a < 3; a++) b[3 * i + a] = sg * xi[3 * i + a];
          }
        } else {
          for (let r = 0; r < n; r++) {
            if (!rowUsed[r]) continue;
            let s = 0;
            for (let c = 0; c <= r; c++) s += p[Lf + r * n + c] * xi[c];
            b[r] = s;
          }
        }
      }
      rhs.eval(p, o, m, b, f0, Q);
      if (f.drift) { rhs.noiseDrift(p, o, m, cd); for (let k = 0; k < n; k++) f0[k] += cd[k]; }
      let dQ0 = 0, dP0 = 0, Qp = 0, Pp = 0;
      if (osc) { [dQ0, dP0] = oscRate(m, Q, P); Qp = Q + dt * dQ0; Pp = P + dt * dP0; }
      for (let i = 0; i < K; i++) {
        const x = 3 * i;
        const ax = m[x] + dt * f0[x], ay = m[x + 1] + dt * f0[x + 1], az = m[x + 2] + dt * f0[x + 2];
        const inv = 1 / Math.sqrt(ax * ax + ay * ay + az * az);
        mp[x] = ax * inv; mp[x + 1] = ay * inv; mp[x + 2] = az * inv;
      }
      rhs.eval(p, o, mp, b, f1, Qp);
      if (f.drift) for (let k = 0; k < n; k++) f1[k] += cd[k];
      if (osc) {
        const [dQ1, dP1] = oscRate(mp, Qp, Pp);
        Q += 0.5 * dt * (dQ0 + dQ1); P += 0.5 * dt * (dP0 + dP1);
      }
      const done = step + 1;
      for (let i = 0; i < K; i++) {
        const x = 3 * i, s = o + i * SPIN_STRIDE;
        const ax = m[x] + 0.5 * dt * (f0[x] + f1[x]), ay = m[x + 1] + 0.5 * dt * (f0[x + 1] + f1[x + 1]), az = m[x + 2] + 0.5 * dt * (f0[x + 2] + f1[x + 2]);
        const inv = 1 / Math.sqrt(ax * ax + ay * ay + az * az);
        m[x] = ax * inv; m[x + 1] = ay * inv; m[x + 2] = az * inv;
        if (tsw[i] === 0 && s0[i] * (m[x] * p[s + SPIN.axis] + m[x + 1] * p[s + SPIN.axis + 1] + m[x + 2] * p[s + SPIN.axis + 2]) < -SWITCH_BAND) tsw[i] = done;
      }
      if (done > avgFromStep) {
        for (let k = 0; k < n; k++) acc[k] += m[k];
        if (osc) { accQ += Q; accQ2 += Q * Q; accP2 += P * P; }
        if (obsAngle || obsReadout) for (let i = 0; i < K; i++) {
          const s = o + i * SPIN_STRIDE, x = 3 * i, T = s + SPIN.torqueAxis;
          if (obsAngle) {
            // θ = 2 atan2(|m − p|, |m + p|), accurate at θ ≈ 0 and π (as the shader's)
            const dx = m[x] - p[T], dy = m[x + 1] - p[T + 1], dz = m[x + 2] - p[T + 2];
            const sx = m[x] + p[T], sy = m[x + 1] + p[T + 1], sz = m[x + 2] + p[T + 2];
            accA[i] += 2 * Math.atan2(Math.sqrt(dx * dx + dy * dy + dz * dz), Math.sqrt(sx * sx + sy * sy + sz * sz));
          }
          if (obsReadout) accR[i] += tableValue(p, o + L.table(i) + 2 * problem.torqueNodes, problem.torqueNodes, m[x] * p[T] + m[x + 1] * p[T + 1] + m[x + 2] * p[T + 2], problem.torqueGrid);
        }
      }
      if (rec && sys < recSystems && done % recStride === 0) {
        rec.set(m, (sys * recSamples + done / recStride) * n);
        if (recOsc) { const r = (sys * recSamples + done / recStride) * 2; recOsc[r] = Q; recOsc[r + 1] = P; }
      }
    }
    const l = sys - batch.first;
    batch.finalM.set(m, l * n);
    for (let k = 0; k < n; k++) batch.meanM[l * n + k] = acc[k] / (steps - avgFromStep);
    if (oscBatch) {
      const c = steps - avgFromStep;
      oscBatch.finalQ[l] = Q; oscBatch.finalP[l] = P; oscBatch.meanQ[l] = accQ / c; oscBatch.meanQ2[l] = accQ2 / c; oscBatch.meanP2[l] = accP2 / c;
    }
    for (let i = 0; i < K; i++) {
      if (batch.meanAngle) batch.meanAngle[l * K + i] = accA[i] / (steps - avgFromStep);
      if (batch.meanReadout) batch.meanReadout[l * K + i] = accR[i] / (steps - avgFromStep);
    }
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE;
      batch.switchTime[l * K + i] = tsw[i] > 0 ? tsw[i] * dt : NaN;
      batch.switched[l * K + i] = s0[i] * (m[3 * i] * p[s + SPIN.axis] + m[3 * i + 1] * p[s + SPIN.axis + 1] + m[3 * i + 2] * p[s + SPIN.axis + 2]) < -SWITCH_BAND ? 1 : 0;
    }
    batch.count = l + 1;
    if (batch.count === cap || sys === N - 1) {
      collector.add({
        ...batch, finalM: batch.finalM.subarray(0, batch.count * n), meanM: batch.meanM.subarray(0, batch.count * n), switchTime: batch.switchTime.subarray(0, batch.count * K),
        switched: batch.switched.subarray(0, batch.count * K), meanAngle: batch.meanAngle?.subarray(0, batch.count * K), meanReadout: batch.meanReadout?.subarray(0, batch.count * K),
        ...(oscBatch ? { oscillator: { finalQ: oscBatch.finalQ.subarray(0, batch.count), finalP: oscBatch.finalP.subarray(0, batch.count), meanQ: oscBatch.meanQ.subarray(0, batch.count), meanQ2: oscBatch.meanQ2.subarray(0, batch.count), meanP2: oscBatch.meanP2.subarray(0, batch.count) } } : {}),
      });
      batch.first = sys + 1; batch.count = 0;
    }
    if (opts.onProgress && performance.now() - lastReport > 500) { lastReport = performance.now(); opts.onProgress((sys + 1) / N); }
  }
  opts.onProgress?.(1);
  const seconds = (performance.now() - t0) / 1000;
  return {
    points: problem.points, trajectoriesPerPoint: problem.trajectoriesPerPoint, trajectories: N, spins: K, steps, dt, averagedSteps: steps - avgFromStep,
    stats: collector.finish(), trajectoryData: collector.kept,
    record: rec ? { systems: recSystems, times: Float64Array.from({ length: recSamples }, (_, k) => k * recStride * dt), m: rec, ...(recOsc ? { osc: recOsc } : {}) } : undefined,
    backend: 'cpu', adapter: CPU_ADAPTER, seconds, spinStepsPerSecond: (N * K * steps) / seconds,
  };
}
