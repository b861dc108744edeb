import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '@th/backend';
import { instanceNorm, LSR_INSTANCE_NORM_EPSILON } from '../layers/instance-norm';

/** Activations LSR's blocks use: ReLU (encoders) or leaky ReLU with slope 0.2 (G^l, G^I, D). */
export type ActivationName = 'relu' | 'lrelu';

/** Parameter-free norms of ResBlock / ResBlockDown: none (encoders, D) or instance norm (U-Net). */
export type NormName = 'none' | 'instance';

/** Slope of LSR's leaky ReLU for negative inputs. */
export const LEAKY_SLOPE = 0.2;

/** Apply the named activation (both are R1-safe: relu natively, leaky ReLU via @th/backend). */
export function applyActivation(name: ActivationName, x: tf.Tensor4D): tf.Tensor4D {
  if (name === 'relu') return tf.relu(x);
  if (name === 'lrelu') return leakyRelu(x, LEAKY_SLOPE) as tf.Tensor4D;
  throw new Error(`unknown activation "${name as string}" (expected 'relu' or 'lrelu')`);
}

/** Apply the named parameter-free norm. */
export function applyNorm(
  name: NormName,
  x: tf.Tensor4D,
  epsilon = LSR_INSTANCE_NORM_EPSILON,
): tf.Tensor4D {
  if (name === 'none') return x;
  if (name === 'instance') return instanceNorm(x, epsilon);
  throw new Error(`unknown norm "${name as string}" (expected 'none' or 'instance')`);
}

/**
 * act(norm(x)), the pre-activation of the residual blocks. Instance norm then leaky ReLU is one
 * fused op where available (one kernel in WebGPU inference).
 */
export function normThenActivate(
  norm: NormName,
  activation: ActivationName,
  x: tf.Tensor4D,
  epsilon = LSR_INSTANCE_NORM_EPSILON,
): tf.Tensor4D {
  if (norm === 'instance' && activation === 'lrelu') return instanceNorm(x, epsilon, LEAKY_SLOPE);
  return applyActivation(activation, applyNorm(norm, x, epsilon));
}

/** Validate block options shared by the residual blocks. */
export function checkNormAndActivation(block: string, norm: string, act: string): void {
  if (norm !== 'none' && norm !== 'instance') {
    throw new Error(`${block}: norm must be 'none' or 'instance', got "${norm}"`);
  }
  if (act !== 'relu' && act !== 'lrelu') {
    throw new Error(`${block}: activation must be 'relu' or 'lrelu', got "${act}"`);
  }
}

/** Check an NHWC input's channel count with a message naming the block. */
export function checkChannels(block: string, x: tf.Tensor, channels: number): void {
  if (x.rank !== 4 || x.shape[3] !== channels) {
    throw new Error(`${block}: expected NHWC input with ${channels} channels, got [${x.shape}]`);
  }
}
