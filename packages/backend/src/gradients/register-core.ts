import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | null = null;

/**
 * Register every gradient tfjs-core defines. Core's Node entry registers none, so this loads
 * core's own `register_all_gradients` module, which the build bundles into @th/backend (the
 * gradient and kernel registries are global, so it fills the one shared registry). Idempotent.
 */
export function registerCoreGradients(): Promise<void> {
  registered ??= (async () => {
    if (tf.getGradient('Abs')) return; // someone (e.g. the union package) already did it
    await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  })();
  return registered;
}
