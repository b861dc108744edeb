import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry: files, ffmpeg and face-api. `clean: false` keeps the neutral build's output.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
]);
