// A lattice of classical macrospins (grains) for Langevin (stochastic LLG) sampling: the problem both lattice
// kernels (src/kernels/lattice/) integrate. Pure TypeScript, float64.
//
// Energy (meV), unit vectors m_i, each bond once:
//   E = −Σ_⟨ij⟩ J_ij m_i·m_j − K Σ_i (m_i·n_i)² − Σ_i B_r·m_i
// J_ij = J on every nearest-neighbour bond of a regular lattice, or per bond from a neighbour list (disordered
// films); K the uniaxial anisotropy energy of a grain (K V), n_i its easy axis (random per grain from Philox, or
// one direction); B_r the Zeeman energy (μB, meV) of replica r. Field on grain i: h_i = −∂E/∂m_i =
// Σ_j J_ij m_j + 2K (m_i·n_i) n_i + B_r. Dynamics as the LLG core (docs/DESIGN.md): spin length S enters only
// through ħS, dm/dt = −(1/(ħS(1+α²))) [m × h + α m × (m × h)], h including the thermal field b with
// ⟨b_a(t) b_b(t′)⟩ = 2αħS k_BT δ_ab δ(t − t′), so the stationary distribution is e^{−E/k_BT}.
//
// Geometry: dims (L_x, L_y, L_z), site index i = x + L_x (y + L_y z); L_z = 1 is a square lattice, L_y = L_z = 1
// a chain. An axis of length 1 has no bonds. Along an axis of length ≥ 2 site (…, x, …) bonds to x ± 1; with a
// periodic boundary the ends wrap, so with L = 2 the two neighbours ±1 are the same site and that pair carries
// two bonds (energy −2J m·m′), the usual periodic convention. Open boundaries drop the bonds past the ends.
//
// Replicas: R independent copies of the same sample (same bonds, same easy axes), each with its own temperature
// and field. Replica r's site i has the global index g = (replicaOffset + r) N + i: the thermal noise's and the
// random start's Philox counters, so a problem holding replicas [k, k + R) of a sweep (replicaOffset = k) draws
// exactly what those replicas draw in the problem of the whole sweep. g is split over two counter words (word 0 =
// g mod 2^32, word 2 = ⌊g / 2^32⌋; word 2 is 0 below 2^32 grains, the layout before the split), so a sweep may hold
// up to 2^53 grains; one replica's sites are numbered by a u32 (N < 2^32).
import { gaussian6, seedKey, STREAM_LATTICE_AXES, STREAM_LATTICE_INIT } from '../../numerics/philox.ts';
import { KB } from '../../numerics/units.ts';
import type { Vec3 } from '../../numerics/vec3.ts';

export interface LatticeGeometry {
  dims: [number, number, number];
  periodic: [boolean, boolean, boolean];
}

/**
 * A symmetric neighbour list in CSR form: the bonds of site i are neighbours[offsets[i] .. offsets[i+1]) with
 * exchanges J[…] (meV); every bond i→j must appear as j→i with the same J. Each bond counts once in E.
 */
export interface BondList {
  offsets: Uint32Array;
  neighbours: Uint32Array;
  J: Float64Array;
}

export interface ReplicaSpec {
  /** Bath temperature (K), ≥ 0. */
  temperature: number;
  /** Zeeman energy B (meV): E = −B·m per grain. Default 0. */
  field?: Vec3;
}

export type InitialOrientation = 'random' | Vec3;

export interface LatticeSpec {
  geometry: LatticeGeometry;
  /** Exchange per bond (meV) of the regular lattice; ignored when `bonds` is given. */
  J?: number;
  /** Neighbour list with per-bond exchange (replaces the regular lattice's bonds; the geometry still numbers the sites). */
  bonds?: BondList;
  /** Uniaxial anisotropy energy per grain (meV) and easy axes: 'random' (Philox, per grain) or one direction. */
  anisotropy?: { K: number; axes: 'random' | Vec3; seed?: number };
  /** Spin length (sets the time scale ħS and the noise 2αħS k_BT; not the energy). Default 1. */
  S?: number;
  /** Gilbert damping α > 0. Default 1. */
  alpha?: number;
  replicas: ReplicaSpec[];
  /** Initial orientation of every grain: one direction (default +z) or 'random' (Philox, keyed by the run seed). */
  init?: InitialOrientation;
  /**
   * Global index of replica 0 in the whole sweep (default 0): keys the noise and the random start, so a problem
   * of replicas [k, k + R) of a sweep gives those replicas' numbers bit for bit (src/runs/lattice.ts chunks).
   */
  replicaOffset?: number;
  /**
   * Draw the thermal noise even when every replica is at T = 0 (default: when some replica is at T > 0), as the
   * problem of the whole sweep does when it has a T > 0 elsewhere: the T = 0 replicas then add σ·ξ = 0 exactly as
   * there. false with a replica at T > 0 is refused.
   */
  thermal?: boolean;
}

/** Largest number of neighbours one site may have in a neighbour list (per-invocation work bound). */
export const MAX_DEGREE = 64;
/** One replica's sites are numbered by a u32 (kernel site index, the shader's NS constant): N < 2^32. */
export const MAX_REPLICA_SITES = 2 ** 32 - 1;
/** Global site indices (replicaOffset + r)·N + i stay exact doubles (split over counter words 0 and 2): < 2^53. */
export const MAX_GLOBAL_SITES = 2 ** 53;

/** The Philox counter words of global site index g: [g mod 2^32 (word 0), ⌊g / 2^32⌋ (word 2)]. */
export function siteCounter(g: number): [number, number] {
  const lo = g % 4294967296;
  return [lo, (g - lo) / 4294967296];
}

const finite = (x: number) => typeof x === 'number' && Number.isFinite(x);

/** The validated problem (immutable after construction). */
export class LatticeProblem {
  readonly dims: [number, number, number];
  readonly periodic: [boolean, boolean, boolean];
  /** Sites per replica N. */
  readonly sites: number;
  readonly replicas: number;
  /** Regular-lattice exchange (meV); 0 with a neighbour list. */
  readonly J: number;
  readonly bonds: BondList | null;
  readonly K: number;
  /** Easy axis of every site (3N, unit vectors), or null when K = 0. */
  readonly axes: Float64Array | null;
  readonly axesSpec: 'random' | Vec3 | null;
  readonly axisSeed: number;
  readonly S: number;
  readonly alpha: number;
  readonly temperatures: Float64Array;
  /** Field of every replica (3R, meV). */
  readonly fields: Float64Array;
  readonly init: InitialOrientation;
  /** Global index of replica 0 in the whole sweep (LatticeSpec.replicaOffset). */
  readonly replicaOffset: number;
  private readonly noise: boolean;

  private constructor(spec: LatticeSpec) {
    const { dims, periodic } = spec.geometry;
    if (!Array.isArray(dims) || dims.length !== 3 || !dims.every(d => Number.isInteger(d) && d >= 1)) {
      throw new RangeError(`lattice dims must be three integers ≥ 1, got ${JSON.stringify(dims)}`);
    }
    if (!dims.some(d => d >= 2)) throw new RangeError(`lattice: at least one side must be ≥ 2 sites, got ${dims.join('×')}`);
    this.dims = [dims[0], dims[1], dims[2]];
    this.periodic = [!!periodic[0], !!periodic[1], !!periodic[2]];
    this.sites = dims[0] * dims[1] * dims[2];
    if (!Array.isArray(spec.replicas) || spec.replicas.length < 1) throw new RangeError('lattice: at least one replica (temperature) is needed');
    this.replicas = spec.replicas.length;
    if (this.sites > MAX_REPLICA_SITES) {
      throw new RangeError(`lattice: ${this.sites} sites per replica, more than the 2^32 − 1 a u32 site index can number; lower the size`);
    }
    const off = spec.replicaOffset ?? 0;
    if (!(Number.isSafeInteger(off) && off >= 0)) throw new RangeError(`lattice: replicaOffset must be an integer ≥ 0, got ${spec.replicaOffset}`);
    if ((off + this.replicas) * this.sites > MAX_GLOBAL_SITES) {
      throw new RangeError(`lattice: replicas up to ${off + this.replicas} × ${this.sites} sites = ${((off + this.replicas) * this.sites).toExponential(3)} grains, more than the 2^53 the noise counters can number; lower the size or the replicas`);
    }
    this.replicaOffset = off;
    if (spec.bonds) {
      this.bonds = checkBonds(spec.bonds, this.sites);
      this.J = 0;
    } else {
      const J = spec.J ?? NaN;
      if (!finite(J)) throw new RangeError(`lattice: exchange J must be a finite number (meV), got ${spec.J}`);
      this.J = J;
      this.bonds = null;
    }
    const an = spec.anisotropy;
    const K = an?.K ?? 0;
    if (!finite(K)) throw new RangeError(`lattice: anisotropy K must be a finite number (meV), got ${an?.K}`);
    this.K = K;
    this.axisSeed = an?.seed ?? 0;
    if (K !== 0) {
      this.axesSpec = an!.axes;
      this.axes = easyAxes(this.sites, an!.axes, this.axisSeed);
    } else {
      this.axesSpec = null;
      this.axes = null;
    }
    const S = spec.S ?? 1, alpha = spec.alpha ?? 1;
    if (!(finite(S) && S > 0)) throw new RangeError(`lattice: spin length S must be > 0, got ${spec.S}`);
    if (!(finite(alpha) && alpha > 0)) throw new RangeError(`lattice: Gilbert damping α must be > 0, got ${spec.alpha}`);
    this.S = S;
    this.alpha = alpha;
    this.temperatures = new Float64Array(this.replicas);
    this.fields = new Float64Array(3 * this.replicas);
    spec.replicas.forEach((r, k) => {
      if (!(finite(r.temperature) && r.temperature >= 0)) throw new RangeError(`lattice: replica ${k}: temperature must be finite and ≥ 0 K, got ${r.temperature}`);
      this.temperatures[k] = r.temperature;
      const B = r.field ?? [0, 0, 0];
      if (B.length !== 3 || !B.every(finite)) throw new RangeError(`lattice: replica ${k}: field must be three finite numbers (meV), got ${JSON.stringify(B)}`);
      this.fields.set(B, 3 * k);
    });
    const init = spec.init ?? [0, 0, 1];
    if (init !== 'random') {
      const n = Math.hypot(init[0], init[1], init[2]);
      if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`lattice: initial orientation must be a finite non-zero vector, got ${JSON.stringify(init)}`);
      this.init = [init[0] / n, init[1] / n, init[2] / n];
    } else this.init = 'random';
    const hot = this.temperatures.some(t => t > 0);
    if (spec.thermal === false && hot) throw new RangeError('lattice: thermal: false with a replica at T > 0 (its noise would be dropped)');
    this.noise = spec.thermal ?? hot;
  }

  static create(spec: LatticeSpec): LatticeProblem { return new LatticeProblem(spec); }

  /** Noise is drawn for every replica: some replica is at T > 0, or LatticeSpec.thermal. */
  get thermal(): boolean { return this.noise; }

  /** Nearest-neighbour bonds per site of the regular lattice in the bulk (2 per axis of length ≥ 2). */
  get coordination(): number {
    if (this.bonds) return this.bonds.neighbours.length / this.sites;
    return this.dims.reduce((z, L) => z + (L >= 2 ? 2 : 0), 0);
  }

  /** Largest |field| on a grain at T = 0 (meV): Σ|J| over its bonds + 2|K| + |B| (sets the default time step). */
  maxFieldScale(): number {
    let ex: number;
    if (this.bonds) {
      ex = 0;
      const { offsets, J } = this.bonds;
      for (let i = 0; i < this.sites; i++) { let s = 0; for (let k = offsets[i]; k < offsets[i + 1]; k++) s += Math.abs(J[k]); ex = Math.max(ex, s); }
    } else ex = Math.abs(this.J) * this.coordination;
    let b = 0;
    for (let r = 0; r < this.replicas; r++) b = Math.max(b, Math.hypot(this.fields[3 * r], this.fields[3 * r + 1], this.fields[3 * r + 2]));
    return ex + 2 * Math.abs(this.K) + b;
  }

  /** Per-step noise std of replica r, σ = √(2αħS k_BT/dt) (meV), as the LLG core packs it. */
  sigma(r: number, dt: number, hbar: number): number {
    return Math.sqrt((2 * this.alpha * hbar * this.S * KB * this.temperatures[r]) / dt);
  }

  /**
   * The regular lattice's neighbours of site i in kernel order (−x, +x, −y, +y, −z, +z), each with its weight
   * (1, or 0 past an open end; the index is then a valid wrapped site): returns the count written (6).
   */
  regularNeighbours(i: number, idx: Int32Array, w: Float64Array): number {
    const [LX, LY, LZ] = this.dims;
    const x = i % LX, y = Math.floor(i / LX) % LY, z = Math.floor(i / (LX * LY));
    const c = [x, y, z], L = [LX, LY, LZ], stride = [1, LX, LX * LY];
    let n = 0;
    for (let a = 0; a < 3; a++) {
      if (L[a] < 2) continue;
      const lo = c[a] === 0, hi = c[a] === L[a] - 1;
      const cm = lo ? L[a] - 1 : c[a] - 1, cp = hi ? 0 : c[a] + 1;
      idx[n] = i + (cm - c[a]) * stride[a]; w[n++] = lo && !this.periodic[a] ? 0 : 1;
      idx[n] = i + (cp - c[a]) * stride[a]; w[n++] = hi && !this.periodic[a] ? 0 : 1;
    }
    return n;
  }

  /** The regular lattice's bonds as a neighbour list (same order as the kernels; open ends dropped). */
  regularBondList(): BondList {
    const idx = new Int32Array(6), w = new Float64Array(6);
    const offsets = new Uint32Array(this.sites + 1), nb: number[] = [];
    for (let i = 0; i < this.sites; i++) {
      const n = this.regularNeighbours(i, idx, w);
      for (let k = 0; k < n; k++) if (w[k] !== 0) nb.push(idx[k]);
      offsets[i + 1] = nb.length;
    }
    return { offsets, neighbours: Uint32Array.from(nb), J: new Float64Array(nb.length).fill(this.J) };
  }

  /**
   * Initial orientations of replicas [first, first + count) (3N per replica, float64 unit vectors); 'random' draws
   * from Philox with the run seed, counter (g mod 2^32, 0, ⌊g/2^32⌋, STREAM_LATTICE_INIT) of global site g (siteCounter).
   */
  initialState(seed: number, first = 0, count = this.replicas): Float64Array {
    const N = this.sites, out = new Float64Array(3 * N * count);
    if (this.init !== 'random') {
      const d = this.init;
      for (let k = 0; k < N * count; k++) { out[3 * k] = d[0]; out[3 * k + 1] = d[1]; out[3 * k + 2] = d[2]; }
      return out;
    }
    const key = seedKey(seed), ctr = new Uint32Array(4), g6 = new Float64Array(6), w = new Uint32Array(4);
    ctr[3] = STREAM_LATTICE_INIT;
    const g0 = (this.replicaOffset + first) * N;
    for (let k = 0; k < N * count; k++) {
      [ctr[0], ctr[2]] = siteCounter(g0 + k);
      gaussian6(ctr, key, g6, w);
      const n = Math.hypot(g6[0], g6[1], g6[2]);
      out[3 * k] = g6[0] / n; out[3 * k + 1] = g6[1] / n; out[3 * k + 2] = g6[2] / n;
    }
    return out;
  }

  /**
   * Energy (meV) of replica r in state m (3N per replica, replica r at offset 3Nr of m when `offset` is not
   * given): the Hamiltonian above, each bond once, float64.
   */
  energy(m: ArrayLike<number>, r: number, offset = 3 * this.sites * r): number {
    const N = this.sites, B = [this.fields[3 * r], this.fields[3 * r + 1], this.fields[3 * r + 2]];
    let ex = 0, an = 0, ze = 0;
    if (this.bonds) {
      const { offsets, neighbours, J } = this.bonds;
      for (let i = 0; i < N; i++) for (let k = offsets[i]; k < offsets[i + 1]; k++) {
        const j = neighbours[k], a = offset + 3 * i, b = offset + 3 * j;
        ex += 0.5 * J[k] * (m[a] * m[b] + m[a + 1] * m[b + 1] + m[a + 2] * m[b + 2]);
      }
    } else {
      const idx = new Int32Array(6), w = new Float64Array(6);
      for (let i = 0; i < N; i++) {
        const n = this.regularNeighbours(i, idx, w), a = offset + 3 * i;
        for (let k = 0; k < n; k++) {
          const b = offset + 3 * idx[k];
          ex += 0.5 * this.J * w[k] * (m[a] * m[b] + m[a + 1] * m[b + 1] + m[a + 2] * m[b + 2]);
        }
      }
    }
    for (let i = 0; i < N; i++) {
      const a = offset + 3 * i;
      if (this.axes) { const u = m[a] * this.axes[3 * i] + m[a + 1] * this.axes[3 * i + 1] + m[a + 2] * this.axes[3 * i + 2]; an += u * u; }
      ze += B[0] * m[a] + B[1] * m[a + 1] + B[2] * m[a + 2];
    }
    return -ex - this.K * an - ze;
  }

  /** Replicas of this problem as a new problem (same sample: bonds, axes; same replica offset). */
  withReplicas(replicas: ReplicaSpec[]): LatticeProblem {
    const { thermal: _, ...spec } = this.spec();
    return LatticeProblem.create({ ...spec, replicas });
  }

  /** The spec this problem was built from (axes regenerated from their seed). */
  spec(): LatticeSpec {
    const replicas: ReplicaSpec[] = Array.from(this.temperatures, (t, r) => ({ temperature: t, field: [this.fields[3 * r], this.fields[3 * r + 1], this.fields[3 * r + 2]] }));
    return {
      geometry: { dims: [...this.dims], periodic: [...this.periodic] }, J: this.J, bonds: this.bonds ?? undefined,
      anisotropy: this.K !== 0 ? { K: this.K, axes: this.axesSpec!, seed: this.axisSeed } : undefined,
      S: this.S, alpha: this.alpha, replicas, init: this.init, replicaOffset: this.replicaOffset, thermal: this.noise,
    };
  }

  /** A description for manifests. */
  describe(): Record<string, unknown> {
    return {
      dims: this.dims, periodic: this.periodic, sites: this.sites, replicas: this.replicas,
      exchange: this.bonds ? { bonds: this.bonds.neighbours.length / 2, meanJ: mean(this.bonds.J) } : { J: this.J, coordination: this.coordination },
      anisotropy: this.K !== 0 ? { K: this.K, axes: this.axesSpec, axisSeed: this.axisSeed, axisCounter: '(site, 0, 0, 0x41584553)' } : null,
      S: this.S, alpha: this.alpha, init: this.init, ...(this.replicaOffset ? { replicaOffset: this.replicaOffset } : {}),
    };
  }
}

function mean(a: ArrayLike<number>): number { let s = 0; for (let k = 0; k < a.length; k++) s += a[k]; return a.length ? s / a.length : 0; }

/**
 * Easy axes of N grains (3N): one direction for all, or uniform on the sphere per grain from Philox —
 * counter (i, 0, 0, STREAM_LATTICE_AXES), key = seed, the block's first three normals normalised.
 */
export function easyAxes(N: number, axes: 'random' | Vec3, seed: number): Float64Array {
  const out = new Float64Array(3 * N);
  if (axes !== 'random') {
    const n = Math.hypot(axes[0], axes[1], axes[2]);
    if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`lattice: easy axis must be a finite non-zero vector, got ${JSON.stringify(axes)}`);
    for (let i = 0; i < N; i++) { out[3 * i] = axes[0] / n; out[3 * i + 1] = axes[1] / n; out[3 * i + 2] = axes[2] / n; }
    return out;
  }
  const key = seedKey(seed), ctr = new Uint32Array(4), g6 = new Float64Array(6), w = new Uint32Array(4);
  ctr[3] = STREAM_LATTICE_AXES;
  for (let i = 0; i < N; i++) {
    ctr[0] = i;
    gaussian6(ctr, key, g6, w);
    const n = Math.hypot(g6[0], g6[1], g6[2]);
    out[3 * i] = g6[0] / n; out[3 * i + 1] = g6[1] / n; out[3 * i + 2] = g6[2] / n;
  }
  return out;
}

function checkBonds(b: BondList, N: number): BondList {
  const { offsets, neighbours, J } = b;
  if (offsets.length !== N + 1 || offsets[0] !== 0 || offsets[N] !== neighbours.length || J.length !== neighbours.length) {
    throw new RangeError(`lattice: neighbour list must have N + 1 = ${N + 1} offsets from 0 to the bond count, and one J per entry`);
  }
  for (let i = 0; i < N; i++) {
    if (offsets[i + 1] < offsets[i]) throw new RangeError(`lattice: neighbour list offsets must not decrease (site ${i})`);
    if (offsets[i + 1] - offsets[i] > MAX_DEGREE) throw new RangeError(`lattice: site ${i} has ${offsets[i + 1] - offsets[i]} neighbours, more than ${MAX_DEGREE}`);
  }
  // symmetry: the summed J of i→j equals that of j→i (O(bonds × degree), no hash of pairs)
  const sumTo = (i: number, j: number) => { let s = 0, c = 0; for (let k = offsets[i]; k < offsets[i + 1]; k++) if (neighbours[k] === j) { s += J[k]; c++; } return c ? s : NaN; };
  for (let i = 0; i < N; i++) {
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const j = neighbours[k];
      if (!(j < N) || j === i) throw new RangeError(`lattice: bond ${i}→${j} is not to another site of the ${N}`);
      if (!finite(J[k])) throw new RangeError(`lattice: bond ${i}→${j}: exchange must be finite (meV), got ${J[k]}`);
    }
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const j = neighbours[k], v = sumTo(i, j), back = sumTo(j, i);
      if (!(Math.abs(back - v) <= 1e-12 * Math.max(1, Math.abs(v)))) throw new RangeError(`lattice: neighbour list is not symmetric: bond ${i}→${j} (J = ${v}) has ${Number.isNaN(back) ? 'no reverse' : `reverse J = ${back}`}`);
    }
  }
  return { offsets: Uint32Array.from(offsets), neighbours: Uint32Array.from(neighbours), J: Float64Array.from(J) };
}
