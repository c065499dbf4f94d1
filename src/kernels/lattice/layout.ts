// Host ↔ shader layouts of the lattice Langevin kernel (shaders/lattice/heun.wgsl), shared by the WebGPU host and
// the float64 twin so both index the same way.
import { defineRow, defineStruct } from '../../backends/layout.ts';

/** One dispatch's uniform (one 256-byte slot per dispatch of a submission). */
export const LATTICE_RUN = defineStruct('LatticeRun', {
  first: 'u32',      // predict/correct: first flat site (batch replica · N + i) of this dispatch
  count: 'u32',      // predict/correct: sites in this dispatch
  groups_x: 'u32',   // workgroups along x of the dispatch grid (2D grids past 65535 groups)
  step: 'u32',       // global index of the step (noise counter word 1 = step >> 1, parity picks the normals)
  ctr0: 'u32',       // global site index of the batch's first site ((replicaOffset + first replica) · N) mod 2^32: word 0 = ctr0 + flat
  slot: 'u32',       // measure: sample slot in this submission's partial-sum buffer
  rep_first: 'u32',  // measure: first batch replica of this dispatch
  n_rep: 'u32',      // replicas in the batch
  key: 'vec2<u32>',  // Philox key = seed
  dt: 'f32',         // ps
  J: 'f32',          // regular-lattice exchange (meV)
  K: 'f32',          // anisotropy (meV)
  alpha: 'f32',
  w: 'f32',          // −1/(ħS(1 + α²)) (1/ps per meV)
  probe_iters: 'u32',  // = 2: the loop-cap probe of the measure pass
  ctr_hi: 'u32',     // ⌊that global index / 2^32⌋: counter word 2 = ctr_hi + the carry of word 0 (0 below 2^32 grains)
});

/** Per-replica row of the params buffer (after the easy axes when there are any). */
export const REPLICA_ROW = defineRow({ sigma: 1, field: 3 });

/** Sites one invocation of the measure pass sums before the workgroup tree (a workgroup covers WG·SPT sites). */
export const SITES_PER_INVOCATION = 16;

/** Uniform slots are this far apart (WebGPU's minUniformBufferOffsetAlignment default). */
export const UNIFORM_SLOT = 256;
