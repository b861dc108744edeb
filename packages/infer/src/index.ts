// @th/infer, platform-neutral core: no Node-only imports here (browsers, workers, Node).
// Load a checkpoint, build a subject from K photos (input preparation included), optionally
// fine-tune it, and render frames or streams from driver landmarks.
export { imageGrid } from './image/panels';
export { createShapeAdapter, meanShape, type ShapeAdapter } from './landmarks/adapt-shape';
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
export type {
  FrameSynthesis,
  SynthesisOptions,
  SynthesisStatus,
  SynthesizedFrames,
} from './render/frame-synthesis';
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
  SourceWithoutFaceError,
} from './subject/create-subject';
export type { FinetuneOptions, FinetuneReport } from './subject/finetune';
export { Subject } from './subject/subject';
export {
  type FinetuneLosses,
  isFinetuneLosses,
  type TrainingObjective,
  trainingObjective,
} from './subject/training-objective';
