import { defineConfig } from 'tsup';

// `npm run bench` runs dist/bench.js. One self-contained file (no code splitting), written after
// the library build, so it never races the library's chunks in dist/.
export default defineConfig({
  entry: { bench: 'bench/conv-train-step.ts', 'conv-gflops': 'bench/conv-gflops.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: false,
  splitting: false,
  noExternal: [/@tensorflow\/tfjs-core\/dist\/(register_all_gradients|tape)/],
});
