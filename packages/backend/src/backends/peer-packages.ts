/**
 * The optional peer packages behind the backends other than wasm and cpu, with the versions
 * @th is built and tested against (tfjs is pinned exactly: 4.22.0 is its last release).
 */
export const PEER_PACKAGES = {
  webgl: { name: '@tensorflow/tfjs-backend-webgl', version: '4.22.0' },
  webgpu: { name: '@tensorflow/tfjs-backend-webgpu', version: '4.22.0' },
  dawn: { name: 'webgpu', version: '0.6.2' },
} as const;
