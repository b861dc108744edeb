// Platform-neutral API of @th/data (runs in browsers, workers and Node). Node-only helpers
// (file IO, ffmpeg, face-api) are in '@th/data/node'.

export type {
  DatasetSummary,
  FailureRecord,
  ManifestEntry,
  ShardRecord,
  Stage,
  UtteranceMeta,
} from './dataset/format';
export { DEFAULT_RESOLUTION, datasetSettings, FORMAT_VERSION, shardName } from './dataset/format';
export type { JobSlot } from './dataset/shard-plan';
export { parseShardFlag, planShards, resolveJobSlot, shardsOfJob } from './dataset/shard-plan';
export type { TarMember } from './dataset/tar';
export { parseTar, tarEnd, tarMember } from './dataset/tar';
export {
  type ClipFrames,
  clipFrameRule,
  LSR_CLIP_FRAMES,
  selectFrameIndices,
} from './frames/select-frames';
export type { SquareFit } from './image/fit-square';
export { cropSquare, fitImage, mapLandmarks, squareFit } from './image/fit-square';
export { resizeImage, resizeLabels } from './image/resize-image';
export type { RgbImage } from './image/rgb-image';
export { assertRgbImage, createRgbImage, signedUnits, toSignedUnit } from './image/rgb-image';
export type { LandmarkDetector, Landmarks68, Point } from './landmarks/landmarks';
export { LANDMARK_COUNT, validateLandmarks } from './landmarks/landmarks';
export type { Similarity2D } from './landmarks/similarity';
export {
  applySimilarityToPoint,
  applySimilarityToPoints,
  centroid,
  fitSimilarity,
  invertSimilarity,
  similarityParts,
} from './landmarks/similarity';
export type { KShotBatch } from './loader/batch-to-tensors';
export { batchToTensors } from './loader/batch-to-tensors';
export type { EpochPlan, EpochPlanOptions } from './loader/epoch-plan';
export {
  checkRank,
  epochPlan,
  exampleFrames,
  examplesPerEpoch,
  shuffleBufferOrder,
} from './loader/epoch-plan';
export type { KShotExample } from './loader/kshot-example';
export { deriveSeed, mulberry32, shuffleInPlace } from './loader/seeded-random';
export type { EvalSubject, StoredFrame } from './loader/stored-frame';
export type { FrameInputs } from './render/frame-inputs';
export { frameInputsAt, segmentationAt } from './render/frame-inputs';
export type { LandmarkImageOptions, LandmarkPart } from './render/landmark-image';
export {
  LANDMARK_COLOURS,
  LANDMARK_PARTS,
  renderLandmarkImage,
  renderLandmarkImageSigned,
} from './render/landmark-image';
export { LANDMARK_CANVAS, landmarkImageAt } from './render/landmark-image-at';
export type { LineCap } from './render/stroke-coverage';
export { CLASS_PALETTE, colourClassMap, type Rgb } from './segmentation/class-palette';
export type { SegmentationClassName } from './segmentation/classes';
export {
  SEG,
  SEGMENTATION_CLASS_COUNT,
  SEGMENTATION_CLASSES,
  validateSegmentation,
} from './segmentation/classes';
export { landmarkOracleSegmentation } from './segmentation/landmark-oracle';
