/**
 * Node-only offline identity embedder: @vladmandic/human's `faceres` network (HSE-FaceRes, a
 * 1024-d descriptor) on the face that human's BlazeFace detector finds and its face mesh rotates
 * upright and crops. This is NOT the network of any published talking-head number (LSR: VGG-Face
 * fc8 logits; FSTH: ArcFace), so its scores carry the name "CSIM (human faceres)" and are only
 * comparable with themselves.
 *
 * Everything loads from node_modules: graph models from `@vladmandic/human/models` through a
 * temporary `file://`-aware fetch, and the tfjs wasm binaries from `@tensorflow/tfjs-backend-wasm`.
 */
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IdentityEmbedder } from '../id-sim';
import type { HwcImage } from '../image';
import { FaceNotFoundError } from './face-not-found';
import { withFileFetch } from './file-fetch.node-only';
import { nodeRequire, resolveOptional } from './node-require.node-only';

export const HUMAN_FACERES_NAME = 'human faceres';

export interface HumanFaceresOptions {
  /** BlazeFace score below which no face is reported (human's default 0.2). */
  readonly minConfidence?: number;
}

/** The embedder, plus `dispose()` to free its models. */
export interface HumanFaceresEmbedder extends IdentityEmbedder {
  dispose(): void;
}

// The few parts of human's (untyped CommonJS) bundle that we use.
interface HumanTensor {
  dispose(): void;
}
interface HumanInstance {
  tf: {
    tensor4d(
      data: Int32Array,
      shape: [number, number, number, number],
      dtype: 'int32',
    ): HumanTensor;
    getBackend(): string;
  };
  load(): Promise<void>;
  detect(input: HumanTensor): Promise<{ face: { score: number; embedding?: number[] }[] }>;
  models: { reset?(): void };
}

function humanConfig(modelDir: string, wasmDir: string, minConfidence: number) {
  const off = { enabled: false };
  return {
    backend: 'wasm',
    wasmPath: wasmDir,
    modelBasePath: `${pathToFileURL(modelDir).href}/`,
    debug: false,
    cacheModels: false,
    // Evaluation frames are independent images: never reuse a previous frame's result.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: off,
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 1, minConfidence, skipFrames: 0, return: false },
      mesh: { enabled: true },
      description: { enabled: true, skipFrames: 0 },
      iris: off,
      emotion: off,
      antispoof: off,
      liveness: off,
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
  };
}

/** uint8-range HWC (1, 3 or 4 channels) → int32 RGB for human's input tensor. */
function toInt32Rgb(image: HwcImage): Int32Array {
  const { height, width, channels, data } = image;
  if (![1, 3, 4].includes(channels)) {
    throw new Error(`human faceres: images need 1, 3 or 4 channels, got ${channels}`);
  }
  if (data.length !== height * width * channels) {
    throw new Error(
      `human faceres: ${data.length} values for a ${height}x${width}x${channels} image`,
    );
  }
  const out = new Int32Array(height * width * 3);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) {
      out[3 * p + c] = Math.round(data[p * channels + (channels === 1 ? 0 : c)]!);
    }
  }
  return out;
}

/**
 * Loads human (BlazeFace + face mesh + faceres, wasm backend) and returns an
 * {@link IdentityEmbedder} named "human faceres". `embed` throws {@link FaceNotFoundError} for an
 * image without a detectable face (e.g. a near-profile view), which callers count as a failure.
 */
export async function humanFaceresEmbedder(
  options: HumanFaceresOptions = {},
): Promise<HumanFaceresEmbedder> {
  const minConfidence = options.minConfidence ?? 0.2;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new Error(`humanFaceresEmbedder: minConfidence must be in [0, 1], got ${minConfidence}`);
  }
  const req = nodeRequire();
  // human's package "exports" lists subpaths without "./", so resolve the main file and go from it.
  const humanDist = dirname(resolveOptional('@vladmandic/human', 'ID-SIM with human faceres'));
  const modelDir = join(humanDist, '..', 'models');
  const wasmDir = `${dirname(req.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
  const module = req(join(humanDist, 'human.node-wasm.js')) as {
    Human: new (config: unknown) => HumanInstance;
  };
  const human = new module.Human(humanConfig(modelDir, wasmDir, minConfidence));
  await withFileFetch(() => human.load());

  return {
    name: HUMAN_FACERES_NAME,
    async embed(image: HwcImage): Promise<Float32Array> {
      const input = human.tf.tensor4d(
        toInt32Rgb(image),
        [1, image.height, image.width, 3],
        'int32',
      );
      let result: Awaited<ReturnType<HumanInstance['detect']>>;
      try {
        result = await human.detect(input);
      } finally {
        input.dispose();
      }
      const face = result.face[0];
      if (!face?.embedding || face.embedding.length === 0) {
        throw new FaceNotFoundError(HUMAN_FACERES_NAME, `${image.width}x${image.height} image`);
      }
      return Float32Array.from(face.embedding);
    },
    dispose(): void {
      human.models.reset?.();
    },
  };
}
