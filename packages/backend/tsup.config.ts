import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// The bench is built by tsup.bench.config.ts AFTER this build (package.json `build`): two configs
// built in parallel would both write the shared register_all_gradients chunk into dist/ at once.
export default defineConfig([
  libraryBuild(
    { index: 'src/index.ts', test: 'src/testing/index.ts' },
    {
      // tfjs-core's Node entry registers no gradients, and its ESM gradient modules cannot be
      // imported by plain Node (extensionless imports). Bundling that module graph here is a
      // deliberate copy of what tfjs-layers' Node bundle does; the kernel/gradient registries and
      // the engine live on globalThis, so the copy registers into the one shared engine.
      noExternal: [
        /@tensorflow\/tfjs-core\/dist\/(register_all_gradients|tape|public\/chained_ops)/,
      ],
      external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      platform: 'neutral',
      esbuildOptions(o) {
        o.mainFields = ['module', 'main'];
      },
    },
  ),
]);
