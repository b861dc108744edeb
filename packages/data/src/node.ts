// Node-only API of @th/data: files, ffmpeg, face-api. Re-exports the platform-neutral API too,
// so Node callers (e.g. a preprocessing worker) need one import.

export { parseLandmarkMode, runCli } from './cli/th-data.node-only';
export {
  readAllDoneRecords,
  readFailures,
  readManifest,
  readUtteranceMembers,
} from './dataset/dataset-files.node-only';
export type { WorkUnit } from './dataset/discover.node-only';
export { discoverUnits } from './dataset/discover.node-only';
export type { EnsureDatasetOptions, EnsuredDataset } from './dataset/ensure-dataset.node-only';
export {
  datasetCachePath,
  ensureDataset,
  isPreparedDataset,
} from './dataset/ensure-dataset.node-only';
export type { InspectReport } from './dataset/inspect.node-only';
export { inspectDataset, writeContactSheet } from './dataset/inspect.node-only';
export type { PrepareOptions, PrepareReport } from './dataset/prepare.node-only';
export { prepareDataset } from './dataset/prepare.node-only';
export type { ProgressSink } from './dataset/progress.node-only';
export { lineSink } from './dataset/progress.node-only';
export type { SyntheticDatasetOptions } from './dataset/synthetic-dataset.node-only';
export { templateFace, writeSyntheticDataset } from './dataset/synthetic-dataset.node-only';
export type { LandmarkMode } from './dataset/unit-runner.node-only';
export type { VerifyReport } from './dataset/verify.node-only';
export { verifyDataset } from './dataset/verify.node-only';
export type { DecodedImage } from './image/decode-image.node-only';
export { decodeImage } from './image/decode-image.node-only';
export {
  encodeGrayPng,
  encodeRgbPng,
  readImage,
  writeFileAtomic,
  writeGrayPng,
  writePng,
} from './image/image-files.node-only';
export * from './index';
export { cleanUpOnInterrupt, removeTempFiles, trackTempFile } from './io/temp-files.node-only';
export type { FaceApiDetectorOptions } from './landmarks/face-api-detector.node-only';
export { createFaceApiDetector } from './landmarks/face-api-detector.node-only';
export { parseLandmarksJson, readLandmarksJson } from './landmarks/read-landmarks-json.node-only';
export type { DatasetIndex, IndexFilter } from './loader/dataset-index.node-only';
export {
  manifestEntries,
  readDatasetIndex,
  readDatasetSummary,
} from './loader/dataset-index.node-only';
export type { EvalSplit } from './loader/eval-sampler.node-only';
export { evalShotIndices, evalSplits, evalSubjects } from './loader/eval-sampler.node-only';
export type { KShotStreamOptions, KShotStreamState } from './loader/kshot-stream.node-only';
export {
  defaultLoaderWorkers,
  KShotStream,
  openKShotStream,
} from './loader/kshot-stream.node-only';
export { readFrames } from './loader/utterance-frames.node-only';
export { readSegmentationPng } from './segmentation/read-segmentation.node-only';
export type {
  DecodedFrame,
  FfmpegPaths,
  FrameChoice,
  VideoInfo,
} from './video/ffmpeg-video.node-only';
export { decodeVideoFrames, probeVideo } from './video/ffmpeg-video.node-only';
