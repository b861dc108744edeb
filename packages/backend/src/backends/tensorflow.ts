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
        tried.push(`${pkg}: ${reasonOf(err)}`);
      }
    }
    throw new Error(`neither tfjs-node package is installed (${tried.join('; ')})`);
  },
};
