import * as tf from '@tensorflow/tfjs-core';

let registered: Promise<void> | null = null;

/**
 * Give tensors their chained-op methods (`x.relu()`, `x.as3D(...)`): tfjs-core's Node entry does
 * not add them, the union `@tensorflow/tfjs` package does. @th never uses them; third-party tfjs
 * code does (e.g. face-api's networks), so whoever loads such code calls this first. It loads
 * core's own `register_all_chained_ops` module, which the build bundles into @th/backend (the
 * methods go onto the one global Tensor class). Idempotent.
 */
export function registerChainedOps(): Promise<void> {
  registered ??= (async () => {
    if (typeof (tf.Tensor.prototype as { as3D?: unknown }).as3D === 'function') return;
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
  })();
  return registered;
}
