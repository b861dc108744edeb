import { isBrowser } from '../util/environment';
import type { BackendLoader } from './types';

/** WebGL 2 (browsers only; in headless Chromium it runs on SwiftShader). */
export const webglLoader: BackendLoader = {
  name: 'webgl',
  available: () => (isBrowser ? null : 'WebGL exists only in browsers'),
  async load() {
    await import('@tensorflow/tfjs-backend-webgl');
    return 'webgl';
  },
};
