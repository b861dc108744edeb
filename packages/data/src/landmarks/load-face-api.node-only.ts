/**
 * Node-only: load @vladmandic/face-api (an optional peer) on tfjs-core alone.
 *
 * face-api's Node build (`dist/face-api.node-wasm.js`) `require`s the union package
 * `@tensorflow/tfjs` (141 MB with tfjs-layers, tfjs-converter and their dependencies), of which
 * its networks use only tfjs-core's ops and IO plus the tensor methods (`x.as3D()`) that the union
 * package adds. So the bundle is evaluated here with a `require` that answers
 * `@tensorflow/tfjs` with tfjs-core, after @th/backend has added those tensor methods: same
 * kernels, same weights, same landmarks (a test compares them with the committed fixture
 * landmarks), without the union package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { isMissingModule, MissingPackageError, registerChainedOps } from '@th/backend';

/** The face-api release @th is tested with (its model files and outputs). */
export const FACE_API_PACKAGE = { name: '@vladmandic/face-api', version: '1.7.15' } as const;

export interface LoadedFaceApi<T> {
  faceapi: T;
  /** face-api's `model/` folder (weights load from disk: offline). */
  modelDir: string;
}

/** A real `require` in both builds (bundlers replace a bare `require` in ESM with a stub). */
function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

let loaded: Promise<LoadedFaceApi<unknown>> | null = null;

/**
 * face-api's module object (loaded once per process) and its model folder; throws
 * `MissingPackageError` naming `@vladmandic/face-api` when it is not installed.
 */
export function loadFaceApi<T>(): Promise<LoadedFaceApi<T>> {
  loaded ??= load().catch((err: unknown) => {
    loaded = null;
    throw err;
  });
  return loaded as Promise<LoadedFaceApi<T>>;
}

async function load(): Promise<LoadedFaceApi<unknown>> {
  const req = nodeRequire();
  const { name, version } = FACE_API_PACKAGE;
  let packageJson: string;
  try {
    packageJson = req.resolve(`${name}/package.json`);
  } catch (err) {
    if (isMissingModule(err, name)) {
      throw new MissingPackageError(name, version, 'face landmark detection');
    }
    throw err;
  }
  const root = dirname(packageJson);
  const bundle = join(root, 'dist', 'face-api.node-wasm.js');
  await registerChainedOps();
  const tfjsCore = req('@tensorflow/tfjs-core');
  const wasm = req('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  // The wasm binaries come from node_modules, never a CDN.
  wasm.setWasmPaths(`${dirname(req.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  const bundleRequire = createRequire(bundle);
  const shimRequire = (id: string): unknown => {
    if (id === '@tensorflow/tfjs') return tfjsCore;
    if (id === '@tensorflow/tfjs-backend-wasm') return wasm;
    return bundleRequire(id);
  };
  // CommonJS evaluation as Node does it (the module wrapper), with our `require`.
  const wrapped = runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`,
    { filename: bundle },
  ) as (
    e: object,
    r: (id: string) => unknown,
    m: { exports: object },
    f: string,
    d: string,
  ) => void;
  const module = { exports: {} };
  wrapped.call(module.exports, module.exports, shimRequire, module, bundle, dirname(bundle));
  return { faceapi: module.exports, modelDir: join(root, 'model') };
}
