// Node-only API of @th/metrics: the offline identity embedder and landmark detector, the FSTH
// outputs-folder reader and the th-eval harness. Re-exports the platform-neutral API too.

export type { ThEvalBackends } from './cli/th-eval-run.node-only';
export { runThEval, TH_EVAL_USAGE } from './cli/th-eval-run.node-only';
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
export { renderReportData, renderReportMarkdown, reportPanels } from './eval/report-document';
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
export * from './index';
