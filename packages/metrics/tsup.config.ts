import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry: human faceres, face-api landmarks, file IO. `clean: false` keeps the
  // neutral build's output.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
]);
