import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests switch the global tfjs backend; keep each file in its own process, run serially
    // within a file.
    pool: 'forks',
    server: {
      deps: {
        // core's gradient modules use extensionless ESM imports that only a bundler resolves.
        inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/],
      },
    },
  },
});
