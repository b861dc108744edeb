// Bundle a Node entry point (TS or JS) into one ESM file under .device/ (or $TH_DEVICE_DIR) for
// the GPU machine, which has no Node.js packages: `node tools/device/bundle.mjs <entry> <name>`.
// Dawn (`webgpu`) stays external: it is unpacked beside the bundle as node_modules/webgpu.
import { build } from 'esbuild';

const [entry, name] = process.argv.slice(2);
if (!entry || !name) {
  console.error('usage: node tools/device/bundle.mjs <entry.ts> <name>');
  process.exit(2);
}
const dir = process.env.TH_DEVICE_DIR ?? '.device';
await build({
  entryPoints: [entry],
  outfile: `${dir}/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  mainFields: ['module', 'main'],
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
  logLevel: 'warning',
});
console.log(`${dir}/${name}.mjs`);
