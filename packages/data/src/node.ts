// Node-only API of @th/data: files, ffmpeg, face-api. Re-exports the platform-neutral API too,
// so Node callers (e.g. a preprocessing worker) need one import.

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
export type { FaceApiDetectorOptions } from './landmarks/face-api-detector.node-only';
export { createFaceApiDetector } from './landmarks/face-api-detector.node-only';
export { parseLandmarksJson, readLandmarksJson } from './landmarks/read-landmarks-json.node-only';
export { readSegmentationPng } from './segmentation/read-segmentation.node-only';
export type {
  DecodedFrame,
  FfmpegPaths,
  FrameChoice,
  VideoInfo,
} from './video/ffmpeg-video.node-only';
export { decodeVideoFrames, probeVideo } from './video/ffmpeg-video.node-only';
