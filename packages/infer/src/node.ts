// @th/infer/node: files, ffmpeg, face-api and the reenactment job behind the `th` CLI. Re-exports
// the platform-neutral core too.
export * from './index';
export {
  bundledFullCheckpointPath,
  bundledModelName,
  bundledModelPath,
} from './node/bundled-model.node-only';
export { type DriverLandmarks, detectDriver } from './node/detect-driver.node-only';
export { type DriverSource, openDriver } from './node/driver-frames.node-only';
export {
  type DriverLandmarksFile,
  driverLandmarkDetector,
  openLandmarkDriver,
  parseDriverLandmarks,
  readDriverLandmarks,
} from './node/driver-landmarks-json.node-only';
export { createFrameWriter, type FrameWriter } from './node/frame-writers.node-only';
export type { ProgressSink } from './node/progress.node-only';
export { readSources, type SourceImages } from './node/read-sources.node-only';
export { type ReenactOptions, type ReenactResult, reenact } from './node/reenact.node-only';
