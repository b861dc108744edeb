import { defineConfig } from 'vitest/config';

// The e2e suite drives the BUILT app (npm run build first) in headless Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
