// @th/provenance/node: files, ffmpeg and metadata of encoded files. Re-exports the neutral API.
export * from './index';
export {
  type DetectFileOptions,
  type DetectPathOptions,
  detectFile,
  detectPath,
  type FileReport,
  IMAGE_EXTENSIONS,
  type PathReport,
  VIDEO_EXTENSIONS,
} from './node/detect-file.node-only';
export {
  decodeFrames,
  ffmpegPath,
  ffprobePath,
  type MediaInfo,
  probeMedia,
} from './node/ffmpeg.node-only';
export { type FileMetadata, readFileMetadata } from './node/file-metadata.node-only';
export { mp4TagArgs, tagGifFile } from './node/mp4-tags.node-only';
