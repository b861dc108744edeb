// @th/provenance: platform-neutral (browsers, workers, Node). No Node-only imports here.
export {
  createDetector,
  DETECTION_FALSE_ALARM,
  type DecodedPayload,
  type DetectionResult,
  type Detector,
  type DetectorOptions,
  PAYLOAD_FALSE_ALARM,
} from './detect/detector';
export type { Plane } from './detect/resample';
export { createWatermarker, type Watermarker, type WatermarkerOptions } from './embed/watermarker';
export { type ImageBytes, lumaOf } from './image';
export { drawSyntheticLabel, type LabelOptions, SYNTHETIC_LABEL } from './label/synthetic-label';
export { addGifComment, readGifComments } from './metadata/gif-comment';
export { tagPng } from './metadata/png-provenance';
export { addPngText, type PngTextEntry, readPngText } from './metadata/png-text';
export {
  formatProvenanceTag,
  type ProvenanceInfo,
  parseProvenanceTag,
  provenanceInfo,
  TRAINED_ALGORITHMIC_MEDIA,
} from './metadata/provenance-tag';
export {
  decodePayload,
  encodePayload,
  modelIdFromSha256,
  syntheticPayload,
  type WatermarkPayload,
} from './scheme/payload';
export { DEFAULT_KEY, FORMAT_VERSION, MIN_PSNR_DB, SCHEME_ID } from './scheme/scheme';
