import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry: files, ffmpeg and face-api. `clean: false` keeps the neutral build's output.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
  // The th-data CLI and its worker-thread entries (prepare, loader): ESM only, next to node.js so the worker pool
  // finds dist/prepare-worker.js and dist/loader-worker.js beside the code that starts it.
  {
    entry: {
      cli: 'src/cli/th-data-main.node-only.ts',
      'prepare-worker': 'src/cli/prepare-worker-main.node-only.ts',
      'loader-worker': 'src/cli/loader-worker-main.node-only.ts',
    },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    clean: false,
    sourcemap: true,
    splitting: false,
  },
]);
