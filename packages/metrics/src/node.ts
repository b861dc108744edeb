// Node-only API of @th/metrics: the offline identity embedders and landmark detector, the FSTH
// outputs-folder reader and evaluation, report files. Re-exports the platform-neutral API too.
// (The th-eval CLI and the FSTH protocol runner, which need a model, are in @th/eval.)

export type {
  EvaluateOptions,
  EvaluationResult,
  SettingDetails,
} from './eval/evaluate-outputs.node-only';
export { evaluateOutputs } from './eval/evaluate-outputs.node-only';
export {
  FACE_API_LANDMARKS_NAME,
  faceApiLandmarkDetector,
} from './eval/face-api-landmarks.node-only';
export type { FsthFrame } from './eval/frame-files.node-only';
export { listFsthFrames, readPngRgb } from './eval/frame-files.node-only';
export type { EvalPair, OutputsLayout, SettingPairs } from './eval/outputs-layout.node-only';
export { readOutputsLayout } from './eval/outputs-layout.node-only';
export type { ReportContext } from './eval/report-document';
export { renderReportMarkdown } from './eval/report-document';
export { writeReport } from './eval/write-report.node-only';
export { loadFidInception } from './fid/load-fid-inception.node-only';
export type { NetworkMetrics } from './fid/network-metrics.node-only';
export { loadNetworkMetrics } from './fid/network-metrics.node-only';
export { alignArcFace, fivePointsFrom68 } from './identity/arcface-alignment';
export { arcFaceEmbedder } from './identity/arcface-embedder.node-only';
export type { EmbedFailure } from './identity/embed-frames.node-only';
export { embedLabelledFrames } from './identity/embed-frames.node-only';
export type {
  HumanFaceresEmbedder,
  HumanFaceresOptions,
} from './identity/human-faceres-embedder.node-only';
export {
  HUMAN_FACERES_NAME,
  humanFaceresEmbedder,
} from './identity/human-faceres-embedder.node-only';
export type { IResNet } from './identity/iresnet';
export { createIResNet } from './identity/iresnet';
export type { IResNetParameter } from './identity/iresnet-layout';
export { inferIResNetLayout, iresnetParameters } from './identity/iresnet-layout';
export type { DisposableEmbedder } from './identity/mobileface-embedder.node-only';
export {
  MOBILEFACE_NAME,
  MobileFaceUnavailableError,
  mobileFaceEmbedder,
} from './identity/mobileface-embedder.node-only';
export type { IdEmbedderKind, SelectEmbedderOptions } from './identity/select-embedder.node-only';
export { createIdentityEmbedder, ID_EMBEDDERS } from './identity/select-embedder.node-only';
export type {
  VggFaceEmbedder,
  VggFaceEmbedderOptions,
} from './identity/vgg-face-embedder.node-only';
export {
  VGG_FACE_FC8_NAME,
  vggFaceEmbedder,
  vggFaceEmbedderFromNetwork,
} from './identity/vgg-face-embedder.node-only';
export * from './index';
export { loadLpips } from './lpips/load-lpips.node-only';
