// Node-only API of @th/train: frame folders, run directories, checkpoints on disk, the training
// driver. Re-exports the platform-neutral API too.

export type { FolderStoreOptions } from './data/folder-source';
export { loadFolderStore } from './data/folder-source';
export * from './index';
export type { FineTuneRunResult } from './run/finetune-run';
export { finetuneRun } from './run/finetune-run';
export type { MetricsRow } from './run/metrics-log';
export { readMetrics } from './run/metrics-log';
export type { RunPaths } from './run/run-dir';
export { createRunDir, latestRunDir, runPaths } from './run/run-dir';
export type { TrainRunOptions, TrainRunResult } from './run/train-run';
export { readRunConfig, trainRun } from './run/train-run';
export type { TrainingState } from './run/training-checkpoint';
export {
  listCheckpoints,
  loadTrainingCheckpoint,
  saveTrainingCheckpoint,
} from './run/training-checkpoint';
