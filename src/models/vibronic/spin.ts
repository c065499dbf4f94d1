// Spin-S operators in the S^z basis |m⟩, m = S, S − 1, …, −S (index i = S − m), ħ = 1.
//   S^z |m⟩ = m |m⟩,   S^± |m⟩ = √(S(S+1) − m(m±1)) |m±1⟩,
//   S^x = (S^+ + S^−)/2 (real),   S^y = (S^+ − S^−)/(2i) = i·Y with Y = (S^− − S^+)/2 (real, antisymmetric).
// Every Hamiltonian term of the vibronic model is real in the product basis |m1 m2⟩ (S^y only enters as
// S1^y S2^y = −Y1 Y2 and (S^y)² = −Y²), so its Hermitian matrix is real symmetric.

/** Largest spin the CPU path accepts ((2S+1)² = 441 states per pair). */
export const MAX_SPIN = 10;

/** Spin length from '1/2', '3/2', '0.5', '1', 2.5, …: a positive half-integer ≤ MAX_SPIN (RangeError naming `flag` otherwise). */
export function parseSpin(raw: string | number, flag = '--S'): number {
  const text = String(raw).trim();
  let x: number;
  const frac = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(text);
  if (frac) x = Number(frac[1]) / Number(frac[2]);
  else x = text === '' ? NaN : Number(text);
  if (!Number.isFinite(x) || !Number.isInteger(2 * x) || x <= 0 || x > MAX_SPIN) {
    throw new RangeError(`${flag} must be a positive half-integer S ∈ {1/2, 1, 3/2, …, ${MAX_SPIN}}, got '${text}'`);
  }
  return x;
}

/** '1/2', '1', '3/2', … */
export function spinLabel(S: number): string {
  return Number.isInteger(S) ? String(S) : `${2 * S}/2`;
}

/** m = S, S − 1, …, −S. */
export function mValues(S: number): Float64Array {
  const n = Math.round(2 * S) + 1;
  return Float64Array.from({ length: n }, (_, i) => S - i);
}

/** ⟨m+1| S^+ |m⟩ = √(S(S+1) − m(m+1)). */
export const raising = (S: number, m: number): number => Math.sqrt(Math.max(0, S * (S + 1) - m * (m + 1)));
/** ⟨m−1| S^− |m⟩ = √(S(S+1) − m(m−1)). */
export const lowering = (S: number, m: number): number => Math.sqrt(Math.max(0, S * (S + 1) - m * (m - 1)));

/** Real matrices (row-major, (2S+1)²) of one spin: S^z, S^+, S^−, S^x and Y (S^y = i Y). */
export interface SpinOperators { dim: number; z: Float64Array; plus: Float64Array; minus: Float64Array; x: Float64Array; yOverI: Float64Array }

export function spinOperators(S: number): SpinOperators {
  const m = mValues(S), n = m.length;
  const z = new Float64Array(n * n), plus = new Float64Array(n * n), minus = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    z[i * n + i] = m[i];
    // |m_i⟩ → |m_i + 1⟩ = |m_{i−1}⟩
    if (i > 0) plus[(i - 1) * n + i] = raising(S, m[i]);
    if (i < n - 1) minus[(i + 1) * n + i] = lowering(S, m[i]);
  }
  const x = new Float64Array(n * n), yOverI = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) { x[k] = (plus[k] + minus[k]) / 2; yOverI[k] = (minus[k] - plus[k]) / 2; }
  return { dim: n, z, plus, minus, x, yOverI };
}

/** Row-major product of n × n matrices. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const x = a[i * n + k];
    if (x !== 0) for (let j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j];
  }
  return c;
}

/** Kronecker product A ⊗ B (na × na and nb × nb): index (i1, i2) → i1·nb + i2. */
export function kron(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number): Float64Array {
  const n = na * nb, c = new Float64Array(n * n);
  for (let i1 = 0; i1 < na; i1++) for (let j1 = 0; j1 < na; j1++) {
    const x = a[i1 * na + j1];
    if (x === 0) continue;
    for (let i2 = 0; i2 < nb; i2++) for (let j2 = 0; j2 < nb; j2++) c[(i1 * nb + i2) * n + j1 * nb + j2] = x * b[i2 * nb + j2];
  }
  return c;
}

export function identity(n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) c[i * n + i] = 1;
  return c;
}
