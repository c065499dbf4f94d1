// An LLG ensemble: N independent systems of K classical spins, every parameter per system, so one
// dispatch covers a whole parameter grid. Packed float64 here; the WebGPU host converts to float32.
//
// Energy of one system (DESIGN.md convention, meV):
//   E = −Σ_i B_i·m_i − Σ_i K_i (m_i·n_i)² − Σ_i m_i·Q_i·m_i − Σ_{i<j} m_i·𝕁_ij·m_j
// Q_i: symmetric on-site anisotropy tensor (several easy/hard axes at once), field 2 Q_i m_i.
// Dynamics (Gilbert form, one equation per spin, implicit in dm/dt when damping is a tensor):
//   dm_i/dt = −(1/ħS_i) m_i × (H_i + a_FL,i p_i) − (a_DL,i/ħS_i) m_i × (m_i × p_i) + m_i × Σ_j α_ij dm_j/dt
//   H_i = −∂E/∂m_i + b_i,  ⟨b_a(t) b_b(t')⟩ = C_ab δ(t − t')
// With scalar damping α_ij = α_i δ_ij 1 and C = 2 α_i ħ S_i k_B T 1 (Boltzmann equilibrium). With a damping
// tensor and the FDT covariance the kernels add the noise-induced drift k_BT X κ that the Stratonovich
// (Heun) reading of the solved equation lacks, so equilibrium is Boltzmann there too (derivation: cpu.ts).
// Pair fields: a pair i < j carries two tensors, the forward 𝕁_ij and the reverse 𝕁_ji, and adds
//   H_i += 𝕁_ij m_j,   H_j += 𝕁_ji m_i.
// By default 𝕁_ji = 𝕁_ijᵀ, the reciprocal case, where both fields derive from −m_i·𝕁_ij·m_j above.
// A non-reciprocal pair (𝕁_ji ≠ 𝕁_ijᵀ, e.g. the current-driven exchange of a biased junction, seed
// 000) has no energy: it exerts torques that no E(m) gives, so Boltzmann equilibrium no longer holds.
import { HBAR, KB } from '../../numerics/units.ts';
import { unit3, type Vec3 } from '../../numerics/vec3.ts';
import { choleskyPsd } from '../../numerics/linalg.ts';

/**
 * Per-spin parameter slots (floats). shaders/llg/heun.wgsl gets these offsets as constants SLOT_<NAME>
 * (webgpu.ts heunShader), so this object is the one source of truth. `tensor`: on-site anisotropy Q,
 * 6 slots in the order Qxx, Qyy, Qzz, Qxy, Qxz, Qyz (TENSOR_SLOTS).
 */
export const SPIN = {
  field: 0, anisotropy: 3, axis: 4, S: 7, torqueAxis: 8, fieldLike: 11, dampingLike: 12, alpha: 13, sigma: 14, pinned: 15, tensor: 16,
} as const;
export const SPIN_STRIDE = 22;
/** Row-major index (3a + b) of each of the 6 on-site tensor slots: xx, yy, zz, xy, xz, yz. */
export const TENSOR_SLOTS = [0, 4, 8, 1, 2, 5] as const;
/**
 * Per-pair parameter slots (floats): the forward tensor 𝕁_ij (field on i = 𝕁_ij m_j), row-major, then
 * the reverse tensor 𝕁_ji (field on j = 𝕁_ji m_i), row-major — the same offsets are used by
 * shaders/llg/heun.wgsl. Always stored, = 𝕁_ijᵀ unless set (see LlgEnsemble.setCoupling).
 */
export const PAIR = { forward: 0, reverse: 9 } as const;
export const PAIR_STRIDE = 18;
/**
 * A spin has switched when s0·(m·n) < −SWITCH_BAND, s0 its initial side (initialSide). The band keeps
 * float32 vs float64 rounding of a start with m·n ≈ 0 from counting as a switch on one backend only.
 */
export const SWITCH_BAND = 1e-5;
/** Spins per system the kernels are compiled for (3K×3K damping solve in registers). */
export const MAX_SPINS = 4;

export interface SpinSpec {
  /** Zeeman field B (meV), energy −B·m. */
  field?: Vec3;
  /** Uniaxial anisotropy K (meV), energy −K (m·n)²; K > 0 easy axis, K < 0 easy plane. */
  anisotropy?: number;
  /** Anisotropy axis n (normalised); also the axis along which switching is detected. */
  easyAxis?: Vec3;
  /**
   * On-site anisotropy tensor Q (meV, symmetric), energy −m·Q·m, in addition to K and n: 9 entries
   * row-major (symmetric to 1e-12 relative), or 6 entries Qxx, Qyy, Qzz, Qxy, Qxz, Qyz. E.g. easy z,
   * hard x: diag(−K_x, 0, K_z); sums of uniaxialTensor(K, axis) give several axes. Default 0.
   */
  anisotropyTensor?: ArrayLike<number>;
  /** Spin length S (dimensionless, > 0); precession rate is B/(ħS). */
  S?: number;
  /** Gilbert damping α ≥ 0 (scalar-damping ensembles). */
  alpha?: number;
  /** Pinned spins do not move (Sec. IV of seed 001). */
  pinned?: boolean;
  /** Spin-torque polarisation axis p (normalised) and strengths (meV). */
  torqueAxis?: Vec3;
  /** Field-like torque a_FL (meV): acts as an extra field a_FL p. */
  fieldLikeTorque?: number;
  /** Damping-like torque a_DL (meV): −(a_DL/ħS) m×(m×p); a_DL > 0 pulls m towards p. */
  dampingLikeTorque?: number;
  /** Initial orientation (normalised). */
  init?: Vec3;
}

export interface CouplingSpec {
  /** Isotropic (Heisenberg) exchange J (meV), energy −J m_i·m_j; J > 0 favours parallel. */
  J?: number;
  /** DM vector D (meV), energy −D·(m_i × m_j). */
  D?: Vec3;
  /** Symmetric anisotropic part (row-major 3×3, meV), energy −m_i·Γ·m_j. */
  symmetric?: number[];
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
  const [dx, dy, dz] = c.D ?? [0, 0, 0];
  // D·(a×b) = aᵀ A b with A = −[D]×
  t[1] += dz; t[2] -= dy; t[3] -= dz; t[5] += dx; t[6] += dy; t[7] -= dx;
  for (const v of t) if (!Number.isFinite(v)) throw new RangeError('coupling must be finite');
  return t;
}

/** Uniaxial on-site tensor Q = K n nᵀ (row-major, meV; n normalised): −m·Q·m = −K (m·n)². */
export function uniaxialTensor(K: number, axis: Vec3): number[] {
  const k = finite(K, 'uniaxialTensor: K (meV)');
  const n = unit3(axis, 'uniaxialTensor: axis');
  const q: number[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) q.push(k * n[a] * n[b]);
  return q;
}

/** The 6 stored slots (xx, yy, zz, xy, xz, yz) of an on-site tensor given as 9 (row-major) or 6 entries. */
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

/**
 * Host memory of one run, bytes (float64 parameters and their packed copy, float32 upload copies,
 * results, per-system CSV text): measured ~350 B per macrospin system with 16 slots per spin (the
 * 6 on-site tensor slots add 6 × (8 + 8 + 4) = 120 B per spin, counted via SPIN_STRIDE), so this over-estimates.
 */
export function estimateHostBytes(shape: EnsembleShape): number {
  const K = shape.spins, P = (K * (K - 1)) / 2, D = 3 * K;
  const stride = K * SPIN_STRIDE + P * PAIR_STRIDE + (shape.tensorDamping ? tensorModeSlots(D) : 0);
  return shape.systems * (stride * (8 + 8 + 4) + D * (8 * 4 + 4 * 3) + K * 200 + 64);
}

let hostMemory: number | undefined;
/** Total host memory in Node (via getBuiltinModule, so this module still bundles for browsers). */
function hostMemoryBytes(): number {
  if (hostMemory === undefined) {
    const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => { totalmem?: () => number } }).getBuiltinModule;
    hostMemory = getBuiltin?.('node:os')?.totalmem?.() ?? Infinity;
  }
  return hostMemory;
}

export function pairIndex(i: number, j: number, K: number): number {
  if (!Number.isInteger(i) || !Number.isInteger(j) || !(0 <= i && i < j && j < K)) throw new RangeError(`coupling pair (${i},${j}) must be integers with 0 ≤ i < j < ${K}`);
  return i * K - (i * (i + 1)) / 2 + (j - i - 1);
}

function finite(x: number, name: string, lo = -Infinity, hi = Infinity, loOpen = false): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi || (loOpen && x === lo)) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hi === Infinity ? ')' : ']'}`;
    throw new RangeError(`${name} must be a finite number in ${range}, got ${x}`);
  }
  return x;
}

/** Tensor mode, per system: damping α (D×D), noise factor L/√dt (D×D), k_BT of the drift correction. */
const tensorModeSlots = (D: number) => 2 * D * D + 1;

export interface EnsembleShape {
  systems: number;
  spins: number;
  /** Damping as a 3K×3K tensor and noise as a 3K×3K covariance (nonlocal, anisotropic). */
  tensorDamping?: boolean;
}

export class LlgEnsemble {
  readonly systems: number;
  readonly spins: number;
  readonly pairs: number;
  readonly tensorDamping: boolean;
  /** 3K: dimension of the joint state of one system. */
  readonly dim: number;
  readonly stride: number;
  readonly params: Float64Array;
  readonly init: Float64Array;
  readonly temperature: Float64Array;
  /** Explicit noise covariance (meV²·ps) per system, tensor mode; NaN-filled means "FDT from damping and T". */
  readonly covariance: Float64Array | null;
  /** k_BT (meV) of the drift correction with an explicit covariance, per system; NaN = none (see driftTemperature). */
  readonly driftKT: Float64Array | null;

  constructor(shape: EnsembleShape) {
    if (!Number.isInteger(shape.systems) || shape.systems < 1 || shape.systems > 2 ** 26) throw new RangeError(`systems must be an integer in [1, 67108864], got ${shape.systems}`);
    if (!Number.isInteger(shape.spins) || shape.spins < 1 || shape.spins > MAX_SPINS) throw new RangeError(`spins per system must be an integer in [1, ${MAX_SPINS}], got ${shape.spins}`);
    const need = estimateHostBytes(shape);
    const have = typeof process !== 'undefined' && process.versions?.node ? hostMemoryBytes() : Infinity;
    if (need > 0.8 * have) {
      throw new RangeError(`systems: ${shape.systems} systems × ${shape.spins} spins need about ${(need / 2 ** 30).toFixed(1)} GiB of host memory, ` +
        `more than 80 % of this machine's ${(have / 2 ** 30).toFixed(1)} GiB; run fewer systems per job`);
    }
    this.systems = shape.systems;
    this.spins = shape.spins;
    this.pairs = (shape.spins * (shape.spins - 1)) / 2;
    this.tensorDamping = !!shape.tensorDamping;
    this.dim = 3 * shape.spins;
    this.stride = this.spins * SPIN_STRIDE + this.pairs * PAIR_STRIDE + (this.tensorDamping ? tensorModeSlots(this.dim) : 0);
    this.params = new Float64Array(this.systems * this.stride);
    this.init = new Float64Array(this.systems * this.dim);
    this.temperature = new Float64Array(this.systems);
    this.covariance = this.tensorDamping ? new Float64Array(this.systems * this.dim * this.dim).fill(NaN) : null;
    this.driftKT = this.tensorDamping ? new Float64Array(this.systems).fill(NaN) : null;
    for (let s = 0; s < this.systems; s++) for (let i = 0; i < this.spins; i++) {
      this.setSpin(s, i, { easyAxis: [0, 0, 1], S: 1, init: [0, 0, 1], torqueAxis: [0, 0, 1] });
    }
  }

  spinOffset(sys: number, i: number): number { return sys * this.stride + i * SPIN_STRIDE; }
  pairOffset(sys: number, p: number): number { return sys * this.stride + this.spins * SPIN_STRIDE + p * PAIR_STRIDE; }
  /** Offset of the 3K×3K damping tensor (tensor mode); the noise factor (3K×3K) and k_BT slots follow it. */
  dampingOffset(sys: number): number { return sys * this.stride + this.spins * SPIN_STRIDE + this.pairs * PAIR_STRIDE; }
  /** Offset of the k_BT slot of the noise-induced drift correction (tensor mode, packed parameters). */
  driftOffset(sys: number): number { return this.dampingOffset(sys) + 2 * this.dim * this.dim; }

  private check(sys: number, i = 0): void {
    if (!Number.isInteger(sys) || sys < 0 || sys >= this.systems) throw new RangeError(`system index must be in [0, ${this.systems - 1}], got ${sys}`);
    if (!Number.isInteger(i) || i < 0 || i >= this.spins) throw new RangeError(`spin index must be in [0, ${this.spins - 1}], got ${i}`);
  }

  setSpin(sys: number, i: number, s: SpinSpec): this {
    this.check(sys, i);
    const o = this.spinOffset(sys, i), p = this.params;
    if (s.field) for (let a = 0; a < 3; a++) p[o + SPIN.field + a] = finite(s.field[a], 'field');
    if (s.anisotropy !== undefined) p[o + SPIN.anisotropy] = finite(s.anisotropy, 'anisotropy (meV)');
    if (s.easyAxis) p.set(unit3(s.easyAxis, 'easy axis'), o + SPIN.axis);
    if (s.anisotropyTensor !== undefined) p.set(anisotropyTensorSlots(s.anisotropyTensor), o + SPIN.tensor);
    if (s.S !== undefined) p[o + SPIN.S] = finite(s.S, 'spin length S', 0, 1e6, true);
    if (s.alpha !== undefined) {
      if (this.tensorDamping) throw new RangeError('alpha: this ensemble uses a damping tensor; call setDamping');
      p[o + SPIN.alpha] = finite(s.alpha, 'alpha (Gilbert damping)', 0, 100);
    }
    if (s.pinned !== undefined) p[o + SPIN.pinned] = s.pinned ? 1 : 0;
    if (s.torqueAxis) p.set(unit3(s.torqueAxis, 'torque polarisation axis'), o + SPIN.torqueAxis);
    if (s.fieldLikeTorque !== undefined) p[o + SPIN.fieldLike] = finite(s.fieldLikeTorque, 'field-like torque (meV)');
    if (s.dampingLikeTorque !== undefined) p[o + SPIN.dampingLike] = finite(s.dampingLikeTorque, 'damping-like torque (meV)');
    if (s.init) this.init.set(unit3(s.init, 'initial orientation'), sys * this.dim + 3 * i);
    return this;
  }

  setTemperature(sys: number, T: number): this {
    this.check(sys);
    this.temperature[sys] = finite(T, 'temperature (K)', 0, 1e5);
    return this;
  }

  /**
   * Coupling of the pair i < j. `c` gives the forward tensor 𝕁_ij (a CouplingSpec, or 9 entries
   * row-major): the field on spin i is 𝕁_ij m_j, and in the reciprocal case the pair energy is
   * −m_i·𝕁_ij·m_j. `reverse` (9 entries, row-major, meV) is the tensor 𝕁_ji of the field on spin j,
   * 𝕁_ji m_i; without it 𝕁_ji = 𝕁_ijᵀ (reciprocal: both fields from one energy). Give it for a
   * non-reciprocal pair, e.g. an antisymmetric part of the same sign in both, A = 𝕁_ij = 𝕁_ji, which
   * drives both spins the same way instead of conserving −m_i·A·m_j. Each call sets both tensors.
   */
  setCoupling(sys: number, i: number, j: number, c: CouplingSpec | Float64Array, reverse?: ArrayLike<number>): this {
    this.check(sys, j);
    const q = pairIndex(i, j, this.spins);
    const t = c instanceof Float64Array ? c : couplingTensor(c);
    if (t.length !== 9) throw new RangeError('coupling tensor must have 9 entries');
    if (reverse !== undefined && reverse.length !== 9) throw new RangeError(`reverse coupling tensor (field on spin ${j} from spin ${i}) must have 9 entries (row-major 3×3), got ${reverse.length}`);
    const o = this.pairOffset(sys, q), p = this.params;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      p[o + PAIR.forward + 3 * a + b] = finite(t[3 * a + b], 'coupling tensor entry');
      p[o + PAIR.reverse + 3 * a + b] = reverse === undefined ? t[3 * b + a] : finite(reverse[3 * a + b], 'reverse coupling tensor entry');
    }
    return this;
  }

  /**
   * True when every pair of every system is reciprocal (reverse tensor = transpose of the forward one,
   * exactly, as setCoupling stores it by default). The WebGPU kernel is then compiled without the
   * reverse tensors (same arithmetic and speed as a kernel that never had them).
   */
  isReciprocal(): boolean {
    const p = this.params;
    for (let s = 0; s < this.systems; s++) for (let q = 0; q < this.pairs; q++) {
      const o = this.pairOffset(s, q);
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
        if (p[o + PAIR.reverse + 3 * a + b] !== p[o + PAIR.forward + 3 * b + a]) return false;
      }
    }
    return true;
  }

  /**
   * True when some spin of some system has a non-zero on-site tensor Q. Otherwise the kernels skip the
   * 2 Q m term (the WebGPU kernel is compiled without it: ONSITE_TENSOR).
   */
  hasOnsiteTensor(): boolean {
    const p = this.params;
    for (let s = 0; s < this.systems; s++) for (let i = 0; i < this.spins; i++) {
      const o = this.spinOffset(s, i) + SPIN.tensor;
      for (let k = 0; k < 6; k++) if (p[o + k] !== 0) return true;
    }
    return false;
  }

  /**
   * True when some spin of some system has a field-like or damping-like spin torque. Otherwise the
   * WebGPU kernel is compiled without the torque terms (TORQUE); the CPU twin adds them regardless (× 0).
   */
  hasSpinTorque(): boolean {
    const p = this.params;
    for (let s = 0; s < this.systems; s++) for (let i = 0; i < this.spins; i++) {
      const o = this.spinOffset(s, i);
      if (p[o + SPIN.fieldLike] !== 0 || p[o + SPIN.dampingLike] !== 0) return true;
    }
    return false;
  }

  /** The on-site tensor Q of spin i as stored (row-major 3×3, meV). */
  anisotropyTensor(sys: number, i: number): number[] {
    this.check(sys, i);
    const o = this.spinOffset(sys, i) + SPIN.tensor, q = new Array<number>(9);
    TENSOR_SLOTS.forEach((k, t) => { q[k] = q[3 * (k % 3) + Math.floor(k / 3)] = this.params[o + t]; });
    return q;
  }

  /** The pair's tensors as stored: forward 𝕁_ij and reverse 𝕁_ji (row-major copies). */
  coupling(sys: number, i: number, j: number): { forward: Float64Array; reverse: Float64Array } {
    this.check(sys, j);
    const o = this.pairOffset(sys, pairIndex(i, j, this.spins));
    return { forward: this.params.slice(o + PAIR.forward, o + PAIR.forward + 9), reverse: this.params.slice(o + PAIR.reverse, o + PAIR.reverse + 9) };
  }

  /** Damping tensor α (3K×3K, row-major, dimensionless): nonlocal and anisotropic Gilbert damping. */
  setDamping(sys: number, alpha: ArrayLike<number>): this {
    this.check(sys);
    if (!this.tensorDamping) throw new RangeError('setDamping needs an ensemble created with tensorDamping: true');
    if (alpha.length !== this.dim * this.dim) throw new RangeError(`damping tensor must have ${this.dim * this.dim} entries, got ${alpha.length}`);
    const o = this.dampingOffset(sys);
    for (let k = 0; k < alpha.length; k++) this.params[o + k] = finite(alpha[k], 'damping tensor entry');
    return this;
  }

  /** Noise covariance C (3K×3K, meV²·ps, symmetric PSD); default is the FDT value from damping and T. */
  setNoiseCovariance(sys: number, c: ArrayLike<number>): this {
    this.check(sys);
    if (!this.covariance) throw new RangeError('setNoiseCovariance needs an ensemble created with tensorDamping: true');
    if (c.length !== this.dim * this.dim) throw new RangeError(`noise covariance must have ${this.dim * this.dim} entries, got ${c.length}`);
    for (let k = 0; k < c.length; k++) this.covariance[sys * this.dim * this.dim + k] = finite(c[k], 'noise covariance entry');
    return this;
  }

  /**
   * Fluctuation–dissipation covariance for system `sys`: C_ab = k_B T ħ (S_i α_ab + S_j α_ba),
   * a in spin i, b in spin j (= 2 α ħ S k_B T δ_ab for scalar damping).
   */
  fdtCovariance(sys: number): Float64Array {
    const n = this.dim, c = new Float64Array(n * n), T = this.temperature[sys];
    const o = this.dampingOffset(sys);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
      const Si = this.params[this.spinOffset(sys, Math.floor(a / 3)) + SPIN.S];
      const Sj = this.params[this.spinOffset(sys, Math.floor(b / 3)) + SPIN.S];
      c[a * n + b] = KB * T * HBAR * (Si * this.params[o + a * n + b] + Sj * this.params[o + b * n + a]);
    }
    return c;
  }

  /**
   * Thermal energy k_BT (meV) of the noise-induced drift correction of system `sys` (tensor mode): k_BT
   * with the default FDT noise; with an explicit covariance the value set by setDriftTemperature, else 0
   * (no temperature defines the target distribution: plain Stratonovich dynamics); 0 when the damping
   * needs none (see needsDriftCorrection).
   */
  driftTemperature(sys: number): number {
    if (!this.covariance) return 0;
    const explicit = !Number.isNaN(this.covariance[sys * this.dim * this.dim]);
    const kT = explicit ? this.driftKT![sys] : KB * this.temperature[sys];
    if (Number.isNaN(kT)) return 0;
    return perSpinScalarDamping(this.params, this.dampingOffset(sys), this.dim) ? 0 : kT;
  }

  /**
   * With an explicit noise covariance: the k_BT (meV, any sign) whose Boltzmann state the drift correction
   * targets — e.g. the effective temperature of a biased bath, exact where C = 2k_BT·sym(ħ diag(S) α).
   * NaN (the default) means no correction (plain Stratonovich dynamics).
   */
  setDriftTemperature(sys: number, kT: number): this {
    this.check(sys);
    if (!this.driftKT) throw new RangeError('setDriftTemperature needs an ensemble created with tensorDamping: true');
    if (!(Number.isNaN(kT) || Number.isFinite(kT))) throw new RangeError(`drift k_BT must be finite (meV) or NaN, got ${kT}`);
    this.driftKT[sys] = kT;
    return this;
  }

  /**
   * Whether some system needs the noise-induced drift of tensor damping (see cpu.ts, SystemRhs): FDT
   * noise at T > 0 with a damping tensor that is not a scalar α_i·1 per spin (nonlocal blocks or
   * anisotropic local ones). Otherwise the kernels skip it (WebGPU: compiled out, DRIFT).
   */
  needsDriftCorrection(): boolean {
    if (!this.tensorDamping) return false;
    for (let s = 0; s < this.systems; s++) if (this.driftTemperature(s) !== 0) return true;
    return false;
  }

  /** Scalar damping: per-step noise standard deviation sqrt(2 α ħ S k_B T / dt) (meV). */
  sigma(sys: number, i: number, dt: number): number {
    const o = this.spinOffset(sys, i);
    return Math.sqrt(2 * this.params[o + SPIN.alpha] * HBAR * this.params[o + SPIN.S] * KB * this.temperature[sys] / dt);
  }
}

/**
 * Parameters as the kernels read them for a given time step: the noise slots are filled in
 * (scalar: σ_i = sqrt(2 α_i ħ S_i k_B T/dt); tensor: L/√dt with L Lᵀ = C).
 */
export function packParams(ens: LlgEnsemble, dt: number): Float64Array {
  const p = ens.params.slice();
  const n = ens.dim;
  for (let s = 0; s < ens.systems; s++) {
    if (!ens.tensorDamping) {
      for (let i = 0; i < ens.spins; i++) p[ens.spinOffset(s, i) + SPIN.sigma] = ens.sigma(s, i, dt);
      continue;
    }
    const given = ens.covariance!.subarray(s * n * n, (s + 1) * n * n);
    const cov = Number.isNaN(given[0]) ? ens.fdtCovariance(s) : given;
    const l = choleskyPsd(cov, n, `noise covariance of system ${s}`);
    const o = ens.dampingOffset(s) + n * n;
    for (let k = 0; k < n * n; k++) p[o + k] = l[k] / Math.sqrt(dt);
    p[ens.driftOffset(s)] = ens.driftTemperature(s);
  }
  return p;
}

/** α (n×n at offset o) is blockdiag(α_i·1): then Γ = ħ diag(S) α commutes with the mobility, no drift correction. */
function perSpinScalarDamping(p: Float64Array, o: number, n: number): boolean {
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    const v = p[o + a * n + b];
    if (a === b ? v !== p[o + 3 * Math.floor(a / 3) * (n + 1)] : v !== 0) return false;
  }
  return true;
}

/**
 * Whether system `sys` has any noise in packed parameters `p` (from packParams): a non-zero σ_i
 * (scalar damping) or a non-zero noise factor (tensor damping, FDT or an explicit covariance, which
 * applies even at T = 0). Both backends draw noise exactly for these systems.
 */
export function hasNoise(ens: LlgEnsemble, p: Float64Array, sys: number): boolean {
  if (!ens.tensorDamping) {
    for (let i = 0; i < ens.spins; i++) if (p[ens.spinOffset(sys, i) + SPIN.sigma] !== 0) return true;
    return false;
  }
  const o = ens.dampingOffset(sys) + ens.dim * ens.dim;
  for (let k = 0; k < ens.dim * ens.dim; k++) if (p[o + k] !== 0) return true;
  return false;
}

/** Initial side of spin i along its axis: +1 if m·n ≥ 0, −1 otherwise, 0 for a pinned spin (never switches). */
export function initialSide(ens: LlgEnsemble, p: Float64Array, sys: number, i: number): number {
  const o = ens.spinOffset(sys, i), m = sys * ens.dim + 3 * i;
  if (p[o + SPIN.pinned] !== 0) return 0;
  const d = ens.init[m] * p[o + SPIN.axis] + ens.init[m + 1] * p[o + SPIN.axis + 1] + ens.init[m + 2] * p[o + SPIN.axis + 2];
  return d >= 0 ? 1 : -1;
}
