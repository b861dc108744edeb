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
export { FORMAT_VERSION, shardName } from './dataset/format';
export type { JobSlot } from './dataset/shard-plan';
export { parseShardFlag, planShards, resolveJobSlot, shardsOfJob } from './dataset/shard-plan';
export type { TarMember } from './dataset/tar';
export { parseTar, tarEnd, tarMember } from './dataset/tar';
export { selectFrameIndices } from './frames/select-frames';
export { resizeArea } from './image/resize-area';
export type { RgbImage } from './image/rgb-image';
export { assertRgbImage, createRgbImage, toSignedUnit } from './image/rgb-image';
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
export type { KShotExample } from './loader/kshot-example';
export { prefetch } from './loader/prefetch';
export { resizeBilinear, resizeNearest } from './loader/resize';
export { deriveSeed, mulberry32, shuffleInPlace } from './loader/seeded-random';
export type { LandmarkImageOptions, LandmarkPart } from './render/landmark-image';
export {
  LANDMARK_COLOURS,
  LANDMARK_PARTS,
  renderLandmarkImage,
  renderLandmarkImageSigned,
} from './render/landmark-image';
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
