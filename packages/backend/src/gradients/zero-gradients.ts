import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels whose outputs are boolean (comparisons, logical ops, predicates). Their derivative is
 * zero almost everywhere, but tfjs 4.22 registers no gradient for most of them, so any nested
 * gradient that differentiates a mask (leakyRelu, maximum, relu6, where, ...) throws
 * "gradient function not found for Greater". Registering d(out)/d(in) = 0 is exact wherever the
 * comparison is not at a tie, which is the standard convention (TF and PyTorch do the same).
 */
const BINARY_BOOLEAN_KERNELS = [
  'Equal',
  'NotEqual',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'LogicalAnd',
  'LogicalOr',
  'LogicalXor',
] as const;

const UNARY_BOOLEAN_KERNELS = ['LogicalNot', 'IsNan', 'IsInf', 'IsFinite', 'All', 'Any'] as const;

/** Zeros shaped like an input; tfjs' tape requires float32 gradients even for int/bool inputs. */
function zerosFor(t: tf.Tensor): () => tf.Tensor {
  return () => tf.zeros(t.shape, 'float32');
}

/** Register zero gradients for boolean-valued kernels. Returns the kernel names. */
export function registerZeroGradients(): string[] {
  for (const kernelName of BINARY_BOOLEAN_KERNELS) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as [tf.Tensor, tf.Tensor];
        return { a: zerosFor(a), b: zerosFor(b) };
      },
    });
  }
  for (const kernelName of UNARY_BOOLEAN_KERNELS) {
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (_dy, saved) => ({ x: zerosFor(saved[0] as tf.Tensor) }),
    });
  }
  return [...BINARY_BOOLEAN_KERNELS, ...UNARY_BOOLEAN_KERNELS];
}
