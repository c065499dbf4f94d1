// Shared GPU acquisition for tests. With REQUIRE_WEBGPU=1 (CI) a missing adapter fails the test
// instead of skipping it, so shader tests can never silently not run.
import { afterAll } from 'vitest';
import { openBackend, WebGpuBackend } from '../src/backends/index.ts';

let cached: Promise<WebGpuBackend | null> | undefined;

export const REQUIRE_WEBGPU = process.env.REQUIRE_WEBGPU === '1';

/** The webgpu backend, or null (test skipped) when there is no adapter and REQUIRE_WEBGPU is unset. */
export function webgpuBackend(): Promise<WebGpuBackend | null> {
  cached ??= openBackend('webgpu').then(b => b as WebGpuBackend).catch((e: Error) => {
    if (REQUIRE_WEBGPU) throw new Error(`REQUIRE_WEBGPU=1 but no WebGPU adapter: ${e.message}`);
    return null;
  });
  return cached;
}

afterAll(async () => {
  if (cached) (await cached.catch(() => null))?.close();
});
