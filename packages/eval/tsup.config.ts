import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  // Node only: the protocol reads datasets and writes report folders.
  libraryBuild({ index: 'src/index.ts' }, { platform: 'node', target: 'node20', shims: true }),
  // The th-eval CLI: ESM only, with a node shebang.
  {
    entry: { 'th-eval': 'src/cli/th-eval.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    clean: false,
    sourcemap: true,
    splitting: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
