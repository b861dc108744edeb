// @th/infer, platform-neutral core: no Node-only imports here (browsers, workers, Node).
export { resizeArea } from '@th/data';
export { cropSquare, fitImage, mapLandmarks, type SquareFit, squareFit } from './image/fit-square';
export { LANDMARK_CANVAS, landmarkImageAt } from './image/landmark-image';
export { LAYOUT_PALETTE } from './image/layout-palette';
export { sideBySide } from './image/panels';
export { colourLayout, imagesToTensor } from './image/tensor-images';
export { createShapeAdapter, meanShape, type ShapeAdapter } from './landmarks/adapt-shape';
export {
  applySimilarity,
  centroid,
  fitSimilarity,
  type Similarity,
  similarityParts,
} from './landmarks/similarity';
export { formatModelSummary, type ModelSummary, summarizeModel } from './model/describe-model';
export {
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
  type ModelSource,
} from './model/load-model';
export {
  finishFrame,
  modelProvenance,
  type ProvenanceOptions,
  WATERMARK_OFF_NOTICE,
} from './provenance/frame-provenance';
export {
  type DriverInput,
  driverToModel,
  type FrameTimings,
  type RenderedFrame,
  type RenderOptions,
  renderFrame,
} from './render/render-frame';
export { renderStream, type StreamOptions } from './render/render-stream';
export { chooseShotIndices } from './subject/choose-shots';
export {
  type CreateSubjectOptions,
  createSubject,
  type MissingFacePolicy,
} from './subject/create-subject';
export type { FinetuneOptions, FinetuneReport } from './subject/finetune';
export { Subject } from './subject/subject';
