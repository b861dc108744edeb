/**
 * Subject fine-tuning (spec §e, [CODE] `main.py: infer_single_example`): z^s and z^l stay frozen
 * (computed once from the K shots; the encoders do not run), and G^l, G^I and D are trained with the
 * stage-2 losses incl. R1/R2 (spec §c.3) under fresh Adams (lr₀ 1e-3, β (0, 0.999)), batch 1, for
 * 24/60/100/200/400 steps by K, lr constant for the first half then lr₀/max(1, 100t). G and D are
 * updated simultaneously from the same forward pass (spec §d). Targets are the K shots (the
 * protocol default of spec §h-Q7), visited in shuffled passes.
 *
 * Perceptual terms need VGG19 / VGG-Face weights that do not ship; without `vgg19`/`vggFace` their
 * weights are set to 0 and the report says so.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';
import {
  Adam,
  type Discriminator,
  type FeatureNetwork,
  fineTuningLearningRate,
  fineTuningSteps,
  type LossConfig,
  lossConfig,
  stage2DiscriminatorLoss,
  stage2GeneratorLoss,
} from '@th/train';
import type { Subject } from './subject';

export interface FinetuneOptions {
  /** Default: the spec's rule by K. */
  steps?: number;
  /** lr₀ (default 1e-3). */
  learningRate?: number;
  losses?: LossConfig;
  vgg19?: FeatureNetwork;
  vggFace?: FeatureNetwork;
  /** Seed of the target order. */
  seed?: number;
  /** Called after every update with 1-based step, total and the two losses. */
  onStep?: (
    step: number,
    total: number,
    losses: { generator: number; discriminator: number },
  ) => void;
}

export interface FinetuneReport {
  steps: number;
  generatorLoss: number[];
  discriminatorLoss: number[];
  /** Which perceptual terms were active. */
  notes: string[];
  ms: number;
}

function variablesUnder(subject: Subject, prefixes: string[]): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, p] of subject.model.namedParameters()) {
    if (prefixes.some((x) => name.startsWith(x))) out[name] = p.value;
  }
  return out;
}

/** `tf.variableGrads` keys by variable name; Adam wants parameter names. */
function rekey(
  grads: tf.NamedTensorMap,
  vars: Record<string, tf.Variable>,
): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(vars)) {
    const g = grads[v.name];
    if (g) out[name] = g;
  }
  return out;
}

export async function finetuneSubject(
  subject: Subject,
  options: FinetuneOptions,
): Promise<FinetuneReport> {
  const { model, latents } = subject;
  const d = model.discriminator;
  if (!d) {
    throw new Error(
      'finetune: this model has no discriminator (the checkpoint holds only the generator side); fine-tuning needs D',
    );
  }
  const steps = options.steps ?? fineTuningSteps(subject.k);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`finetune: steps must be an integer >= 1, got ${steps}`);
  const notes: string[] = [];
  let losses = options.losses ?? lossConfig();
  if (!options.vgg19 && losses.stage2.vgg19 > 0) {
    losses = lossConfig({ ...losses, stage2: { ...losses.stage2, vgg19: 0 } });
    notes.push('VGG19 perceptual term off (no VGG19 weights given)');
  }
  if (!options.vggFace && (losses.stage2.vggFacePerLayer > 0 || losses.stage2.identity > 0)) {
    losses = lossConfig({
      ...losses,
      stage2: { ...losses.stage2, vggFacePerLayer: 0, identity: 0 },
    });
    notes.push('VGG-Face perceptual and identity terms off (no VGG-Face network given)');
  }
  const discriminator: Discriminator = (x) =>
    d.forward(
      tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 3]) as tf.Tensor4D,
      tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 3]) as tf.Tensor4D,
    );
  const gVars = variablesUnder(subject, ['layoutGenerator.', 'imageGenerator.']);
  const dVars = variablesUnder(subject, ['discriminator.']);
  // Built inside tidy: Adam makes its zero moments as tf.variable(tf.zerosLike(v)), which leaves
  // the zerosLike tensors alive; tidy frees them (the variables keep the shared data).
  let gAdam!: Adam;
  let dAdam!: Adam;
  tf.tidy(() => {
    gAdam = new Adam(gVars);
    dAdam = new Adam(dVars);
  });
  const rng = createRng(options.seed ?? 0);
  const [, k, r] = subject.shots.shape;
  const report: FinetuneReport = { steps, generatorLoss: [], discriminatorLoss: [], notes, ms: 0 };
  const start = performance.now();
  let order: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      if (order.length === 0) order = rng.shuffle(Array.from({ length: k }, (_, i) => i));
      const i = order.pop()!;
      const lr = fineTuningLearningRate(step, steps, options.learningRate);
      const shot = (all: tf.Tensor5D) =>
        tf.tidy(() => tf.reshape(tf.slice(all, [0, i], [1, 1]), [1, r, r, 3])) as tf.Tensor4D;
      const real = shot(subject.shots);
      const lm = shot(subject.shotLandmarkImages);
      let fake: tf.Tensor4D | null = null;
      const g = tf.variableGrads(() => {
        const out = model.synthesize(latents, lm).image;
        fake = tf.keep(tf.clone(out));
        const input = {
          fake: out,
          real,
          landmarks: lm,
          discriminator,
          styleLatent: latents.zs,
          layoutLatent: latents.zl,
        };
        return stage2GeneratorLoss(
          { ...input, vgg19: options.vgg19, vggFace: options.vggFace },
          losses,
        ).total;
      }, Object.values(gVars));
      const constantFake = fake as unknown as tf.Tensor4D;
      const dg = tf.variableGrads(
        () =>
          stage2DiscriminatorLoss(
            { real, fake: constantFake, landmarks: lm, discriminator },
            losses,
          ).total,
        Object.values(dVars),
      );
      gAdam.apply(rekey(g.grads, gVars), lr);
      dAdam.apply(rekey(dg.grads, dVars), lr);
      const [gl, dl] = [(await g.value.data())[0]!, (await dg.value.data())[0]!];
      tf.dispose([
        real,
        lm,
        constantFake,
        g.value,
        dg.value,
        ...Object.values(g.grads),
        ...Object.values(dg.grads),
      ]);
      if (!Number.isFinite(gl) || !Number.isFinite(dl)) {
        throw new Error(
          `finetune: non-finite loss at step ${step + 1} (G ${gl}, D ${dl}); the model is left as updated so far`,
        );
      }
      report.generatorLoss.push(gl);
      report.discriminatorLoss.push(dl);
      options.onStep?.(step + 1, steps, { generator: gl, discriminator: dl });
    }
  } finally {
    gAdam.dispose();
    dAdam.dispose();
  }
  report.ms = performance.now() - start;
  return report;
}
