import { defineConfig } from 'vitest/config';

/**
 * Two projects. `default`: every test on the backends that run anywhere (cpu, wasm; override
 * with TH_TEST_BACKENDS). `webgpu`: @th's WGSL kernel tests (`*.webgpu.test.ts`) and the
 * gradient conformance suite on the webgpu backend. Without a GPU (CI) WebGPU runs on Mesa's
 * software Vulkan driver (lavapipe, installed by scripts/setup.sh): slow, so shapes are tiny,
 * and each new pipeline costs ~2 s of LLVM compilation.
 */
const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // Tests switch the global tfjs backend; keep each file in its own process, run serially
  // within a file.
  pool: 'forks' as const,
  server: {
    deps: {
      // core's gradient modules use extensionless ESM imports that only a bundler resolves.
      inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/],
    },
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'default',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.webgpu.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'webgpu',
          include: [
            'src/**/*.webgpu.test.ts',
            'src/conformance/ops.test.ts',
            'src/conformance/r1-toy.test.ts',
          ],
          // Cold shader compilation on a loaded 2-core machine.
          testTimeout: 600_000,
          env: { TH_TEST_BACKENDS: 'webgpu' },
        },
      },
    ],
  },
});
