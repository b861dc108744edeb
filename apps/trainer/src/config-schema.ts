import { PRESET_NAMES, type PresetName } from '@th/models';
import { defaultTrainConfig, type TrainConfig } from '@th/train';
import { z } from 'zod';

const d = defaultTrainConfig();
const weight = z.number().finite().nonnegative();
const positiveInt = z.number().int().positive();

/** The trainer's configuration schema: every field described, defaults = `defaultTrainConfig()`. */
export const trainConfigSchema = z
  .object({
    preset: z
      .enum(PRESET_NAMES as [PresetName, ...PresetName[]])
      .default(d.preset)
      .describe('model preset (@th/models)'),
    model: z
      .record(z.string(), z.unknown())
      .default(d.model as Record<string, unknown>)
      .describe(
        "overrides of the preset's model config (e.g. narrower widths), checked by @th/models",
      ),
    stage: z
      .union([z.literal(1), z.literal(2)])
      .default(d.stage)
      .describe('1 = layout pre-training, 2 = full pipeline'),
    seed: z
      .number()
      .int()
      .nonnegative()
      .default(d.seed)
      .describe('seed of weights, data order and proxy features'),
    data: z
      .object({
        path: z
          .string()
          .min(1)
          .nullable()
          .default(d.data.path)
          .describe(
            'a dataset made by th-data prepare at the preset resolution, or a folder of clips/frames (prepared into data.cache first); no default',
          ),
        cache: z
          .string()
          .min(1)
          .nullable()
          .default(d.data.cache)
          .describe('where folders are prepared to (default: <run.parent>/datasets)'),
        landmarks: z
          .string()
          .regex(
            /^(detect|detect-each|json|.+\.json)$/i,
            "'detect', 'detect-each', 'json' or FILE.json",
          )
          .default(d.data.landmarks)
          .describe(
            "landmarks of a folder: 'detect' (face-api), 'json' beside each frame, or FILE.json",
          ),
        holdout: z
          .boolean()
          .default(d.data.holdout)
          .describe("evaluate on the dataset's 'test' split (never trained on), when it has one"),
        shuffleBuffer: positiveInt
          .default(d.data.shuffleBuffer)
          .describe("utterances in the loader's shuffle buffer"),
        workers: z
          .number()
          .int()
          .nonnegative()
          .nullable()
          .default(d.data.workers)
          .describe('loader decode threads (null: min(2, cores - 1); 0: the training thread)'),
        rank: z
          .number()
          .int()
          .nonnegative()
          .default(d.data.rank)
          .describe('this process among worldSize (disjoint part of every epoch)'),
        worldSize: positiveInt.default(d.data.worldSize).describe('number of training processes'),
        colorJitter: z
          .number()
          .min(0)
          .max(1)
          .default(d.data.colorJitter ?? 0)
          .describe(
            'colour augmentation s: per example, one random gain in [1-s, 1+s] and offset in [-s/2, s/2] per channel on its sources and target (0: off)',
          ),
      })
      .strict()
      .default({}),
    run: z
      .object({
        parent: z
          .string()
          .min(1)
          .default(d.run.parent)
          .describe('folder holding the numbered run directories'),
        desc: z
          .string()
          .regex(/^[\w.-]+$/)
          .nullable()
          .default(d.run.desc)
          .describe('run name suffix'),
      })
      .strict()
      .default({}),
    steps: positiveInt.default(d.steps).describe('optimisation steps'),
    batch: positiveInt.default(d.batch).describe('examples per step (LSR: 4)'),
    k: positiveInt.default(d.k).describe('shots per example (LSR: 4)'),
    schedule: z
      .object({
        baseLearningRate: z
          .number()
          .finite()
          .positive()
          .default(d.schedule.baseLearningRate)
          .describe('lr₀ (LSR: 1e-3)'),
        warmupSteps: z
          .union([z.number().int().nonnegative(), z.literal('auto')])
          .default(d.schedule.warmupSteps)
          .describe("linear warm-up steps; 'auto' = min(500, steps/10)"),
        decay: z
          .enum(['hyperbolic', 'linear', 'none'])
          .default(d.schedule.decay)
          .describe('final decay shape (docs/design.md#lr-decay-shape)'),
        decayExamples: z
          .union([z.number().int().nonnegative(), z.literal('auto')])
          .default(d.schedule.decayExamples)
          .describe('final decay window in examples'),
      })
      .strict()
      .default({}),
    losses: z
      .object({
        stage1: z
          .object({
            layoutCrossEntropy: weight.default(d.losses.stage1.layoutCrossEntropy),
            auxVgg19: weight.default(d.losses.stage1.auxVgg19),
            auxL1: weight.default(d.losses.stage1.auxL1),
            layoutLatentL2: weight.default(d.losses.stage1.layoutLatentL2),
          })
          .strict()
          .default({})
          .describe('stage-1 loss weights (docs/design.md#loss-stage1)'),
        stage2: z
          .object({
            adversarial: weight.default(d.losses.stage2.adversarial),
            l1: weight.default(d.losses.stage2.l1),
            vgg19: weight.default(d.losses.stage2.vgg19),
            vggFacePerLayer: weight.default(d.losses.stage2.vggFacePerLayer),
            identity: weight.default(d.losses.stage2.identity),
            styleLatentL2: weight.default(d.losses.stage2.styleLatentL2),
            layoutLatentL2: weight.default(d.losses.stage2.layoutLatentL2),
            r1Gamma: weight.default(d.losses.stage2.r1Gamma),
            r2Gamma: weight.default(d.losses.stage2.r2Gamma),
            penaltyInterval: positiveInt.default(d.losses.stage2.penaltyInterval),
          })
          .strict()
          .default({})
          .describe('stage-2 / fine-tuning loss weights (docs/design.md#loss-stage2)'),
      })
      .strict()
      .default({}),
    vgg19: z
      .string()
      .min(1)
      .default(d.vgg19)
      .describe("'proxy' (random conv features), 'off', or a VGG19 safetensors path"),
    vggFace: z
      .string()
      .min(1)
      .default(d.vggFace)
      .describe(
        "'off' (VGG-Face perceptual and identity weights forced to 0) or a VGG-Face safetensors path",
      ),
    logEvery: positiveInt.default(d.logEvery).describe('steps between metrics lines'),
    checkpointEvery: positiveInt
      .default(d.checkpointEvery)
      .describe('steps between checkpoints (and held-out evaluations)'),
    sampleEvery: positiveInt.default(d.sampleEvery).describe('steps between sample grids'),
    keepLast: positiveInt.default(d.keepLast).describe('checkpoints kept besides the best'),
    precision: z
      .enum(['f32', 'mixed'])
      .default(d.precision)
      .describe(
        "'mixed': f16 convolution/matmul operands with f32 accumulation where the backend can (WebGPU), dynamic loss scaling; 'f32': all f32",
      ),
    lossScale: z
      .object({
        initial: z
          .number()
          .positive()
          .refine((x) => Number.isInteger(Math.log2(x)), 'a power of two')
          .default(d.lossScale.initial)
          .describe('starting loss scale under precision mixed'),
        growthInterval: positiveInt
          .default(d.lossScale.growthInterval)
          .describe('finite steps in a row after which the loss scale doubles'),
      })
      .strict()
      .default({}),
    captureSteps: z
      .boolean()
      .default(d.captureSteps)
      .describe(
        'stage 2 and fine-tuning on WebGPU: record each kind of step once, replay it without tfjs (else eager, one log line)',
      ),
    init: z
      .string()
      .min(1)
      .nullable()
      .default(d.init)
      .describe(
        'stage 2: stage-1 checkpoint to warm-start from; fine-tuning: the meta-learned model',
      ),
    resume: z
      .string()
      .min(1)
      .nullable()
      .default(d.resume)
      .describe('checkpoint or run directory to continue'),
    finetune: z
      .object({
        enabled: z.boolean().default(d.finetune.enabled),
        identity: z
          .string()
          .min(1)
          .nullable()
          .default(d.finetune.identity)
          .describe('identity of the dataset to fine-tune on (default: the first)'),
        targets: z
          .enum(['shots', 'all'])
          .default(d.finetune.targets)
          .describe("'shots' (protocol) or 'all' source frames (released code)"),
        steps: positiveInt
          .nullable()
          .default(d.finetune.steps)
          .describe('null: the LSR rule by K (docs/design.md#finetuning)'),
      })
      .strict()
      .default({}),
    history: z
      .array(z.unknown())
      .optional()
      .describe(
        'written by resumed runs into config.json (what changed from which step); ignored here',
      ),
  })
  .strict()
  .refine((c) => c.data.rank < c.data.worldSize, {
    message: 'data.rank must be smaller than data.worldSize',
    path: ['data', 'rank'],
  });

/** Validate a (partial) config; an error names each bad field, the problem and the value given. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const result = trainConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.join('.') || '(root)';
      const value = issue.path.reduce<unknown>(
        (v, key) =>
          v && typeof v === 'object' ? (v as Record<string, unknown>)[key as string] : undefined,
        input,
      );
      const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
      return `  ${path}: ${issue.message}${keys}${value !== undefined && issue.code !== 'unrecognized_keys' ? `, got ${JSON.stringify(value)}` : ''}`;
    });
    throw new Error(`invalid training config:\n${lines.join('\n')}`);
  }
  const { history: _history, ...config } = result.data;
  return config as TrainConfig;
}
