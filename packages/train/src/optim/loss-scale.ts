/**
 * Dynamic loss scaling for mixed precision (docs/design.md#mixed-precision). Under
 * `precision: 'mixed'` the GEMMs round their operands, backpropagated gradients included, to
 * f16, whose smallest normal value is 6.1e-5: the loss is multiplied by `scale` before the
 * backward pass so small gradients stay representable, and Adam divides the gradients by it
 * again (folded into its update: no extra kernels). A scale too large makes some operand
 * overflow f16 (|x| > 65504), which makes a gradient non-finite: the step's one finite check sees
 * it, the step is skipped and the scale halved. After `growthInterval` finite steps in a row the
 * scale doubles, so it tracks the largest scale the gradients tolerate. Scales are powers of two,
 * so scaling and unscaling are exact in f32 (where no f16 rounding happens, a scaled step equals
 * an unscaled one bit for bit).
 */

export interface LossScaleOptions {
  /** Starting scale (default 2^15). */
  initialScale?: number;
  /** Finite steps in a row after which the scale doubles (default 2000, as PyTorch's GradScaler). */
  growthInterval?: number;
  /** Lower and upper bounds (defaults 1 and the larger of 2^24 and initialScale). */
  minScale?: number;
  maxScale?: number;
}

/** What a checkpoint stores to resume the scale exactly. */
export interface LossScaleState {
  scale: number;
  /** Finite steps since the last overflow or growth. */
  goodSteps: number;
}

/** What one step's check did to the scale, for the log. */
export type LossScaleEvent =
  | { kind: 'overflow'; from: number; to: number }
  | { kind: 'growth'; from: number; to: number; after: number };

const isPowerOfTwo = (x: number) =>
  x > 0 && Number.isFinite(x) && 2 ** Math.round(Math.log2(x)) === x;

export class DynamicLossScale {
  readonly growthInterval: number;
  readonly minScale: number;
  readonly maxScale: number;
  private current: number;
  private good = 0;

  constructor(options: LossScaleOptions = {}) {
    this.current = options.initialScale ?? 2 ** 15;
    this.growthInterval = options.growthInterval ?? 2000;
    this.minScale = options.minScale ?? 1;
    this.maxScale = options.maxScale ?? Math.max(2 ** 24, this.current);
    for (const [name, v] of Object.entries({
      initialScale: this.current,
      minScale: this.minScale,
      maxScale: this.maxScale,
    })) {
      if (!isPowerOfTwo(v))
        throw new Error(`loss scale: ${name} must be a power of two (exact scaling), got ${v}`);
    }
    if (!(this.minScale <= this.current && this.current <= this.maxScale))
      throw new Error(
        `loss scale: initialScale ${this.current} outside [${this.minScale}, ${this.maxScale}]`,
      );
    if (!(Number.isInteger(this.growthInterval) && this.growthInterval >= 1))
      throw new Error(
        `loss scale: growthInterval must be an integer >= 1, got ${this.growthInterval}`,
      );
  }

  /** The factor the loss is multiplied by this step. */
  get scale(): number {
    return this.current;
  }

  /** Whether the scale can still go down (at the minimum, an overflow is a real divergence). */
  get canLower(): boolean {
    return this.current > this.minScale;
  }

  /**
   * Record whether this step's scaled gradients were all finite: on overflow halve the scale
   * (the caller skips the step), else count the step and double the scale every
   * `growthInterval` finite steps. Returns what changed, or null.
   */
  update(finite: boolean): LossScaleEvent | null {
    const from = this.current;
    if (!finite) {
      this.good = 0;
      this.current = Math.max(this.minScale, from / 2);
      return { kind: 'overflow', from, to: this.current };
    }
    this.good += 1;
    if (this.good < this.growthInterval) return null;
    this.good = 0;
    if (from >= this.maxScale) return null;
    this.current = from * 2;
    return { kind: 'growth', from, to: this.current, after: this.growthInterval };
  }

  getState(): LossScaleState {
    return { scale: this.current, goodSteps: this.good };
  }

  setState(state: LossScaleState): void {
    if (!isPowerOfTwo(state.scale) || state.scale < this.minScale || state.scale > this.maxScale)
      throw new Error(`loss scale: cannot restore scale ${state.scale}`);
    if (!(Number.isInteger(state.goodSteps) && state.goodSteps >= 0))
      throw new Error(`loss scale: cannot restore goodSteps ${state.goodSteps}`);
    this.current = state.scale;
    this.good = state.goodSteps;
  }
}

/** One log line for a scale event at `step`. */
export function describeLossScaleEvent(event: LossScaleEvent): string {
  return event.kind === 'overflow'
    ? `gradient overflow at loss scale ${event.from}: step skipped, scale → ${event.to}`
    : `loss scale ${event.from} → ${event.to} after ${event.after} finite steps`;
}
