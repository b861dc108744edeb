/**
 * Every loss weight of LSR in one object, defaults exactly per docs/design.md#losses (code values
 * of the
 * released `scripts/train_lsr_*.sh`). Terms with weight 0 are not computed.
 */
export interface LossConfig {
  stage1: {
    /** Softmax CE of the 19 layout logits vs the oracle parsing. */
    layoutCrossEntropy: number;
    /** VGG19 perceptual loss on G^l's 3 auxiliary RGB channels vs x ("multi-task"). */
    auxVgg19: number;
    /** L1 on the auxiliary RGB (off in LSR). */
    auxL1: number;
    /** mean (z^l)². */
    layoutLatentL2: number;
  };
  stage2: {
    /** Non-saturating G loss softplus(-D(x̂ ⊕ l)). */
    adversarial: number;
    /** mean |x̂ − x|. */
    l1: number;
    /** VGG19 perceptual (layer weights `vgg19LayerWeights`). */
    vgg19: number;
    /** Weight of EACH of the 5 VGG-Face conv layers. */
    vggFacePerLayer: number;
    /** L1 between VGG-Face fc8 logits. */
    identity: number;
    /** mean (z^s)². */
    styleLatentL2: number;
    /** mean (z^l)². */
    layoutLatentL2: number;
    /** γ of R1 (reals) and R2 (fakes) in the D loss; 0 switches the penalty off. */
    r1Gamma: number;
    r2Gamma: number;
    /** Evaluate R1/R2 every this many D steps, multiplied by it (lazy regularisation); 1 = LSR. */
    penaltyInterval: number;
  };
  /** Per-layer weights of the VGG19 loss, block1_conv1 … block5_conv1. */
  vgg19LayerWeights: readonly number[];
}

/**
 * LSR's defaults (docs/design.md#loss-stage1, docs/design.md#loss-stage2,
 * docs/design.md#hyperparameters). A fresh copy each call: safe to modify.
 */
export function defaultLossConfig(): LossConfig {
  return {
    stage1: { layoutCrossEntropy: 10, auxVgg19: 0.01, auxL1: 0, layoutLatentL2: 1 },
    stage2: {
      adversarial: 1,
      l1: 1,
      vgg19: 0.1,
      vggFacePerLayer: 0.002,
      identity: 1,
      styleLatentL2: 1,
      layoutLatentL2: 1,
      r1Gamma: 10,
      r2Gamma: 10,
      penaltyInterval: 1,
    },
    vgg19LayerWeights: [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1],
  };
}

/** Defaults with some weights replaced; every weight is checked to be a finite number >= 0. */
export function lossConfig(
  overrides: {
    stage1?: Partial<LossConfig['stage1']>;
    stage2?: Partial<LossConfig['stage2']>;
    vgg19LayerWeights?: readonly number[];
  } = {},
): LossConfig {
  const base = defaultLossConfig();
  const config: LossConfig = {
    stage1: { ...base.stage1, ...overrides.stage1 },
    stage2: { ...base.stage2, ...overrides.stage2 },
    vgg19LayerWeights: overrides.vgg19LayerWeights ?? base.vgg19LayerWeights,
  };
  const check = (path: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`loss config: ${path} must be a finite number >= 0, got ${String(v)}`);
  };
  for (const [k, v] of Object.entries(config.stage1)) check(`stage1.${k}`, v);
  for (const [k, v] of Object.entries(config.stage2)) check(`stage2.${k}`, v);
  for (const [i, v] of config.vgg19LayerWeights.entries()) check(`vgg19LayerWeights[${i}]`, v);
  if (!Number.isInteger(config.stage2.penaltyInterval) || config.stage2.penaltyInterval < 1) {
    throw new Error(
      `loss config: stage2.penaltyInterval must be an integer >= 1, got ${config.stage2.penaltyInterval}`,
    );
  }
  return config;
}
