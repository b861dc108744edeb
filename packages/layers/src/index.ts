/**
 * @th/layers: LSR's building blocks (NHWC) on a small module system. No side effects at import:
 * call `init()` from `@th/backend` before running layers.
 */

export {
  type ActivationName,
  applyActivation,
  applyNorm,
  type NormName,
} from './blocks/activation';
export { ResBlock, type ResBlockOptions } from './blocks/res-block';
export { ResBlockDown, type ResBlockDownOptions } from './blocks/res-block-down';
export { ResBlockUp, type ResBlockUpOptions } from './blocks/res-block-up';
export { SPADEResBlock, type SPADEResBlockOptions } from './blocks/spade-res-block';
export { AdaIN, type AdaINOptions } from './layers/adain';
export { EqConv2d, type EqConv2dOptions } from './layers/eq-conv2d';
export { EqDense, type EqDenseOptions } from './layers/eq-dense';
export {
  InstanceNorm,
  instanceNorm,
  LSR_INSTANCE_NORM_EPSILON,
  modulate,
} from './layers/instance-norm';
export { LayoutPyramid } from './layers/layout-pyramid';
export {
  AvgPool2,
  type BlurPadding,
  BlurPool,
  type BlurPoolOptions,
  LeakyReLU,
  UpsampleBilinear2x,
} from './layers/resampling';
export { SPADE, type SPADEOptions } from './layers/spade';
export { constantInit, type Initializer, normalInit, zerosInit } from './module/initializers';
export { Module } from './module/module';
export { Parameter } from './module/parameter';
export type { LoadStateDictOptions } from './module/state-dict';
