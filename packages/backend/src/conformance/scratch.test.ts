import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { init } from '../init';
it('list', async () => {
  await init({ backend: 'cpu' });
  const names = Object.values(await import('@tensorflow/tfjs-core/dist/kernel_names')).filter((v) => typeof v === 'string') as string[];
  const missing = names.filter((n) => !tf.getGradient(n));
  console.log('MISSING', missing.join(' '));
});
