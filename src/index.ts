// nanospin public API: the same code the CLI runs.
export { HBAR, KB } from './numerics/units.ts';
export { philox4x32, gaussian6, uniform21, seedKey, STREAM_THERMAL } from './numerics/philox.ts';
export { integrate } from './numerics/quadrature.ts';
export { openBackend, BACKENDS, NoAdapterError, CpuBackend, WebGpuBackend, type Backend, type BackendRequest, type Kernel } from './backends/index.ts';
export { acquireGpu, listAdapters, type GpuContext } from './backends/webgpu.ts';
// the LLG core: models describe points, problems pack them, backend.run(llgKernel, problem, options) integrates
export {
  LlgProblem, couplingTensor, uniaxialTensor, MAX_SPINS, pointMean, stepsFor, tableNodes, tableValue, tabulate,
  type LlgModel, type LlgPoint, type SpinSpec, type CouplingSpec, type PairSpec, type LlgRunOptions, type LlgResult, type PointStats, type TrajectoryBatch,
} from './llg/index.ts';
export { llgKernel } from './kernels/llg/index.ts';
export { clusterModel, reversalModel, boltzmannMz, langevin, dampedPrecession, type ClusterSpec } from './models/macrospin.ts';
export { runLlgJob, writeLlgRun, summarize, type LlgJob, type LlgSummary } from './runs/llg.ts';
export { runSwitchingMap, writeSwitchingMap, type SwitchingMapJob } from './runs/switchingMap.ts';
export { readNpy, writeNpy } from './io/npy.ts';
export { RunDir } from './io/runDir.ts';
