// The model → LLG contract. A model (src/models/…) describes one parameter point of its physics as an
// LlgPoint: spins, pair couplings, damping, noise and spin torques in the LLG core's convention; it
// never sees kernel slots. The core (src/llg/problem.ts) packs points once and integrates any number of
// trajectories per point (src/kernels/llg/).
//
// Energy of one system (DESIGN.md convention, meV):
//   E = −Σ_i B_i·m_i − Σ_i K_i (m_i·n_i)² − Σ_i m_i·Q_i·m_i − Σ_{i<j} m_i·𝕁_ij·m_j
// Dynamics (Gilbert form, implicit in dm/dt when the damping is a tensor):
//   dm_i/dt = −(1/ħS_i) m_i × (H_i + a_FL,i(u_i) p_i) − (a_DL,i(u_i)/ħS_i) m_i × (m_i × p_i) + m_i × Σ_j α_ij dm_j/dt
//   H_i = −∂E/∂m_i + b_i,  ⟨b_a(t) b_b(t')⟩ = C_ab δ(t − t'),  u_i = m_i·p_i = cos θ_i
// Spin torques: a_FL(u) = fieldLikeTorque + table_FL(u), a_DL(u) = dampingLikeTorque + table_DL(u), the tables
// on a uniform grid in u (src/llg/torqueTable.ts). Pair fields: H_i += 𝕁_ij m_j, H_j += 𝕁_ji m_i, with
// 𝕁_ji = 𝕁_ijᵀ (reciprocal, from the energy above) unless a reverse tensor is given (non-reciprocal pairs
// of biased junctions have no energy). Noise: scalar damping → C = 2 α ħ S k_B T 1 (Boltzmann); a damping
// tensor → the FDT covariance k_BT ħ(S_i α_ab + S_j α_ba), or an explicit covariance. Optionally one oscillator
// coordinate (Q, P) per trajectory, coupled linearly to the spins (OscillatorSpec: + (ω0/4)(Q² + P²) + Φ Q³ +
// Σ_c A_c Q (m_c·e_c) in E).
import { unit3, type Vec3 } from '../numerics/vec3.ts';
import type { TableGrid } from './torqueTable.ts';

/** A model: its parameter point P described in the LLG core's terms. */
export interface LlgModel<P> {
  describe(point: P): LlgPoint;
}

export interface SpinSpec {
  /** Zeeman field B (meV), energy −B·m. */
  field?: ArrayLike<number>;
  /** Uniaxial anisotropy K (meV), energy −K (m·n)²; K > 0 easy axis, K < 0 easy plane. */
  anisotropy?: number;
  /** Anisotropy axis n (normalised); also the axis along which switching is detected. Default ẑ. */
  easyAxis?: ArrayLike<number>;
  /**
   * On-site anisotropy tensor Q (meV, symmetric), energy −m·Q·m, in addition to K and n: 9 entries
   * row-major, or 6 entries Qxx, Qyy, Qzz, Qxy, Qxz, Qyz. Sums of uniaxialTensor(K, axis) give several axes.
   */
  anisotropyTensor?: ArrayLike<number>;
  /** Spin length S (dimensionless, > 0); precession rate is B/(ħS). Default 1. */
  S?: number;
  /** Gilbert damping α ≥ 0 (points without a damping tensor). */
  alpha?: number;
  /** Pinned spins do not move. */
  pinned?: boolean;
  /** Spin-torque polarisation axis p (normalised), default ẑ, and constant amplitudes (meV). */
  torqueAxis?: ArrayLike<number>;
  /** Field-like torque a_FL (meV): acts as an extra field a_FL p. */
  fieldLikeTorque?: number;
  /** Damping-like torque a_DL (meV): −(a_DL/ħS) m×(m×p); a_DL > 0 pulls m towards p. */
  dampingLikeTorque?: number;
  /**
   * Angle-dependent torque amplitudes (meV) added to the constant ones, tabulated on n nodes uniform in
   * u = m·p = cos θ (grid 'u', the default: u_k = −1 + 2k/(n−1)) or in ζ = √(1+u) − √(1−u) (grid 'zeta',
   * nearly uniform in θ), interpolated by Catmull–Rom cubics (src/llg/torqueTable.ts). Every table of a
   * problem has the same grid and node count.
   */
  torqueTable?: { grid?: TableGrid; fieldLike?: ArrayLike<number>; dampingLike?: ArrayLike<number> };
  /**
   * A readout g(u) on the same grid as the torque tables (e.g. the charge current through the junction at
   * this orientation), time-averaged along every trajectory when the run asks for observables.readout.
   */
  readoutTable?: ArrayLike<number>;
  /** Initial orientation (normalised). Default ẑ. */
  init?: ArrayLike<number>;
}

export interface CouplingSpec {
  /** Isotropic (Heisenberg) exchange J (meV), energy −J m_i·m_j; J > 0 favours parallel. */
  J?: number;
  /** DM vector D (meV), energy −D·(m_i × m_j). */
  D?: ArrayLike<number>;
  /** Symmetric anisotropic part (row-major 3×3, meV), energy −m_i·Γ·m_j. */
  symmetric?: ArrayLike<number>;
}

/** A pair i < j: J, D, symmetric (or a full forward tensor), and optionally the reverse tensor of a non-reciprocal pair. */
export interface PairSpec extends CouplingSpec {
  i: number;
  j: number;
  /** Forward tensor 𝕁_ij (row-major, meV; field on i = 𝕁_ij m_j) instead of J, D, symmetric. */
  tensor?: ArrayLike<number>;
  /** Reverse tensor 𝕁_ji (row-major, meV; field on j = 𝕁_ji m_i); default 𝕁_ijᵀ (reciprocal). */
  reverse?: ArrayLike<number>;
}

/** One parameter point: everything the integrator needs, shared by all of its trajectories. */
export interface LlgPoint {
  /** Bath temperature T (K). */
  temperature: number;
  spins: SpinSpec[];
  couplings?: PairSpec[];
  /** 3K×3K Gilbert damping tensor (row-major): nonlocal and anisotropic; replaces the per-spin α. */
  damping?: ArrayLike<number>;
  /** 3K×3K noise covariance (meV²·ps, symmetric PSD); default: the fluctuation–dissipation value. */
  noiseCovariance?: ArrayLike<number>;
  /**
   * With an explicit covariance: k_BT (meV, any sign) whose Boltzmann state the noise-induced drift of the
   * tensor damping targets (e.g. a biased bath's effective temperature). Absent: no drift correction.
   */
  driftTemperature?: number;
  /**
   * One classical oscillator coordinate (Q, P) per trajectory, coupled to the spins and thermostatted by
   * its own Langevin bath at `temperature` (see OscillatorSpec). Every point of a problem has one or none.
   */
  oscillator?: OscillatorSpec;
}

/** A linear coupling of the oscillator coordinate Q to spin `spin`: energy A Q (m_spin·e). */
export interface OscillatorCoupling {
  /** Index of the spin (0 ≤ spin < K). Several couplings to one spin add up (A e summed). */
  spin: number;
  /** Direction e (normalised here). */
  axis: ArrayLike<number>;
  /** A (meV per unit Q), with the unit vector m (the core's convention: a spin of length S has A = A_S·S). */
  A: number;
}

/**
 * A classical anharmonic oscillator in the quantum mode's variables Q = a + a†, P = i(a† − a) (dimensionless,
 * {Q, P} = 2/ħ), the classical limit of ω0 a†a + Φ Q³ + Σ_c A_c Q (S_c·e_c) up to the constant −ω0/2:
 *   E_osc = (ω0/4)(Q² + P²) + Φ Q³ + Σ_c A_c Q (m_c·e_c)   (meV; m unit vectors as everywhere in the core)
 * The spins feel the field B_c = −∂E/∂m_c = −A_c Q e_c. Equations of motion (Langevin thermostat on P only):
 *   dQ/dt = (2/ħ) ∂E/∂P = (ω0/ħ) P
 *   dP/dt = −(2/ħ) ∂E/∂Q − γ P + η(t),   ⟨η(t) η(t')⟩ = (4 γ k_BT/ω0) δ(t − t')
 * Stationarity of e^{−E/k_BT} (E the whole energy: spins, their couplings and the oscillator): the Fokker–Planck
 * operator splits into (i) the Hamiltonian flow of (m, Q, P), which conserves E (m precesses about −∂E/∂m; the
 * (Q, P) part is the Poisson flow of E) and is divergence-free (Q̇ depends on P only, the conservative Ṗ on Q and
 * m only, and precession about a field is area-preserving on the sphere), so it leaves any function of E
 * stationary; (ii) the spins' Gilbert damping with its FDT noise, stationary for e^{−E/k_BT} as without the
 * oscillator; (iii) friction and noise on P, ∂_P(γ P ρ + D ∂_P ρ) with D = 2γk_BT/ω0, which vanishes for
 * ρ ∝ e^{−E/k_BT} because ∂_P ρ = −(ω0 P / 2k_BT) ρ: D ∂_P ρ = −γ P ρ. The P-marginal is Gaussian with
 * ⟨P²⟩ = 2k_BT/ω0 (equipartition of (ω0/4)P²), and the (Q, m) marginal is e^{−E(Q, m)/k_BT}.
 * Φ Q³ is unbounded below (for Φ > 0 as Q → −∞): e^{−E/k_BT} is only a metastable well, separated by the
 * barrier ω0³/(432 Φ²) at Q* = −ω0/(6Φ) (without spin coupling); a trajectory that crosses it runs away (its Q,
 * and then m, become non-finite and the trajectory drops out of the statistics). Keep the barrier ≫ k_BT.
 * Noise: one Philox block per two steps, counter (trajectory, ⌊step/2⌋, 0, STREAM_OSCILLATOR); normal 0 (the
 * first Box–Muller pair's cosine) drives the even step, normal 1 (its sine) the odd step.
 */
export interface OscillatorSpec {
  /** Mode energy ω0 (meV, > 0). */
  omega0: number;
  /** Cubic anharmonicity Φ (meV), energy Φ Q³. Default 0. */
  cubic?: number;
  /** Langevin friction γ on P (1/ps, ≥ 0). 0: no bath on the oscillator (it then exchanges energy with the spins only). */
  damping: number;
  /** Linear spin couplings A Q (m·e). */
  couplings?: OscillatorCoupling[];
  /** Initial (Q, P) of every trajectory of the point. Default (0, 0). */
  init?: { Q?: number; P?: number };
}

/** Spins per system the cluster kernel is compiled for (3K×3K damping solve in registers). */
export const MAX_SPINS = 4;

export function finite(x: unknown, name: string, lo = -Infinity, hi = Infinity, loOpen = false): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi || (loOpen && x === lo)) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hi === Infinity ? ')' : ']'}`;
    throw new RangeError(`${name} must be a finite number in ${range}, got ${x}`);
  }
  return x;
}

/** Bilinear coupling tensor 𝕁 (row-major) with m_i·𝕁·m_j = J m_i·m_j + m_i·Γ·m_j + D·(m_i × m_j). */
export function couplingTensor(c: CouplingSpec): Float64Array {
  const t = new Float64Array(9);
  const J = c.J ?? 0;
  t[0] = t[4] = t[8] = J;
  if (c.symmetric) {
    if (c.symmetric.length !== 9) throw new RangeError('coupling.symmetric must have 9 entries (row-major 3×3)');
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      if (Math.abs(c.symmetric[3 * a + b] - c.symmetric[3 * b + a]) > 1e-12) throw new RangeError('coupling.symmetric must be a symmetric matrix');
      t[3 * a + b] += c.symmetric[3 * a + b];
    }
  }
  const D = c.D ?? [0, 0, 0];
  const dx = D[0], dy = D[1], dz = D[2];
  // D·(a×b) = aᵀ A b with A = −[D]×
  t[1] += dz; t[2] -= dy; t[3] -= dz; t[5] += dx; t[6] += dy; t[7] -= dx;
  for (const v of t) if (!Number.isFinite(v)) throw new RangeError('coupling must be finite');
  return t;
}

/** Uniaxial on-site tensor Q = K n nᵀ (row-major, meV; n normalised): −m·Q·m = −K (m·n)². */
export function uniaxialTensor(K: number, axis: ArrayLike<number>): number[] {
  const k = finite(K, 'uniaxialTensor: K (meV)');
  const n = unit3(axis, 'uniaxialTensor: axis');
  const q: number[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) q.push(k * n[a] * n[b]);
  return q;
}

/** Row-major index (3a + b) of each of the 6 stored on-site tensor entries: xx, yy, zz, xy, xz, yz. */
export const TENSOR_SLOTS = [0, 4, 8, 1, 2, 5] as const;

/** The 6 stored entries (xx, yy, zz, xy, xz, yz) of an on-site tensor given as 9 (row-major) or 6 entries. */
export function anisotropyTensorSlots(q: ArrayLike<number>): number[] {
  const name = 'anisotropyTensor';
  if (q === null || typeof q !== 'object' || typeof q.length !== 'number') throw new RangeError(`${name} must be an array of 9 (row-major 3×3) or 6 (xx, yy, zz, xy, xz, yz) numbers (meV)`);
  for (let k = 0; k < q.length; k++) {
    if (typeof q[k] !== 'number' || !Number.isFinite(q[k])) throw new RangeError(`${name} entries must be finite numbers (meV), got ${q[k]} at index ${k}`);
  }
  if (q.length === 6) return Array.from(q);
  if (q.length !== 9) throw new RangeError(`${name} must have 9 entries (row-major 3×3) or 6 (xx, yy, zz, xy, xz, yz), got ${q.length}`);
  for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
    const u = q[3 * a + b], v = q[3 * b + a];
    if (Math.abs(u - v) > 1e-12 * Math.max(1, Math.abs(u), Math.abs(v))) throw new RangeError(`${name} must be symmetric: entry (${a},${b}) = ${u} but (${b},${a}) = ${v}`);
  }
  return TENSOR_SLOTS.map(k => 0.5 * (q[k] + q[3 * (k % 3) + Math.floor(k / 3)]));
}

export type { Vec3 };
