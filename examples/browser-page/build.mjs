// Bundle page.js for the browser and collect what the page loads into dist/: the bundle, the
// bundled model of @th/infer, a sample photo with its landmarks, and tfjs' wasm binaries.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundledModelPath } from '@th/infer/node';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(here, 'page.js')],
  outfile: join(dist, 'page.bundle.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
copyFileSync(join(here, 'landmarks-00000.json'), join(dist, 'landmarks-00000.json'));
copyFileSync(
  join(here, '../../fixtures/voxceleb2/frames/train/id00017/OLguY5ofUrY/00000_rgb.png'),
  join(dist, '00000_rgb.png'),
);
// The page loads it as model.safetensors, whichever model @th/infer bundles.
copyFileSync(bundledModelPath(), join(dist, 'model.safetensors'));
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')))
  copyFileSync(join(wasmDir, f), join(dist, f));
console.log(`built ${dist}`);
