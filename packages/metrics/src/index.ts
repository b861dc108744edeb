export type { PlotPanel, PlotSeries } from './eval/metrics-plot';
export { renderMetricsVsK } from './eval/metrics-plot';
export type { PoseBucket, PoseBuckets } from './eval/pose-buckets';
export { meanPerBucket, POSE_BUCKETS, poseVarianceBuckets } from './eval/pose-buckets';
export type { FidInceptionNetwork } from './fid/fid-inception';
export { createFidInception, fidInceptionFromSafetensors } from './fid/fid-inception';
export { fidFromFeatures } from './fid/fid-score';
export { frechetDistance } from './frechet';
export type { FeatureMatrix, GaussianStats } from './gaussian-stats';
export { gaussianStats } from './gaussian-stats';
export type { IdentityEmbedder, IdSimResult } from './id-sim';
export { cosineSimilarity, idSim } from './id-sim';
export { FaceNotFoundError } from './identity/face-not-found';
export type { IdentitySeparation, LabelledEmbedding } from './identity/separation';
export { identitySeparation } from './identity/separation';
export type { SummaryStats } from './identity/summary-stats';
export { summaryStats } from './identity/summary-stats';
export type { HwcImage, PixelArray } from './image';
export type { LpipsNetwork } from './lpips/lpips';
export { createLpips, lpipsDistances, lpipsFromSafetensors } from './lpips/lpips';
export type {
  ExpectedTensor,
  FeatureNetwork,
  NamedArray,
  NamedArrays,
  NetworkMetric,
  NetworkWeightFiles,
  PerceptualDistance,
} from './networks';
export { MissingWeightsError, NETWORK_WEIGHTS, requireNetworkWeights } from './networks';
export type { LandmarkDetector, NmkeOptions, Point2 } from './nmke';
export { nmke, OUTER_EYE_CORNER_LEFT, OUTER_EYE_CORNER_RIGHT } from './nmke';
export type { LandmarkPair, NmkeSummary } from './nmke-images';
export { nmkeOverImages, summarizeNmke } from './nmke-images';
export type { PsnrOptions } from './psnr';
export { meanSquaredError, psnr } from './psnr';
export type { PsnrSsim } from './report/baseline-verdict';
export { beatsBaselines } from './report/baseline-verdict';
export { renderCsv, renderJson, renderMarkdown } from './report/render';
export type { Baseline, OutputsSetting, Setting } from './report/settings';
export {
  BASELINES,
  isBaseline,
  OUTPUT_FOLDERS,
  OUTPUTS_SETTINGS,
  SETTINGS,
} from './report/settings';
export type {
  MetricKey,
  MetricOutcome,
  ResultsTable,
  ResultsTableRow,
  SettingResult,
  TableCell,
  TableOptions,
  VerdictCell,
} from './report/table';
export { buildResultsTable, DEFAULT_METRIC_COLUMNS, METRIC_KEYS } from './report/table';
export type { SsimOptions, SsimWindow } from './ssim';
export { ssim } from './ssim';
