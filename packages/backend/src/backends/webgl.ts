import * as tf from '@tensorflow/tfjs-core';
import { isBrowser } from '../util/environment';
import { importPeer } from '../util/optional-package';
import { PEER_PACKAGES } from './peer-packages';
import type { BackendLoader } from './types';

/**
 * WebGL 2 (browsers only; in headless Chromium it runs on SwiftShader), from the optional peer
 * `@tensorflow/tfjs-backend-webgl`: used when the app imported it (bundled apps) or it resolves.
 */
export const webglLoader: BackendLoader = {
  name: 'webgl',
  available: () => (isBrowser ? null : 'WebGL exists only in browsers'),
  async load() {
    if (!tf.findBackendFactory('webgl')) {
      const { name, version } = PEER_PACKAGES.webgl;
      await importPeer(name, version, 'the webgl backend');
    }
    return 'webgl';
  },
};
