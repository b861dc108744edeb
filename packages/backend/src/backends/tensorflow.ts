import { importOptional, isNode, reasonOf } from '../util/environment';
import type { BackendLoader } from './types';

/**
 * libtensorflow through `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`, used only when
 * the user installed one (their install downloads libtensorflow, so @th never depends on them).
 */
export const tensorflowLoader: BackendLoader = {
  name: 'tensorflow',
  available: () => (isNode ? null : 'tfjs-node exists only in Node'),
  async load() {
    const tried: string[] = [];
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await importOptional(pkg);
        return 'tensorflow';
      } catch (err) {
        const code = (err as { code?: string }).code;
        const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
        tried.push(`${pkg} ${missing ? 'not installed' : `failed to load: ${reasonOf(err)}`}`);
      }
    }
    throw new Error(tried.join('; '));
  },
};
