// nanospin public API: the same code the CLI runs.
export { HBAR, KB } from './numerics/units.ts';
export { philox4x32, gaussian6, uniform21, seedKey, STREAM_THERMAL } from './numerics/philox.ts';
export { integrate } from './numerics/quadrature.ts';
export { openBackend, BACKENDS, NoAdapterError, type Backend, type BackendRequest } from './backends/index.ts';
export { acquireGpu, listAdapters, type GpuContext } from './backends/webgpu.ts';
export {
  LlgEnsemble, couplingTensor, packParams, MAX_SPINS, runLlg, runLlgCpu, runLlgWebGpu,
  type SpinSpec, type CouplingSpec, type LlgRunOptions, type LlgResult,
} from './kernels/llg/index.ts';
export { meanOverSystems, switchedFraction } from './kernels/llg/observables.ts';
export { clusterEnsemble, setCluster, boltzmannMz, langevin, dampedPrecession, type ClusterSpec } from './models/macrospin.ts';
export { runLlgJob, writeLlgRun, summarize, type LlgJob, type LlgSummary } from './runs/llg.ts';
export { runSwitchingMap, writeSwitchingMap, type SwitchingMapJob } from './runs/switchingMap.ts';
export { readNpy, writeNpy } from './io/npy.ts';
export { RunDir } from './io/runDir.ts';
