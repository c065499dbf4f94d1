// Float64 CPU twin of shaders/dotValve/torque_table.wgsl: the model's own functions (src/models/dotValve/transport.ts),
// point by point and angle by angle, into the same row layout.
import { pointScalars, stateAt } from '../../models/dotValve/transport.ts';
import { ROW } from './layout.ts';
import { checkJob, type TorqueTableJob } from './job.ts';

/** Rows [point][angle][ROW.stride] (ROW layout). */
export function torqueTableCpu(job: TorqueTableJob): Float64Array {
  const { nPoints, nAngles } = checkJob(job);
  const out = new Float64Array(nPoints * nAngles * ROW.stride);
  const o = ROW.offsets, every = Math.max(1, Math.floor(nPoints / 50));
  for (let i = 0; i < nPoints; i++) {
    const p = { ...job.base, eps: job.points[2 * i], V: job.points[2 * i + 1] };
    const sc = pointScalars(p);
    for (let a = 0; a < nAngles; a++) {
      const s = stateAt(p, sc, job.angles[2 * a], job.angles[2 * a + 1]);
      const r = (i * nAngles + a) * ROW.stride;
      out[r + o.tauFL] = s.tauFL; out[r + o.tauDL] = s.tauDL; out[r + o.current] = s.current; out[r + o.occupation] = s.occupation;
      out[r + o.p0] = s.P0; out[r + o.p1] = s.P1; out[r + o.p2] = s.P2;
      out[r + o.spin] = s.S[0]; out[r + o.spin + 1] = s.S[1]; out[r + o.spin + 2] = s.S[2];
    }
    if ((i + 1) % every === 0 || i + 1 === nPoints) job.onProgress?.(i + 1, nPoints);
  }
  return out;
}
