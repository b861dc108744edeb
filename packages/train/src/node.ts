// Node-only API of @th/train: training data from prepared datasets, run directories, checkpoints
// on disk, the training driver. Re-exports the platform-neutral API too.

export type { DatasetSourceOptions } from './data/dataset-source.node-only';
export { DatasetSource } from './data/dataset-source.node-only';
export * from './index';
export type { FineTuneRunResult } from './run/finetune-run';
export { finetuneRun } from './run/finetune-run';
export type { MetricsRow } from './run/metrics-log';
export { RunLog, readMetrics } from './run/metrics-log';
export type { RunPaths } from './run/run-dir';
export { createRunDir, latestRunDir, runPaths } from './run/run-dir';
export type { TrainRunOptions, TrainRunResult } from './run/train-run';
export { readRunConfig, readRunRecord, trainRun } from './run/train-run';
export type { TrainingState } from './run/training-checkpoint';
export {
  listCheckpoints,
  loadTrainingCheckpoint,
  saveTrainingCheckpoint,
} from './run/training-checkpoint';
