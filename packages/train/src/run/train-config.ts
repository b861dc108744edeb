import { currentBackend, setPrecision } from '@th/backend';
import type { DeepPartial, LsrConfig, PresetName } from '@th/models';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
import type { LossScaleOptions } from '../optim/loss-scale';
import type { DecayShape } from '../schedule/learning-rate';

/** A fully resolved training configuration (what `config.json` of a run holds). */
export interface TrainConfig {
  preset: PresetName;
  /** Overrides of the preset's model config (e.g. narrower widths for tests), `presetConfig(preset, model)`. */
  model: DeepPartial<LsrConfig>;
  /** 1 = layout pre-training, 2 = full pipeline (docs/design.md#losses). */
  stage: 1 | 2;
  seed: number;
  data: {
    /**
     * A dataset made by `th-data prepare` at the preset's resolution, or a folder of clips or
     * frames (e.g. the FSTH `frames/` folder with train/ and test/), which is prepared into
     * `cache` first (once; later runs reuse it). null: not given (a run refuses to start and
     * names `--data`); nothing in the defaults points into a repository.
     */
    path: string | null;
    /** Where folders are prepared to; null: `<run.parent>/datasets`. */
    cache: string | null;
    /** How a folder's landmarks are made: 'detect' (face-api), 'json' (beside each frame) or a landmark file (.json). */
    landmarks: string;
    /** Evaluate on the dataset's 'test' (hold-out) split, when it has one; it is never trained on. */
    holdout: boolean;
    /** Utterances in the loader's shuffle buffer. */
    shuffleBuffer: number;
    /** Decode worker threads; null: min(2, cores − 1). */
    workers: number | null;
    /** This process's rank among `worldSize` (each gets a disjoint part of every epoch). */
    rank: number;
    worldSize: number;
    /**
     * Colour augmentation strength s in [0, 1] (0: off, the default): each example's frames get
     * one random per-channel gain in [1 − s, 1 + s] and offset in [−s/2, s/2] (data/color-jitter.ts).
     * Absent in configs written before it existed (read as 0).
     */
    colorJitter?: number;
  };
  run: { parent: string; desc: string | null };
  steps: number;
  batch: number;
  k: number;
  schedule: {
    baseLearningRate: number;
    /** Linear warm-up in steps; 'auto' = min(500, ceil(steps / 10)). */
    warmupSteps: number | 'auto';
    decay: DecayShape;
    /**
     * Final decay window in examples; 'auto' = none in stage 1, LSR's 1090/15260 of the run in
     * stage 2 (docs/design.md#schedule).
     */
    decayExamples: number | 'auto';
  };
  losses: { stage1: LossConfig['stage1']; stage2: LossConfig['stage2'] };
  /** 'proxy': fixed random conv features; 'off': perceptual terms 0; else a VGG19 safetensors path. */
  vgg19: string;
  /**
   * 'off': the VGG-Face perceptual and identity weights are forced to 0 (no VGG-Face weights exist
   * offline); else a VGG-Face safetensors path (`tools/python/convert-vggface-h5.py`). Absent in run
   * configs written before this field existed, which means 'off'.
   */
  vggFace: string;
  logEvery: number;
  checkpointEvery: number;
  sampleEvery: number;
  keepLast: number;
  /**
   * 'mixed': convolutions and matmuls with f16 operands and f32 accumulation where the backend
   * can (WebGPU), dynamic loss scaling (scale in the checkpoints); 'f32': everything f32
   * (docs/design.md#mixed-precision). Absent in run configs written before it existed: 'f32'.
   */
  precision: 'f32' | 'mixed';
  /**
   * Dynamic loss scaling under precision 'mixed' (optim/loss-scale.ts): the starting scale (a
   * power of two) and the finite steps in a row after which it doubles. Absent in older configs.
   */
  lossScale: { initial: number; growthInterval: number };
  /**
   * Stage 2 and fine-tuning on WebGPU: record each kind of step once and replay it without tfjs
   * (docs/design.md#captured-steps); elsewhere one log line and eager steps. Absent in older
   * configs: false.
   */
  captureSteps: boolean;
  /** Stage 2: stage-1 checkpoint to warm-start E^l, G^l (and the example counter) from. Fine-tuning: the meta-learned model. */
  init: string | null;
  /** Checkpoint file or run directory to continue exactly. */
  resume: string | null;
  finetune: {
    enabled: boolean;
    /**
     * Identity of the dataset to fine-tune on (its K shots, evaluated on its hold-out frames);
     * null: the first.
     */
    identity: string | null;
    /**
     * 'shots' (protocol default, docs/design.md#finetune-targets) or 'all' source frames (released
     * code).
     */
    targets: 'shots' | 'all';
    /** null: LSR's rule by K (docs/design.md#finetuning). */
    steps: number | null;
  };
}

/**
 * Built-in defaults: lsr-64 stage 1. The data has no default (`data.path` null: give a dataset);
 * runs go to `runs/` under the working directory.
 */
export function defaultTrainConfig(): TrainConfig {
  const { stage1, stage2 } = defaultLossConfig();
  return {
    preset: 'lsr-64',
    model: {},
    stage: 1,
    seed: 0,
    data: {
      path: null,
      cache: null,
      landmarks: 'detect',
      holdout: true,
      shuffleBuffer: 256,
      workers: null,
      rank: 0,
      worldSize: 1,
      colorJitter: 0,
    },
    run: { parent: 'runs', desc: null },
    steps: 100,
    batch: 4,
    k: 4,
    schedule: {
      baseLearningRate: 1e-3,
      warmupSteps: 'auto',
      decay: 'hyperbolic',
      decayExamples: 'auto',
    },
    // LSR's weights (docs/design.md#losses); the VGG-Face ones only act with `vggFace` weights
    // given (else 0).
    losses: { stage1, stage2 },
    vgg19: 'proxy',
    vggFace: 'off',
    logEvery: 1,
    checkpointEvery: 50,
    sampleEvery: 50,
    keepLast: 3,
    precision: 'f32',
    lossScale: { initial: 2 ** 15, growthInterval: 2000 },
    captureSteps: false,
    init: null,
    resume: null,
    finetune: { enabled: false, identity: null, targets: 'shots', steps: null },
  };
}

/** The trainer's loss-scale options from a run config (older configs have none: defaults). */
export function lossScaleOptions(config: TrainConfig): LossScaleOptions {
  return config.lossScale
    ? { initialScale: config.lossScale.initial, growthInterval: config.lossScale.growthInterval }
    : {};
}

/**
 * Put the active backend on a run's precision (the th-train CLI already passed it to `init`, a
 * library caller may not have) and write the path it got to the run log, under 'mixed'.
 */
export function applyPrecision(precision: 'f32' | 'mixed', log: (line: string) => void): void {
  const report = currentBackend();
  if (!report) return;
  const chosen =
    report.precision.requested === precision ? report.precision : setPrecision(precision);
  if (precision === 'mixed') log(`precision mixed: ${chosen.reason}`);
}
