export type { PlotPanel, PlotSeries } from './eval/metrics-plot';
export { renderMetricsVsK } from './eval/metrics-plot';
export type { PoseBucket, PoseBuckets } from './eval/pose-buckets';
export { meanPerBucket, POSE_BUCKETS, poseVarianceBuckets } from './eval/pose-buckets';
export type { FidInceptionNetwork } from './fid/fid-inception';
export {
  createFidInception,
  FID_INPUT_SIZE,
  fidInceptionFromSafetensors,
  fidInputPixels,
} from './fid/fid-inception';
export { fidFromFeatures } from './fid/fid-score';
export type { ConvLayer } from './fid/inception-layers';
export { INCEPTION_LAYERS } from './fid/inception-layers';
export { inceptionPool3 } from './fid/inception-v3';
export { INCEPTION_TENSORS } from './fid/inception-weights';
export { bicubicKernel, resizePilBicubic } from './fid/pil-bicubic-resize';
export { frechetDistance, traceSqrtProduct } from './frechet';
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
export type { SquareMatrixInput } from './linalg/matrix';
export type { SymmetricEigen } from './linalg/symmetric-eigen';
export { symmetricEigen } from './linalg/symmetric-eigen';
export type { LpipsNetwork } from './lpips/lpips';
export { createLpips, lpipsDistances, lpipsFromSafetensors } from './lpips/lpips';
export { LPIPS_TENSORS } from './lpips/lpips-weights';
export type {
  ExpectedTensor,
  FeatureNetwork,
  NamedArray,
  NamedArrays,
  NetworkMetric,
  NetworkWeightFiles,
  PerceptualDistance,
} from './networks';
export {
  checkWeightTensors,
  MissingWeightsError,
  NETWORK_WEIGHTS,
  requireNetworkWeights,
} from './networks';
export type { LandmarkDetector, NmkeOptions, Point2 } from './nmke';
export { nmke, OUTER_EYE_CORNER_LEFT, OUTER_EYE_CORNER_RIGHT } from './nmke';
export type { LandmarkPair, NmkeSummary } from './nmke-images';
export { nmkeOverImages, summarizeNmke } from './nmke-images';
export type { PsnrOptions } from './psnr';
export { meanSquaredError, psnr } from './psnr';
export { renderCsv, renderJson, renderMarkdown } from './report/render';
export type {
  MetricKey,
  MetricOutcome,
  ResultsTable,
  Setting,
  SettingResult,
  TableCell,
  TableOptions,
} from './report/table';
export { buildResultsTable, DEFAULT_METRIC_COLUMNS, METRIC_KEYS, SETTINGS } from './report/table';
export type { SsimOptions, SsimWindow } from './ssim';
export { ssim } from './ssim';
