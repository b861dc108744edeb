// Bundle a Node entry point (TS or JS) into one ESM file under .device/ for the GPU machine,
// which has no Node.js packages: `node tools/device/bundle.mjs <entry> <name>`.
// Dawn (`webgpu`) stays external: it is unpacked beside the bundle as node_modules/webgpu.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

// @th/backend imports its optional peer packages by name at run time (`importOptional`), which a
// bundler cannot follow; the GPU machine has no node_modules to resolve them from. These peers
// are bundled instead (sharing the bundle's tfjs-core), behind a table that `importOptional`
// consults first; every other name (Dawn's `webgpu`) is still imported at run time.
const BUNDLED_PEERS = ['@tensorflow/tfjs-backend-webgpu'];
// The function in @th/backend's source (TypeScript) or its built chunks (JavaScript).
const IMPORT_OPTIONAL =
  /function importOptional(?:<[^>]*>)?\((\w+)(?::[^)]*)?\)(?::[^{]*)?\s*\{\s*return import\([\s\S]*?\)(?: as [^;]*)?;\s*\}/;
const bundledPeers = {
  name: 'bundled-peers',
  setup(b) {
    b.onLoad({ filter: /[\\/]backend[\\/](dist|src)[\\/].*\.(js|ts)$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!IMPORT_OPTIONAL.test(text)) return undefined;
      const table = BUNDLED_PEERS.map(
        (p) => `${JSON.stringify(p)}: () => import(${JSON.stringify(p)})`,
      );
      const contents = text.replace(
        IMPORT_OPTIONAL,
        (_, arg) =>
          `function importOptional(${arg}) { const bundled = { ${table.join(', ')} }[${arg}]; return bundled ? bundled() : import(${arg}); }`,
      );
      return { contents, loader: path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(path) };
    });
  },
};

const [entry, name] = process.argv.slice(2);
if (!entry || !name) {
  console.error('usage: node tools/device/bundle.mjs <entry.ts> <name>');
  process.exit(2);
}
await build({
  entryPoints: [entry],
  outfile: `.device/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  mainFields: ['module', 'main'],
  plugins: [bundledPeers],
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
console.log(`.device/${name}.mjs`);
