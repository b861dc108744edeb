import type { DeepPartial, LsrConfig, PresetName } from '@th/models';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
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
    init: null,
    resume: null,
    finetune: { enabled: false, identity: null, targets: 'shots', steps: null },
  };
}
