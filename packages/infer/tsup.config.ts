import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  // Platform-neutral core (browsers and Node).
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry (files, ffmpeg, face-api) and the `th` CLI. `clean: false` keeps the core build.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    clean: false,
    splitting: false,
    shims: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
