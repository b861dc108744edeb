export * from './checkpoint/checkpoint';
export * from './checkpoint/match-state';
export {
  decodeSafetensors,
  encodeSafetensors,
  type RawTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
} from './checkpoint/safetensors';
export * from './config/config';
export * from './config/presets';
export { type CostRow, costTable, costTableMarkdown, forwardFlops } from './cost';
export { type Latents, LsrModel, type LsrModelOptions, type Synthesis } from './model';
export { Discriminator } from './networks/discriminator';
export { Encoder } from './networks/encoder';
export { ImageGenerator } from './networks/image-generator';
export { LayoutGenerator, type LayoutGeneratorOutput } from './networks/layout-generator';
