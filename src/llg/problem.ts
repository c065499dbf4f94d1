// An LLG problem: parameter points (one packed row each, shared by all of that point's trajectories)
// times a number of trajectories per point. Trajectory t belongs to point ⌊t / trajectoriesPerPoint⌋;
// its noise is keyed by t alone (counter layout: src/kernels/llg/cpu.ts), so how the trajectories are
// split into batches or dispatches never changes a result. Host memory is O(points); per trajectory the
// kernels hold only its state and observables.
import { HBAR, KB } from '../numerics/units.ts';
import { unit3 } from '../numerics/vec3.ts';
import { choleskyPsd } from '../numerics/linalg.ts';
import { anisotropyTensorSlots, couplingTensor, finite, MAX_SPINS, type LlgModel, type LlgPoint } from './model.ts';
import { OSC, OSC_STRIDE, PAIR, pairIndex, pointLayout, SPIN, type PointLayout, type PointShape } from './layout.ts';
import { checkNodes, TABLE_GRIDS, type TableGrid } from './torqueTable.ts';

export interface ProblemOptions {
  /** Trajectories (independent noise realisations) per parameter point. Default 1. */
  trajectoriesPerPoint?: number;
  /**
   * Initial orientations per trajectory, [trajectory][spin][xyz] (normalised here); default: every
   * trajectory starts at its point's `init`.
   */
  initialStates?: ArrayLike<number>;
  /** The row shape; default: inferred from the first point (tensor mode, torque-table nodes). */
  shape?: Partial<PointShape>;
  /**
   * Global index of this problem's trajectory 0 in a larger sweep (a chunk or shard of it): the noise of
   * trajectory t is keyed by trajectoryOffset + t, so a sweep cut into problems gives exactly the numbers of
   * the uncut one. Default 0.
   */
  trajectoryOffset?: number;
}

/** Which kernel features a problem needs (code a run cannot use is compiled out of the device kernel). */
export interface LlgFeatures {
  /** Some pair has a reverse tensor other than the forward one's transpose. */
  nonReciprocal: boolean;
  /** Some spin has a non-zero on-site tensor Q. */
  onsiteTensor: boolean;
  /** Some spin has a constant or tabulated spin torque. */
  torque: boolean;
  /** Nodes of the torque tables (0: none). */
  torqueNodes: number;
  /** Tensor damping whose noise-induced drift correction is non-zero somewhere. */
  drift: boolean;
  /** Tensor damping with every spin but `free` pinned at every point (−1 otherwise), see FreeSpinReduction. */
  reduction: FreeSpinReduction;
  /** Some point has noise (T > 0 with damping, or an explicit covariance). */
  thermal: boolean;
  /**
   * Every point has an oscillator (LlgPoint.oscillator). The kernels then integrate (m, Q, P) jointly, on the
   * generic path: `reduction` is never used with it (free = −1), so ONE_FREE is not compiled with an oscillator.
   */
  oscillator: boolean;
}

/**
 * Tensor damping with every spin but one (`free`) pinned at every point: the kernels then solve only that
 * spin's 3×3 damping block, in closed form. `noiseFreeOnly`: the noise factor's rows of the free spin are
 * zero in every other spin's columns at every point, so only its normals are drawn.
 */
export interface FreeSpinReduction { free: number; noiseFreeOnly: boolean }

const MAX_TRAJECTORIES = 0xffffffff;

export class LlgProblem {
  readonly spins: number;
  readonly pairs: number;
  readonly dim: number;
  readonly tensorDamping: boolean;
  readonly torqueNodes: number;
  readonly torqueGrid: TableGrid;
  /** Spins carry readout tables (observables.readout). */
  readonly readout: boolean;
  /** Every point has an oscillator (Q, P) per trajectory (LlgPoint.oscillator). */
  readonly oscillator: boolean;
  readonly layout: PointLayout;
  readonly stride: number;
  readonly trajectoriesPerPoint: number;
  /** Noise-counter index of trajectory 0 (ProblemOptions.trajectoryOffset). */
  readonly trajectoryOffset: number;
  private rowsBuf: Float64Array;
  private temps: Float64Array;
  private n = 0;
  private initial: Float64Array | null = null;
  private feat: LlgFeatures | undefined;

  constructor(shape: PointShape, opts: { trajectoriesPerPoint?: number; capacity?: number; trajectoryOffset?: number } = {}) {
    const K = shape.spins;
    if (!Number.isInteger(K) || K < 1 || K > MAX_SPINS) throw new RangeError(`spins per system must be an integer in [1, ${MAX_SPINS}], got ${K}`);
    if (shape.torqueNodes !== 0) checkNodes(shape.torqueNodes);
    const M = opts.trajectoriesPerPoint ?? 1;
    if (!Number.isInteger(M) || M < 1 || M > MAX_TRAJECTORIES) throw new RangeError(`trajectories per point must be an integer in [1, ${MAX_TRAJECTORIES}], got ${M}`);
    this.spins = K;
    this.pairs = (K * (K - 1)) / 2;
    this.dim = 3 * K;
    this.tensorDamping = shape.tensorDamping;
    this.torqueNodes = shape.torqueNodes;
    this.torqueGrid = shape.torqueGrid ?? 'u';
    this.readout = !!shape.readout;
    this.oscillator = !!shape.oscillator;
    if (this.readout && shape.torqueNodes === 0) throw new RangeError('readout tables need the table grid: give shape.torqueNodes (the readout shares the torque tables\' nodes)');
    this.layout = pointLayout(shape);
    this.stride = this.layout.stride;
    this.trajectoriesPerPoint = M;
    const off = opts.trajectoryOffset ?? 0;
    if (!Number.isInteger(off) || off < 0 || off > MAX_TRAJECTORIES) throw new RangeError(`trajectoryOffset must be an integer in [0, ${MAX_TRAJECTORIES}], got ${off}`);
    this.trajectoryOffset = off;
    const cap = Math.max(1, opts.capacity ?? 16);
    this.rowsBuf = new Float64Array(cap * this.stride);
    this.temps = new Float64Array(cap);
  }

  /** Describe every parameter point through the model and pack it (the model contract). */
  static fromModel<P>(model: LlgModel<P>, params: readonly P[], opts: ProblemOptions = {}): LlgProblem {
    if (params.length === 0) throw new RangeError('an LLG problem needs at least one parameter point');
    const first = model.describe(params[0]);
    const problem = new LlgProblem(shapeOf(first, opts.shape), { trajectoriesPerPoint: opts.trajectoriesPerPoint, capacity: params.length, trajectoryOffset: opts.trajectoryOffset });
    problem.add(first);
    for (let k = 1; k < params.length; k++) problem.add(model.describe(params[k]));
    if (opts.initialStates !== undefined) problem.setInitialStates(opts.initialStates);
    return problem;
  }

  /** A problem from points given directly (tests, or a model that already built them). */
  static fromPoints(points: readonly LlgPoint[], opts: ProblemOptions = {}): LlgProblem {
    return LlgProblem.fromModel({ describe: (p: LlgPoint) => p }, points, opts);
  }

  get points(): number { return this.n; }
  get trajectories(): number { return this.n * this.trajectoriesPerPoint; }
  /** Packed rows of all points (float64, unscaled noise factor, no σ): [point][stride]. */
  get rows(): Float64Array { return this.rowsBuf.subarray(0, this.n * this.stride); }
  /** Bath temperature (K) of each point. */
  get temperatures(): Float64Array { return this.temps.subarray(0, this.n); }
  get hasInitialStates(): boolean { return this.initial !== null; }
  pointOf(trajectory: number): number { return Math.floor(trajectory / this.trajectoriesPerPoint); }

  /** Validate and pack one point; returns its index. */
  add(pt: LlgPoint): number {
    const K = this.spins, n = this.dim, L = this.layout;
    if (pt === null || typeof pt !== 'object' || !Array.isArray(pt.spins)) throw new RangeError('an LLG point needs { temperature, spins: [...] }');
    if (pt.spins.length !== K) throw new RangeError(`every point of a problem has ${K} spin${K > 1 ? 's' : ''}; point ${this.n} has ${pt.spins.length}`);
    const tensor = pt.damping !== undefined || pt.noiseCovariance !== undefined;
    if (tensor !== this.tensorDamping) {
      throw new RangeError(`point ${this.n}: ${this.tensorDamping ? 'every point of this problem needs a damping tensor' : 'a damping tensor needs every point of the problem to have one (give shape.tensorDamping)'}`);
    }
    if ((pt.oscillator !== undefined) !== this.oscillator) {
      throw new RangeError(`point ${this.n}: ${this.oscillator ? 'every point of this problem needs an oscillator (the first point has one)' : 'an oscillator needs every point of the problem to have one (the first point has none; give shape.oscillator)'}`);
    }
    const T = finite(pt.temperature, 'temperature (K)', 0, 1e5);
    // trajectory indices are u32 noise counters: the whole problem must stay below 2^32 trajectories
    if (this.trajectoryOffset + (this.n + 1) * this.trajectoriesPerPoint > MAX_TRAJECTORIES) {
      throw new RangeError(`an LLG problem holds at most ${MAX_TRAJECTORIES} trajectories (points × trajectories per point); point ${this.n} with ${this.trajectoriesPerPoint} per point exceeds it`);
    }
    if (this.n === this.temps.length) this.grow();
    const o = this.n * this.stride, p = this.rowsBuf;
    p.fill(0, o, o + this.stride);
    pt.spins.forEach((s, i) => {
      const b = o + L.spin(i), w = `spins[${i}]`;
      const field = s.field ?? [0, 0, 0];
      if (field.length !== 3) throw new RangeError(`${w}.field must be [x, y, z] (meV)`);
      for (let a = 0; a < 3; a++) p[b + SPIN.field + a] = finite(field[a], `${w}.field (meV)`);
      p[b + SPIN.anisotropy] = finite(s.anisotropy ?? 0, `${w}.anisotropy (meV)`);
      p.set(unit3(s.easyAxis ?? [0, 0, 1], `${w}.easyAxis`), b + SPIN.axis);
      if (s.anisotropyTensor !== undefined) p.set(anisotropyTensorSlots(s.anisotropyTensor), b + SPIN.tensor);
      p[b + SPIN.S] = finite(s.S ?? 1, `${w}.S (spin length)`, 0, 1e6, true);
      if (s.alpha !== undefined) {
        if (tensor) throw new RangeError(`${w}.alpha: this point has a damping tensor; give either per-spin alpha or the tensor, not both`);
        p[b + SPIN.alpha] = finite(s.alpha, `${w}.alpha (Gilbert damping)`, 0, 100);
      }
      p[b + SPIN.pinned] = s.pinned ? 1 : 0;
      p.set(unit3(s.torqueAxis ?? [0, 0, 1], `${w}.torqueAxis`), b + SPIN.torqueAxis);
      p[b + SPIN.fieldLike] = finite(s.fieldLikeTorque ?? 0, `${w}.fieldLikeTorque (meV)`);
      p[b + SPIN.dampingLike] = finite(s.dampingLikeTorque ?? 0, `${w}.dampingLikeTorque (meV)`);
      const init = unit3(s.init ?? [0, 0, 1], `${w}.init`);
      p.set(init, b + SPIN.init);
      p[b + SPIN.side] = initialSide(init, p, b);
      if (s.readoutTable !== undefined) {
        const NT = this.torqueNodes;
        if (!this.readout) throw new RangeError(`${w}.readoutTable: the problem was built without readout tables (the first point has none; give shape.readout)`);
        if (s.readoutTable.length !== NT) throw new RangeError(`${w}.readoutTable must have ${NT} nodes (as the problem's tables), got ${s.readoutTable.length}`);
        for (let q = 0; q < NT; q++) p[o + L.table(i) + 2 * NT + q] = finite(s.readoutTable[q], `${w}.readoutTable[${q}]`);
      }
      if (s.torqueTable) {
        const NT = this.torqueNodes;
        if (NT === 0) throw new RangeError(`${w}.torqueTable: the problem was built without torque tables (the first point has none; give shape.torqueNodes)`);
        const grid = s.torqueTable.grid ?? 'u';
        if (!TABLE_GRIDS.includes(grid)) throw new RangeError(`${w}.torqueTable.grid must be one of ${TABLE_GRIDS.join(', ')}, got ${JSON.stringify(grid)}`);
        if (grid !== this.torqueGrid) throw new RangeError(`${w}.torqueTable.grid is '${grid}', but the problem's tables are on the '${this.torqueGrid}' grid (every table of a problem shares one)`);
        for (const [k, key] of [[0, 'fieldLike'], [1, 'dampingLike']] as const) {
          const t = s.torqueTable[key];
          if (t === undefined) continue;
          if (t.length !== NT) throw new RangeError(`${w}.torqueTable.${key} must have ${NT} nodes (as every table of the problem), got ${t.length}`);
          for (let q = 0; q < NT; q++) p[o + L.table(i) + k * NT + q] = finite(t[q], `${w}.torqueTable.${key}[${q}] (meV)`);
        }
      }
    });
    const seen = new Set<number>();
    (pt.couplings ?? []).forEach((c, k) => {
      const w = `couplings[${k}]`;
      let q: number;
      try { q = pairIndex(c.i, c.j, K); } catch (e) { throw new RangeError(`${w}: ${(e as Error).message}`); }
      if (seen.has(q)) throw new RangeError(`${w}: pair (${c.i},${c.j}) given twice; put J, D and symmetric in one entry`);
      seen.add(q);
      const t = c.tensor !== undefined ? c.tensor : couplingTensor(c);
      if (t.length !== 9) throw new RangeError(`${w}.tensor must have 9 entries (row-major 3×3, meV)`);
      if (c.reverse !== undefined && c.reverse.length !== 9) throw new RangeError(`${w}.reverse (field on spin ${c.j} from spin ${c.i}) must have 9 entries (row-major 3×3, meV), got ${c.reverse.length}`);
      const b = o + L.pair(q);
      for (let a = 0; a < 3; a++) for (let d = 0; d < 3; d++) {
        p[b + PAIR.forward + 3 * a + d] = finite(t[3 * a + d], `${w} tensor entry (meV)`);
        p[b + PAIR.reverse + 3 * a + d] = c.reverse === undefined ? t[3 * d + a] : finite(c.reverse[3 * a + d], `${w}.reverse entry (meV)`);
      }
    });
    // unpaired entries keep the zero tensor in both directions (reciprocal)
    if (tensor) {
      if (!pt.damping) throw new RangeError(`point ${this.n}: a noise covariance needs the damping tensor too`);
      if (pt.damping.length !== n * n) throw new RangeError(`damping tensor must have ${n * n} entries (3K×3K row-major), got ${pt.damping.length}`);
      for (let k = 0; k < n * n; k++) p[o + L.damping + k] = finite(pt.damping[k], 'damping tensor entry');
      let cov: ArrayLike<number>;
      if (pt.noiseCovariance !== undefined) {
        if (pt.noiseCovariance.length !== n * n) throw new RangeError(`noise covariance must have ${n * n} entries, got ${pt.noiseCovariance.length}`);
        for (let k = 0; k < n * n; k++) finite(pt.noiseCovariance[k], 'noise covariance entry (meV²·ps)');
        cov = pt.noiseCovariance;
      } else {
        cov = fdtCovariance(p, o, L, K, T);
      }
      p.set(choleskyPsd(cov, n, `noise covariance of point ${this.n}`), o + L.noise);
      let kT: number;
      if (pt.noiseCovariance !== undefined) {
        const d = pt.driftTemperature;
        if (d !== undefined && !Number.isFinite(d)) throw new RangeError(`driftTemperature must be a finite k_BT (meV), got ${d}`);
        kT = d ?? 0;
      } else kT = KB * T;
      p[o + L.driftKT] = perSpinScalarDamping(p, o + L.damping, n) ? 0 : kT;
    } else if (pt.driftTemperature !== undefined) {
      throw new RangeError('driftTemperature applies to points with a damping tensor and an explicit noise covariance');
    }
    if (pt.oscillator !== undefined) this.packOscillator(pt.oscillator, o);
    this.temps[this.n] = T;
    this.feat = undefined;
    return this.n++;
  }

  /** Validate and pack a point's oscillator at row offset o (OSC_ROW, then the K coupling vectors Σ A e). */
  private packOscillator(osc: LlgPoint['oscillator'] & object, o: number): void {
    const p = this.rowsBuf, b = o + this.layout.oscillator, K = this.spins;
    if (osc === null || typeof osc !== 'object') throw new RangeError('oscillator must be { omega0, cubic?, damping, couplings?, init? }');
    p[b + OSC.omega0] = finite(osc.omega0, 'oscillator.omega0 (meV)', 0, 1e6, true);
    p[b + OSC.cubic] = finite(osc.cubic ?? 0, 'oscillator.cubic Φ (meV)');
    p[b + OSC.damping] = finite(osc.damping, 'oscillator.damping γ (1/ps)', 0, 1e6);
    p[b + OSC.init] = finite(osc.init?.Q ?? 0, 'oscillator.init.Q');
    p[b + OSC.init + 1] = finite(osc.init?.P ?? 0, 'oscillator.init.P');
    const cs = osc.couplings ?? [];
    if (!Array.isArray(cs)) throw new RangeError('oscillator.couplings must be an array of { spin, axis, A }');
    cs.forEach((c, k) => {
      const w = `oscillator.couplings[${k}]`;
      if (!Number.isInteger(c?.spin) || c.spin < 0 || c.spin >= K) throw new RangeError(`${w}.spin must be an integer in [0, ${K - 1}], got ${c?.spin}`);
      const e = unit3(c.axis, `${w}.axis`), A = finite(c.A, `${w}.A (meV per unit Q)`);
      for (let a = 0; a < 3; a++) p[b + OSC_STRIDE + 3 * c.spin + a] += A * e[a];
    });
  }

  /** Initial (Q, P) of trajectory t's oscillator (its point's init). */
  initialOscillator(t: number): [number, number] {
    const b = this.pointOf(t) * this.stride + this.layout.oscillator + OSC.init;
    return [this.rowsBuf[b], this.rowsBuf[b + 1]];
  }

  /** Per-trajectory initial orientations ([trajectory][spin][xyz], normalised here). */
  setInitialStates(states: ArrayLike<number>): void {
    const n = this.dim, N = this.trajectories;
    if (states.length !== N * n) throw new RangeError(`initialStates must hold ${N} trajectories × ${this.spins} spins × 3 = ${N * n} numbers, got ${states.length}`);
    const a = new Float64Array(N * n);
    for (let t = 0; t < N * this.spins; t++) a.set(unit3([states[3 * t], states[3 * t + 1], states[3 * t + 2]], `initialStates of trajectory ${Math.floor(t / this.spins)}, spin ${t % this.spins}`), 3 * t);
    this.initial = a;
  }

  /** Initial m of trajectory t ([spin][xyz] into out) and the initial sides (into side). */
  initialState(t: number, out: Float64Array, side: Float64Array): void {
    const o = this.pointOf(t) * this.stride, p = this.rowsBuf;
    for (let i = 0; i < this.spins; i++) {
      const b = o + this.layout.spin(i);
      if (this.initial) {
        for (let a = 0; a < 3; a++) out[3 * i + a] = this.initial[t * this.dim + 3 * i + a];
        side[i] = initialSide(out.subarray(3 * i, 3 * i + 3), p, b);
      } else {
        for (let a = 0; a < 3; a++) out[3 * i + a] = p[b + SPIN.init + a];
        side[i] = p[b + SPIN.side];
      }
    }
  }

  /**
   * Rows as the kernels read them for time step dt: σ_i = √(2 α_i ħ S_i k_B T / dt) (scalar damping) or the
   * noise factor L/√dt (tensor damping) filled in, and the oscillator's σ_P = √(4 γ k_B T / (ω0 dt)); everything
   * else as packed.
   */
  packForRun(dt: number): Float64Array;
  packForRun(dt: number, precision: 'f32'): Float32Array;
  packForRun(dt: number, precision: 'f64' | 'f32' = 'f64'): Float64Array | Float32Array {
    const p = precision === 'f32' ? Float32Array.from(this.rows) : this.rows.slice(), L = this.layout, n = this.dim, s = 1 / Math.sqrt(dt);
    const rows = this.rowsBuf;
    for (let q = 0; q < this.n; q++) {
      const o = q * this.stride;
      if (!this.tensorDamping) {
        for (let i = 0; i < this.spins; i++) {
          const b = o + L.spin(i);
          p[b + SPIN.sigma] = Math.sqrt(2 * rows[b + SPIN.alpha] * HBAR * rows[b + SPIN.S] * KB * this.temps[q] / dt);
        }
      } else {
        for (let k = 0; k < n * n; k++) p[o + L.noise + k] = rows[o + L.noise + k] * s;
      }
      if (this.oscillator) {
        const b = o + L.oscillator;
        p[b + OSC.sigma] = Math.sqrt(4 * rows[b + OSC.damping] * KB * this.temps[q] / (rows[b + OSC.omega0] * dt));
      }
    }
    return p;
  }

  /** Whether point q has any noise (σ ≠ 0, or a non-zero noise factor, or a thermostatted oscillator at T > 0). */
  pointHasNoise(q: number): boolean {
    const p = this.rowsBuf, o = q * this.stride, L = this.layout;
    if (this.oscillator && p[o + L.oscillator + OSC.damping] * this.temps[q] !== 0) return true;
    if (!this.tensorDamping) {
      for (let i = 0; i < this.spins; i++) { const b = o + L.spin(i); if (p[b + SPIN.alpha] * p[b + SPIN.S] * this.temps[q] !== 0) return true; }
      return false;
    }
    for (let k = 0; k < this.dim * this.dim; k++) if (p[o + L.noise + k] !== 0) return true;
    return false;
  }

  features(): LlgFeatures {
    if (this.feat) return this.feat;
    const p = this.rowsBuf, L = this.layout, K = this.spins, n = this.dim;
    let nonReciprocal = false, onsiteTensor = false, torque = this.torqueNodes > 0, drift = false, thermal = false;
    const alwaysPinned = new Array<boolean>(K).fill(true);
    for (let q = 0; q < this.n; q++) {
      const o = q * this.stride;
      for (let i = 0; i < K; i++) {
        const b = o + L.spin(i);
        for (let k = 0; k < 6; k++) if (p[b + SPIN.tensor + k] !== 0) onsiteTensor = true;
        if (p[b + SPIN.fieldLike] !== 0 || p[b + SPIN.dampingLike] !== 0) torque = true;
        if (p[b + SPIN.pinned] === 0) alwaysPinned[i] = false;
      }
      for (let r = 0; r < this.pairs && !nonReciprocal; r++) {
        const b = o + L.pair(r);
        for (let a = 0; a < 3; a++) for (let d = 0; d < 3; d++) if (p[b + PAIR.reverse + 3 * a + d] !== p[b + PAIR.forward + 3 * d + a]) nonReciprocal = true;
      }
      if (this.tensorDamping && p[o + L.driftKT] !== 0) drift = true;
      if (!thermal && this.pointHasNoise(q)) thermal = true;
    }
    let reduction: FreeSpinReduction = { free: -1, noiseFreeOnly: false };
    const free = alwaysPinned.flatMap((pinned, i) => (pinned ? [] : [i]));
    if (this.tensorDamping && free.length === 1 && !this.oscillator) {
      const f = free[0];
      let noiseFreeOnly = true;
      for (let q = 0; q < this.n && noiseFreeOnly; q++) {
        const o = q * this.stride + L.noise;
        for (let r = 3 * f; r < 3 * f + 3; r++) for (let c = 0; c < 3 * f; c++) if (p[o + r * n + c] !== 0) noiseFreeOnly = false;
      }
      reduction = { free: f, noiseFreeOnly };
    }
    this.feat = { nonReciprocal, onsiteTensor, torque, torqueNodes: this.torqueNodes, drift, reduction, thermal, oscillator: this.oscillator };
    return this.feat;
  }

  private grow(): void {
    const cap = 2 * this.temps.length;
    const r = new Float64Array(cap * this.stride); r.set(this.rowsBuf); this.rowsBuf = r;
    const t = new Float64Array(cap); t.set(this.temps); this.temps = t;
  }
}

function shapeOf(pt: LlgPoint, given: Partial<PointShape> = {}): PointShape {
  if (pt === null || typeof pt !== 'object' || !Array.isArray(pt.spins) || pt.spins.length === 0) throw new RangeError('an LLG point needs { temperature, spins: [at least one spin] }');
  let nodes = 0, grid: TableGrid = 'u';
  for (const s of pt.spins) for (const t of [s.torqueTable?.fieldLike, s.torqueTable?.dampingLike]) if (t !== undefined && nodes === 0) { nodes = t.length; grid = s.torqueTable?.grid ?? 'u'; }
  const readout = pt.spins.some(s => s.readoutTable !== undefined);
  if (readout && nodes === 0) nodes = pt.spins.find(s => s.readoutTable)!.readoutTable!.length;
  return {
    spins: given.spins ?? pt.spins.length,
    tensorDamping: given.tensorDamping ?? (pt.damping !== undefined || pt.noiseCovariance !== undefined),
    torqueNodes: given.torqueNodes ?? nodes,
    torqueGrid: given.torqueGrid ?? grid,
    readout: given.readout ?? readout,
    oscillator: given.oscillator ?? pt.oscillator !== undefined,
  };
}

/** +1 if m·n ≥ 0, −1 otherwise, 0 for a pinned spin (never switches); spin row at offset b. */
function initialSide(m: ArrayLike<number>, p: Float64Array, b: number): number {
  if (p[b + SPIN.pinned] !== 0) return 0;
  const d = m[0] * p[b + SPIN.axis] + m[1] * p[b + SPIN.axis + 1] + m[2] * p[b + SPIN.axis + 2];
  return d >= 0 ? 1 : -1;
}

/** Fluctuation–dissipation covariance C_ab = k_B T ħ (S_i α_ab + S_j α_ba), a in spin i, b in spin j. */
function fdtCovariance(p: Float64Array, o: number, L: PointLayout, K: number, T: number): Float64Array {
  const n = 3 * K, c = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    const Si = p[o + L.spin(Math.floor(a / 3)) + SPIN.S], Sj = p[o + L.spin(Math.floor(b / 3)) + SPIN.S];
    c[a * n + b] = KB * T * HBAR * (Si * p[o + L.damping + a * n + b] + Sj * p[o + L.damping + b * n + a]);
  }
  return c;
}

/** α (n×n at offset o) is blockdiag(α_i·1): then Γ = ħ diag(S) α commutes with the mobility, no drift correction. */
function perSpinScalarDamping(p: Float64Array, o: number, n: number): boolean {
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    const v = p[o + a * n + b];
    if (a === b ? v !== p[o + 3 * Math.floor(a / 3) * (n + 1)] : v !== 0) return false;
  }
  return true;
}
