import type { IdentityEmbedder } from '../id-sim';
import { FaceNotFoundError } from './face-not-found';
import type { LabelledEmbedding } from './separation';

/** Frames the embedder could not embed (no face), kept so they are reported, not dropped. */
export interface EmbedFailure {
  readonly source: string;
  readonly reason: string;
}

/**
 * Embeds labelled frames one at a time. A frame without a detectable face is recorded in
 * `failures`; any other error propagates (it is a bug or bad input, not a measurement).
 */
export async function embedLabelledFrames(
  embedder: IdentityEmbedder,
  frames: readonly { identity: string; source: string }[],
  load: (source: string) => Promise<import('../image').HwcImage>,
): Promise<{ embeddings: LabelledEmbedding[]; failures: EmbedFailure[] }> {
  const embeddings: LabelledEmbedding[] = [];
  const failures: EmbedFailure[] = [];
  for (const frame of frames) {
    try {
      const vector = await embedder.embed(await load(frame.source));
      embeddings.push({ identity: frame.identity, source: frame.source, vector });
    } catch (error) {
      if (!(error instanceof FaceNotFoundError)) throw error;
      failures.push({ source: frame.source, reason: error.message });
    }
  }
  return { embeddings, failures };
}
