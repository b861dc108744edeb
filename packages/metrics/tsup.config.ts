import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry: human faceres, face-api landmarks, file IO, th-eval. `clean: false` keeps the
  // neutral build's output.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
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
