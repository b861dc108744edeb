/**
 * Per-frame synthesis of one subject (docs/design.md#rendering): landmark images → output images
 * (float, and quantised to bytes) and layout class maps, with the subject's latents fixed.
 *
 * On WebGPU with @th's runtime, the first call at a given input shape runs eagerly and then
 * records the whole frame (G^l, softmax, G^I, clip/quantise, argmax) as a captured graph
 * (@th/backend `captureGraph`); every later call replays it: a few native calls per kernel
 * instead of tfjs' JavaScript per op, which at batch 1 costs more than the GPU work itself (the
 * gpu-bench on an H100: 40 ms per frame eager, 12 ms replayed). A replay runs the kernels the
 * eager path runs, on the same weights, so its output is the eager output. Elsewhere (other
 * backends, tfjs-webgpu without @th's runtime, a capture that fails, or `capture: false`) the
 * same function runs eagerly; one line says which path runs and why.
 *
 * A graph reads the model's weights and the latents where they lie. It is keyed by input shape,
 * backend instance and GEMM precision mode; it is captured again when a weight it reads was
 * reassigned (e.g. loading weights, tfjs optimizers) and dropped by `invalidate()` (the subject
 * calls it before fine-tuning) and `dispose()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CapturedGraph, captureGraph, currentBackend } from '@th/backend';
import type { Latents, LsrModel } from '@th/models';
import { layoutClassTensor, signedToByteTensor } from '../image/tensor-images';

/** Which path the last frame took, and why. */
export interface SynthesisStatus {
  /** 'captured': replayed from a captured graph; 'eager': tfjs op by op. */
  path: 'captured' | 'eager';
  /**
   * Why: 'captured' (the frame was replayed, or ran eagerly while its graph was recorded);
   * 'disabled' (`capture: false`); 'backend' (not WebGPU); 'unavailable'
   * (WebGPU without @th's runtime, or the model checks input ranges by reading them back);
   * 'failed' (capture threw: `reason` has the message).
   */
  cause: 'captured' | 'disabled' | 'backend' | 'unavailable' | 'failed';
  /** One line for logs. */
  reason: string;
  /** Kernels one replay dispatches (captured path), else null. */
  kernelsPerFrame: number | null;
  /** Graphs captured so far (the first frame of each shape, and again after weights changed). */
  captures: number;
}

export interface SynthesisOptions {
  /** Capture and replay on WebGPU (default true); false runs every frame eagerly. */
  capture?: boolean;
  /**
   * Receives the status line when a subject's path or its reason changes. Default: console.info,
   * each distinct line once per process (an evaluation over many subjects says it once).
   */
  log?: (line: string) => void;
}

/** Outputs of N frames; the caller owns them. */
export interface SynthesizedFrames {
  /** [N, R, R, 3] float32: x̂ as G^I gives it (about [-1, 1]). */
  image: tf.Tensor4D;
  /** [N, R, R, 3] int32 in 0..255: x̂ clipped to [-1, 1], then (v + 1)·127.5 rounded. */
  bytes: tf.Tensor4D;
  /** [N, R, R] int32: argmax of the layout. */
  classes: tf.Tensor3D;
}

type Failure = Pick<SynthesisStatus, 'cause' | 'reason'>;

export class FrameSynthesis {
  private readonly graphs = new Map<string, CapturedGraph>();
  /** Keys whose capture failed or is not possible (with why): those shapes run eagerly. */
  private readonly failed = new Map<string, Failure>();
  private lastLine: string | null = null;
  private captures = 0;
  private current: SynthesisStatus = {
    path: 'eager',
    cause: 'disabled',
    reason: 'no frame rendered yet',
    kernelsPerFrame: null,
    captures: 0,
  };
  private disposed = false;

  constructor(
    private readonly model: LsrModel,
    private readonly latents: Latents,
  ) {}

  /** The path of the last frame. */
  get status(): SynthesisStatus {
    return { ...this.current, captures: this.captures };
  }

  /** `landmarkImages`: [N, R, R, 3] in [-1, 1]; not consumed. */
  run(landmarkImages: tf.Tensor4D, options: SynthesisOptions = {}): SynthesizedFrames {
    if (this.disposed) throw new Error('FrameSynthesis.run: disposed');
    const [image, bytes, classes] = this.outputs(landmarkImages, options);
    return {
      image: image as tf.Tensor4D,
      bytes: bytes as tf.Tensor4D,
      classes: classes as tf.Tensor3D,
    };
  }

  /** Drop the captured graphs (the next frame captures again), e.g. after weights changed. */
  invalidate(): void {
    for (const g of this.graphs.values()) g.dispose();
    this.graphs.clear();
    this.failed.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.invalidate();
    this.disposed = true;
  }

  /** The frame as one function of the landmark images (what is captured, or run eagerly). */
  private readonly frame = ([landmarks]: tf.Tensor[]): tf.Tensor[] => {
    const { image, layout } = this.model.synthesize(this.latents, landmarks as tf.Tensor4D);
    return [image, signedToByteTensor(image), layoutClassTensor(layout)];
  };

  private outputs(input: tf.Tensor4D, options: SynthesisOptions): tf.Tensor[] {
    const eager = (cause: SynthesisStatus['cause'], reason: string) => {
      this.report({ path: 'eager', cause, reason, kernelsPerFrame: null }, options);
      return tf.tidy(() => this.frame([input]));
    };
    if (options.capture === false) return eager('disabled', 'eager (capture: false)');
    const backend = tf.getBackend();
    if (backend !== 'webgpu')
      return eager('backend', `eager: backend ${backend} (captured graphs need webgpu)`);
    if (this.model.checkRange)
      return eager(
        'unavailable',
        'eager: the model checks input ranges (checkRange), which reads each input back',
      );
    const key = this.keyOf(input);
    const failure = this.failed.get(key);
    if (failure) return eager(failure.cause, failure.reason);
    const graph = this.graphs.get(key);
    if (graph && !graph.stale()) return this.replay(graph, input, options);
    if (graph) {
      // A weight or latent the graph reads was reassigned (e.g. an optimizer step): capture anew.
      graph.dispose();
      this.graphs.delete(key);
    }
    // This frame runs eagerly first: it uploads whatever is still in CPU memory (freshly loaded
    // or assigned weights) and compiles the pipelines, so the capture records GPU work only (a
    // small op on CPU-resident values would run on the CPU and be frozen into the recording).
    const out = tf.tidy(() => this.frame([input]));
    this.capture(key, input, options);
    return out;
  }

  /** Record the frame for `key`; where that fails, remember why (that shape then runs eagerly). */
  private capture(key: string, input: tf.Tensor4D, options: SynthesisOptions): void {
    let graph: CapturedGraph | null = null;
    let failure: Failure;
    try {
      graph = captureGraph(this.frame, [input]);
      failure = {
        cause: 'unavailable',
        reason:
          "eager: the webgpu backend runs without @th's runtime (tfjs-webgpu's own factory), which capture needs",
      };
    } catch (err) {
      failure = {
        cause: 'failed',
        reason: `eager: capturing the frame failed (${(err as Error).message})`,
      };
    }
    if (!graph) {
      this.failed.set(key, failure);
      this.report({ path: 'eager', kernelsPerFrame: null, ...failure }, options);
      return;
    }
    this.captures++;
    this.graphs.set(key, graph);
    this.report({ ...replaying(graph), path: 'eager' }, options);
  }

  private replay(graph: CapturedGraph, input: tf.Tensor4D, options: SynthesisOptions) {
    const out = graph.run([input]);
    this.report(replaying(graph), options);
    return out;
  }

  /** Input shape, backend instance and GEMM mode: what a recorded graph depends on. */
  private keyOf(input: tf.Tensor): string {
    const precision = currentBackend()?.precision;
    return `${input.shape.join('x')} ${instanceId(tf.backend())} ${precision?.gemm ?? 'f32'}${precision?.splitWeights ? '+split' : ''}`;
  }

  private report(status: Omit<SynthesisStatus, 'captures'>, options: SynthesisOptions): void {
    this.current = { ...status, captures: this.captures };
    const line = `frame synthesis: ${status.reason}`;
    if (line === this.lastLine) return;
    this.lastLine = line;
    (options.log ?? infoOnce)(line);
  }
}

const printed = new Set<string>();
function infoOnce(line: string): void {
  if (printed.has(line)) return;
  printed.add(line);
  console.info(line);
}

/** The status of a replayed frame (the line is the same for the frame it was captured from). */
function replaying(graph: CapturedGraph): Omit<SynthesisStatus, 'captures'> {
  return {
    path: 'captured',
    cause: 'captured',
    reason: `captured on the first frame, replayed for the next (${graph.kernelCount} kernels per frame)`,
    kernelsPerFrame: graph.kernelCount,
  };
}

const ids = new WeakMap<object, number>();
let nextId = 0;
/** A number per backend instance (graphs are bound to the instance that recorded them). */
function instanceId(backend: object): number {
  let id = ids.get(backend);
  if (id === undefined) {
    id = nextId++;
    ids.set(backend, id);
  }
  return id;
}
