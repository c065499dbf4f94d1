// CPU twin (float64) of shaders/llg/heun.wgsl: the same stochastic Heun step, the same Philox noise
// (counter = (step, system, spin, stream), key = seed), the same observables. It is the reference the
// WebGPU kernel is validated against and the fallback backend.
import { gaussian4, seedKey, STREAM_THERMAL } from '../../numerics/philox.ts';
import { HBAR } from '../../numerics/units.ts';
import { solveInPlace } from '../../numerics/linalg.ts';
import { hasNoise, initialSide, packParams, SPIN, SPIN_STRIDE, PAIR, PAIR_STRIDE, SWITCH_BAND, type LlgEnsemble } from './ensemble.ts';
import { validateRunOptions, type LlgResult, type LlgRunOptions } from './options.ts';
import { CPU_ADAPTER } from '../../backends/index.ts';

/** Right-hand side dm/dt of one system (all K spins), float64. */
class SystemRhs {
  readonly h: Float64Array; readonly r: Float64Array; readonly g: Float64Array;
  constructor(readonly K: number, readonly P: number, readonly tensor: boolean) {
    this.h = new Float64Array(3 * K); this.r = new Float64Array(3 * K); this.g = new Float64Array(9 * K * K);
  }

  /** out = dm/dt for orientations m and thermal field b, parameters p at offset o. */
  eval(p: Float64Array, o: number, m: Float64Array, b: Float64Array, out: Float64Array): void {
    const { K, P, h, r } = this;
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE, x = 3 * i;
      const kdot = 2 * p[s + SPIN.anisotropy] * (m[x] * p[s + 4] + m[x + 1] * p[s + 5] + m[x + 2] * p[s + 6]);
      const fl = p[s + SPIN.fieldLike];
      for (let a = 0; a < 3; a++) h[x + a] = p[s + a] + kdot * p[s + 4 + a] + b[x + a] + fl * p[s + 8 + a];
    }
    let q = o + K * SPIN_STRIDE;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++, q += PAIR_STRIDE) {
      const xi = 3 * i, xj = 3 * j, f = q + PAIR.forward, v = q + PAIR.reverse;
      for (let a = 0; a < 3; a++) {
        // field on i: 𝕁_ij m_j; on j: 𝕁_ji m_i (= 𝕁_ijᵀ m_i, same products and order, when reciprocal)
        h[xi + a] += p[f + 3 * a] * m[xj] + p[f + 3 * a + 1] * m[xj + 1] + p[f + 3 * a + 2] * m[xj + 2];
        h[xj + a] += p[v + 3 * a] * m[xi] + p[v + 3 * a + 1] * m[xi + 1] + p[v + 3 * a + 2] * m[xi + 2];
      }
    }
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE, x = 3 * i;
      const mx = m[x], my = m[x + 1], mz = m[x + 2];
      const px = p[s + 8], py = p[s + 9], pz = p[s + 10], dl = p[s + SPIN.dampingLike];
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
    // Tensor damping: (1 − M A) x = r, M = blockdiag([m_i]×), solved exactly per stage.
    const n = 3 * K, g = this.g, A = o + K * SPIN_STRIDE + P * PAIR_STRIDE;
    for (let i = 0; i < K; i++) {
      const x = 3 * i, pinned = p[o + i * SPIN_STRIDE + SPIN.pinned] !== 0;
      const mx = m[x], my = m[x + 1], mz = m[x + 2];
      for (let c = 0; c < n; c++) {
        const a0 = p[A + x * n + c], a1 = p[A + (x + 1) * n + c], a2 = p[A + (x + 2) * n + c];
        // rows of [m]× applied to column c of A's block rows
        g[x * n + c] = pinned ? 0 : -(-mz * a1 + my * a2);
        g[(x + 1) * n + c] = pinned ? 0 : -(mz * a0 - mx * a2);
        g[(x + 2) * n + c] = pinned ? 0 : -(-my * a0 + mx * a1);
      }
      for (let a = 0; a < 3; a++) { g[(x + a) * n + x + a] += 1; out[x + a] = pinned ? 0 : r[x + a]; }
    }
    solveInPlace(g, out, n);
  }
}

export function runLlgCpu(ens: LlgEnsemble, opts: LlgRunOptions): LlgResult {
  const { avgFromStep, recSystems, recStride, recSamples } = validateRunOptions(ens, opts);
  const t0 = performance.now();
  const K = ens.spins, n = ens.dim, dt = opts.dt, steps = opts.steps;
  const p = packParams(ens, dt);
  const key = seedKey(opts.seed);
  const rhs = new SystemRhs(K, ens.pairs, ens.tensorDamping);
  const m = new Float64Array(n), mp = new Float64Array(n), f0 = new Float64Array(n), f1 = new Float64Array(n);
  const b = new Float64Array(n), xi = new Float64Array(n), g4 = new Float64Array(4), w4 = new Uint32Array(4);
  const ctr = new Uint32Array(4);
  const acc = new Float64Array(n), s0 = new Float64Array(K), tsw = new Float64Array(K);
  const finalM = new Float64Array(ens.systems * n), meanM = new Float64Array(ens.systems * n);
  const switchTime = new Float64Array(ens.systems * K), switched = new Uint8Array(ens.systems * K);
  const rec = recSystems > 0 ? new Float64Array(recSystems * recSamples * n) : null;
  let lastReport = t0;

  for (let sys = 0; sys < ens.systems; sys++) {
    const o = sys * ens.stride;
    const thermal = hasNoise(ens, p, sys);
    m.set(ens.init.subarray(sys * n, (sys + 1) * n));
    acc.fill(0); tsw.fill(0);
    for (let i = 0; i < K; i++) s0[i] = initialSide(ens, p, sys, i);
    if (rec && sys < recSystems) rec.set(m, sys * recSamples * n);
    b.fill(0);
    for (let step = 0; step < steps; step++) {
      if (thermal) {
        ctr[0] = step; ctr[1] = sys; ctr[3] = STREAM_THERMAL;
        for (let i = 0; i < K; i++) {
          ctr[2] = i;
          gaussian4(ctr, key, g4, w4);
          xi[3 * i] = g4[0]; xi[3 * i + 1] = g4[1]; xi[3 * i + 2] = g4[2];
        }
        if (!ens.tensorDamping) {
          for (let i = 0; i < K; i++) {
            const sg = p[o + i * SPIN_STRIDE + SPIN.sigma];
            for (let a = 0; a < 3; a++) b[3 * i + a] = sg * xi[3 * i + a];
          }
        } else {
          const L = o + K * SPIN_STRIDE + ens.pairs * PAIR_STRIDE + n * n;
          for (let r = 0; r < n; r++) { let s = 0; for (let c = 0; c <= r; c++) s += p[L + r * n + c] * xi[c]; b[r] = s; }
        }
      }
      rhs.eval(p, o, m, b, f0);
      for (let i = 0; i < K; i++) {
        const x = 3 * i;
        const ax = m[x] + dt * f0[x], ay = m[x + 1] + dt * f0[x + 1], az = m[x + 2] + dt * f0[x + 2];
        const inv = 1 / Math.sqrt(ax * ax + ay * ay + az * az);
        mp[x] = ax * inv; mp[x + 1] = ay * inv; mp[x + 2] = az * inv;
      }
      rhs.eval(p, o, mp, b, f1);
      const done = step + 1;
      for (let i = 0; i < K; i++) {
        const x = 3 * i, s = o + i * SPIN_STRIDE;
        const ax = m[x] + 0.5 * dt * (f0[x] + f1[x]), ay = m[x + 1] + 0.5 * dt * (f0[x + 1] + f1[x + 1]), az = m[x + 2] + 0.5 * dt * (f0[x + 2] + f1[x + 2]);
        const inv = 1 / Math.sqrt(ax * ax + ay * ay + az * az);
        m[x] = ax * inv; m[x + 1] = ay * inv; m[x + 2] = az * inv;
        if (tsw[i] === 0 && s0[i] * (m[x] * p[s + 4] + m[x + 1] * p[s + 5] + m[x + 2] * p[s + 6]) < -SWITCH_BAND) tsw[i] = done;
      }
      if (done > avgFromStep) for (let k = 0; k < n; k++) acc[k] += m[k];
      if (rec && sys < recSystems && done % recStride === 0) rec.set(m, (sys * recSamples + done / recStride) * n);
    }
    finalM.set(m, sys * n);
    for (let k = 0; k < n; k++) meanM[sys * n + k] = acc[k] / (steps - avgFromStep);
    for (let i = 0; i < K; i++) {
      const s = o + i * SPIN_STRIDE;
      switchTime[sys * K + i] = tsw[i] > 0 ? tsw[i] * dt : NaN;
      switched[sys * K + i] = s0[i] * (m[3 * i] * p[s + 4] + m[3 * i + 1] * p[s + 5] + m[3 * i + 2] * p[s + 6]) < -SWITCH_BAND ? 1 : 0;
    }
    if (opts.onProgress && performance.now() - lastReport > 500) { lastReport = performance.now(); opts.onProgress((sys + 1) / ens.systems); }
  }
  opts.onProgress?.(1);
  const seconds = (performance.now() - t0) / 1000;
  return {
    systems: ens.systems, spins: K, steps, dt, finalM, meanM, averagedSteps: steps - avgFromStep, switchTime, switched,
    record: rec ? { systems: recSystems, times: Float64Array.from({ length: recSamples }, (_, k) => k * recStride * dt), m: rec } : undefined,
    backend: 'cpu', adapter: CPU_ADAPTER, seconds, spinStepsPerSecond: (ens.systems * K * steps) / seconds,
  };
}
