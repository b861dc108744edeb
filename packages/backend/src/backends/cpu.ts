import type { BackendLoader } from './types';

/** Pure-JS reference backend: slow, exact, available everywhere. */
export const cpuLoader: BackendLoader = {
  name: 'cpu',
  available: () => null,
  async load() {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    // The cpu backend prints a "install tfjs-node" banner on first use in Node; @th already
    // reports backend choices through init's log, so mark the banner as shown.
    const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
    if (cpu) cpu.firstUse = false;
    return 'cpu';
  },
};
