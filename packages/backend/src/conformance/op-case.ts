import type * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backends/types';
import type { ScalarFn } from '../testing/finite-diff';

/** One row of the conformance table: a scalar function of some inputs, checked to 2nd order. */
export interface OpCase {
  name: string;
  inputs: tf.Tensor[];
  f: ScalarFn;
  /** Restrict to these backends (e.g. kernels wasm lacks). Default: all. */
  backends?: BackendName[];
  /**
   * A documented tfjs bug @th cannot fix: the check must FAIL at this order (so the table keeps
   * telling the truth, and the test notices if tfjs ever changes).
   */
  knownWrong?: 'first' | 'second';
}
