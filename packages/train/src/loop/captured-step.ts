import * as tf from '@tensorflow/tfjs-core';
import { type CapturedGraph, captureGraph, webgpuRuntime } from '@th/backend';
import { lazyPenaltyWeight } from '../losses/gradient-penalty';
import type { Adam } from '../optim/adam';
import type { DynamicLossScale } from '../optim/loss-scale';
import {
  type AdversarialUpdate,
  adversarialGradients,
  adversarialTerms,
} from './adversarial-update';
import { checkFinite, type FiniteReport } from './finite-check';
import { disposeLossGradients } from './gradients';
import { settleStep } from './loss-scaling';
import type { StepResult } from './step-result';

/**
 * The update of one step, built from the tensors of `inputs` (graph-owned copies at capture,
 * the caller's own in an eager step). Must read nothing else that changes between steps.
 */
export type AdversarialStepOf = (inputs: tf.Tensor[]) => AdversarialUpdate;

interface CapturedStep {
  graph: CapturedGraph;
  /** The loss terms in the order of the graph's report (then G's and D's probes). */
  terms: string[];
}

/**
 * Simultaneous G/D steps (stage 2, fine-tuning) recorded once with `captureGraph` and replayed
 * without tfjs (docs/design.md#captured-steps). What changes between steps reaches the graph as
 * inputs: the batch, each Adam's [stepSize, gradScale] (learning rate and bias correction,
 * computed on the CPU from the step count it knows after the previous read-back), and the loss
 * scale. The finite check's branch runs on the GPU: the gated Adam update leaves both sides
 * unchanged unless no loss term and no gradient element is NaN/Inf, and the one read-back per
 * step (losses and probes) tells the CPU what happened, so it counts the Adam step, updates the
 * loss scale and reports a skip exactly as the eager step does. Steps with and without the
 * lazy R1/R2 penalty are two graphs (and a batch of another shape another). A graph whose variables were reassigned (a checkpoint
 * restore) is captured again.
 *
 * `step` returns null when capture is not possible (not WebGPU with @th's runtime, Adam not the
 * multi-tensor one, or the capture refused the step): the caller runs the eager step; the
 * reason is logged once.
 */
export class CapturedAdversarialSteps {
  private readonly graphs = new Map<string, CapturedStep>();
  private disabled: string | null = null;
  /** Input shapes of the first step (graphs for other shapes carry them in their key). */
  private shapes: string | null = null;
  /**
   * Timings of the last captured step, in ms: the capture (null: replayed a graph captured
   * earlier), the JavaScript of the replay up to its submit, and the wait for its read-back.
   */
  lastTimings: { captureMs: number | null; submitMs: number; readBackMs: number } | null = null;

  constructor(
    private readonly g: Adam,
    private readonly d: Adam,
    private readonly log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  /** Why captured steps do not run (then every step is eager), or null. */
  get unavailable(): string | null {
    return this.disabled;
  }

  /** Number of kernels the replay of each captured graph dispatches, by graph key. */
  kernelCounts(): Record<string, number> {
    return Object.fromEntries([...this.graphs].map(([k, s]) => [k, s.graph.kernelCount]));
  }

  /**
   * One step at learning rate `lr` on `inputs` (the batch tensors `build` reads), or null: run
   * the eager step instead (see the class comment).
   */
  async step(
    build: AdversarialStepOf,
    inputs: readonly tf.Tensor[],
    lr: number,
    lossScale: DynamicLossScale | null,
  ): Promise<StepResult | null> {
    if (this.disabled) return null;
    this.disabled = whyNotCapturable(this.g, this.d);
    if (this.disabled) {
      this.log(`captured steps: off, every step runs eagerly: ${this.disabled}`);
      return null;
    }
    const u = build([...inputs]);
    const penalty = lazyPenaltyWeight(this.d.step, u.losses.stage2.penaltyInterval) > 0;
    // A batch of another shape (a short last batch) is another program too.
    const shapes = inputs.map((t) => t.shape.join('x')).join(',');
    this.shapes ??= shapes;
    const key = `${penalty ? 'penalty' : 'plain'}${shapes === this.shapes ? '' : ` ${shapes}`}`;
    const scale = lossScale?.scale ?? 1;
    const scaled = lossScale !== null;
    const scalars = [
      tf.tensor1d([this.g.nextStepSize(lr), 1 / scale]),
      tf.tensor1d([this.d.nextStepSize(lr), 1 / scale]),
      tf.tensor1d([0], 'int32'), // 1 closes the gate: the capture's own run changes nothing
      ...(scaled ? [tf.scalar(scale)] : []),
    ];
    const stepInputs = [...scalars, ...inputs];
    try {
      let captured = this.graphs.get(key);
      const stale = captured?.graph.stale();
      if (captured && stale) {
        this.log(`captured steps: capturing the ${key} step again (${stale})`);
        captured.graph.dispose();
        this.graphs.delete(key);
        captured = undefined;
      }
      let captureMs: number | null = null;
      if (!captured) {
        const t0 = performance.now();
        captured = this.capture(build, stepInputs, scaled) ?? undefined;
        if (!captured) return null;
        captureMs = performance.now() - t0;
        this.graphs.set(key, captured);
      }
      const t0 = performance.now();
      const [report] = captured.graph.run(stepInputs);
      const t1 = performance.now();
      const data = await report!.data();
      report!.dispose();
      this.lastTimings = { captureMs, submitMs: t1 - t0, readBackMs: performance.now() - t1 };
      return await this.settle(captured.terms, data, lossScale);
    } finally {
      tf.dispose(scalars);
    }
  }

  /** Free the graphs (the variables and Adams belong to the trainer). */
  dispose(): void {
    for (const s of this.graphs.values()) s.graph.dispose();
    this.graphs.clear();
  }

  private capture(
    build: AdversarialStepOf,
    example: tf.Tensor[],
    scaled: boolean,
  ): CapturedStep | null {
    // Variables that share their buffer would be re-pointed by the update (captured, it would
    // write a buffer the next replay does not read), and recorded copies of variables into
    // Adam's flat parameters would repeat on every replay: both happen here, once, instead.
    this.g.deviceSteps!.syncParameters();
    this.d.deviceSteps!.syncParameters();
    const vars = [...Object.values(this.g.variables), ...Object.values(this.d.variables)];
    const ids = vars.map((v) => v.dataId);
    const closed = example.slice();
    closed[2] = tf.tensor1d([1], 'int32');
    let terms: string[] = [];
    let graph: CapturedGraph | null = null;
    try {
      graph = captureGraph((inputs) => {
        const [controlG, controlD, closeGate, ...rest] = inputs as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          ...tf.Tensor[],
        ];
        const scale = scaled ? (rest.shift() as tf.Scalar) : 1;
        const u = build(rest);
        const { g, d } = adversarialGradients(u, scale);
        try {
          const named = adversarialTerms(g, d);
          terms = Object.keys(named);
          const probeG = this.g.nonFiniteProbe(g.grads);
          const probeD = this.d.nonFiniteProbe(d.grads);
          const values = tf.stack(terms.map((n) => tf.cast(named[n]!, 'float32')));
          const badTerms = tf.sum(tf.cast(tf.logicalNot(tf.isFinite(values)), 'int32'));
          const gate = tf.add(tf.add(tf.add(probeG, probeD), badTerms), tf.reshape(closeGate, []));
          this.g.applyOnDevice(g.grads, controlG, gate);
          this.d.applyOnDevice(d.grads, controlD, gate);
          const probes = tf.stack([tf.cast(probeG, 'float32'), tf.cast(probeD, 'float32')]);
          return [tf.concat([values, probes])];
        } finally {
          disposeLossGradients(g);
          disposeLossGradients(d);
        }
      }, closed);
    } catch (err) {
      this.disabled = `the step cannot be captured (${(err as Error).message.split('\n')[0]})`;
    } finally {
      closed[2]!.dispose();
    }
    if (graph && vars.some((v, i) => v.dataId !== ids[i])) {
      graph.dispose();
      graph = null;
      this.disabled =
        'a variable changed buffers while capturing (Adam could not update it in place)';
    }
    if (!graph) {
      this.disabled ??= 'captureGraph is unavailable';
      this.log(`captured steps: off, every step runs eagerly: ${this.disabled}`);
      return null;
    }
    return { graph, terms };
  }

  /**
   * The eager step's verdict from the replay's read-back: loss terms, then G's and D's probes
   * (non-finite gradient elements). The GPU applied the update exactly when all terms were
   * finite and both probes 0; bad gradients are named from the copies Adam staged.
   */
  private async settle(
    terms: readonly string[],
    data: Float32Array | Int32Array | Uint8Array,
    lossScale: DynamicLossScale | null,
  ): Promise<StepResult> {
    const report: FiniteReport = { values: {}, badTerms: [], badGradients: [] };
    terms.forEach((n, i) => {
      report.values[n] = data[i]!;
      if (!Number.isFinite(data[i]!)) report.badTerms.push(n);
    });
    const sides = [this.g, this.d];
    for (const [i, adam] of sides.entries()) {
      if (data[terms.length + i] === 0) continue;
      const staged = adam.stagedGradients();
      try {
        const { badGradients } = await checkFinite({}, staged);
        report.badGradients.push(
          ...(badGradients.length ? badGradients : [`${i === 0 ? 'G' : 'D'} (unnamed)`]),
        );
      } finally {
        tf.dispose(Object.values(staged));
      }
    }
    const { problem, lossScale: scaleReport } = settleStep(report, 'stage2', lossScale);
    const scaled = scaleReport ? { lossScale: scaleReport } : {};
    const applied = report.badTerms.length === 0 && report.badGradients.length === 0;
    if (!applied) return { applied: false, losses: report.values, problem: problem!, ...scaled };
    this.g.countDeviceStep();
    this.d.countDeviceStep();
    return { applied: true, losses: report.values, ...scaled };
  }
}

/** Why these Adams' steps cannot be captured here, or null. */
function whyNotCapturable(g: Adam, d: Adam): string | null {
  if (tf.getBackend() !== 'webgpu') return `the backend is ${tf.getBackend()}, not webgpu`;
  const runtime = webgpuRuntime();
  if (!runtime?.uploads || !runtime.bindCache)
    return "@th's WebGPU runtime (fast uploads, bind-group cache) is not installed";
  if (!g.deviceSteps || !d.deviceSteps)
    return 'Adam is not the multi-tensor WebGPU one (adam.fused false?)';
  return null;
}
