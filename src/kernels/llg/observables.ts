// Ensemble statistics over systems (float64 on the host, from the per-system results the device reduced).

export interface Stat3 { mean: [number, number, number]; stderr: [number, number, number] }

/**
 * Mean and standard error over the systems [first, first + count) of a [system][spin][xyz] array,
 * for one spin. Standard error = sample standard deviation / √count (0 for a single system).
 */
export function meanOverSystems(data: Float64Array, spins: number, spin: number, first: number, count: number): Stat3 {
  const mean: [number, number, number] = [0, 0, 0], stderr: [number, number, number] = [0, 0, 0];
  const stride = 3 * spins;
  for (let a = 0; a < 3; a++) {
    let s = 0;
    for (let k = 0; k < count; k++) s += data[(first + k) * stride + 3 * spin + a];
    const mu = s / count;
    let v = 0;
    for (let k = 0; k < count; k++) v += (data[(first + k) * stride + 3 * spin + a] - mu) ** 2;
    mean[a] = mu;
    stderr[a] = count > 1 ? Math.sqrt(v / (count - 1) / count) : 0;
  }
  return { mean, stderr };
}

/** Fraction of systems in [first, first + count) whose `spin` switched, with its binomial standard error. */
export function switchedFraction(switched: Uint8Array, spins: number, spin: number, first: number, count: number): { p: number; stderr: number } {
  let n = 0;
  for (let k = 0; k < count; k++) n += switched[(first + k) * spins + spin];
  const p = n / count;
  return { p, stderr: count > 1 ? Math.sqrt(p * (1 - p) / count) : 0 };
}
