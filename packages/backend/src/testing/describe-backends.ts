import { beforeAll, describe } from 'vitest';
import type { BackendName } from '../backends/types';
import { init } from '../init';

/**
 * Backends a test file runs on: `TH_TEST_BACKENDS` (comma list), else cpu and wasm, the two that
 * run on any machine (CI). On a GPU machine: `TH_TEST_BACKENDS=webgpu`.
 */
export function testBackends(defaults: BackendName[] = ['cpu', 'wasm']): BackendName[] {
  const env = typeof process !== 'undefined' ? process.env.TH_TEST_BACKENDS : undefined;
  return env ? (env.split(',').map((s) => s.trim()) as BackendName[]) : defaults;
}

/**
 * Run the same suite once per backend, the way tfjs' `describeWithFlags` does: the backend is
 * switched in `beforeAll`, so suites must not rely on tensors created under another backend.
 */
export function describeBackends(
  title: string,
  body: (backend: BackendName) => void,
  backends: BackendName[] = testBackends(),
): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(async () => {
        await init({ backend });
      });
      body(backend);
    });
  }
}
