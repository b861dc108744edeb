import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  // Platform-neutral core: watermark, detector, metadata tags over byte arrays (browsers and Node).
  libraryBuild({ index: 'src/index.ts' }),
  // Node entry: files, ffmpeg decoding and MP4 tags. `clean: false` keeps the neutral build.
  libraryBuild(
    { node: 'src/node.ts' },
    { platform: 'node', target: 'node20', clean: false, shims: true },
  ),
]);
