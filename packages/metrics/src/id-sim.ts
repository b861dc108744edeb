import type { HwcImage } from './image';

/**
 * A face-identity network for ID-SIM. `name` must say which network produced the embedding
 * (e.g. "VGG-Face fc8" for the LSR-comparable number, "ArcFace" for FSTH's CSIM, "MobileFace"
 * for an offline proxy), because the scores of different networks are not comparable.
 */
export interface IdentityEmbedder {
  readonly name: string;
  /**
   * `landmarks` (68 iBUG points in pixels), when given, are used to align the face instead of
   * detecting them; embedders that do not align (VGG-Face takes the whole frame) ignore them.
   */
  embed(
    image: HwcImage,
    landmarks?: readonly (readonly [number, number])[],
  ): Promise<ArrayLike<number>>;
}

/**
 * Cosine similarity a·b / (‖a‖ ‖b‖), accumulated in float64. Throws on a length mismatch and on a
 * zero vector (the similarity is undefined there; silently returning 0 would bias averages).
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new Error(`cosineSimilarity: vectors differ in length (${a.length} vs ${b.length})`);
  }
  if (a.length === 0) throw new Error('cosineSimilarity: vectors are empty');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (!Number.isFinite(dot + na + nb)) throw new Error('cosineSimilarity: vectors are not finite');
  if (na === 0 || nb === 0) throw new Error('cosineSimilarity: a vector has zero norm');
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/** Result of {@link idSim}, labelled with the embedder that produced it. */
export interface IdSimResult {
  /** e.g. "ID-SIM (VGG-Face fc8)". */
  readonly label: string;
  readonly embedder: string;
  /** Mean cosine similarity over the pairs. */
  readonly mean: number;
  readonly perPair: number[];
}

/**
 * Identity similarity (LSR "ID-SIM", FSTH "CSIM"): the mean over pairs i of
 * cos(embed(fake_i), embed(real_i)). LSR's released evaluation embeds with VGG-Face fc8 logits;
 * FSTH used ArcFace (docs/design.md#metric-id-sim, docs/design.md#id-sim-network). Pairs are
 * embedded sequentially to bound memory.
 */
export async function idSim(
  embedder: IdentityEmbedder,
  fakes: readonly HwcImage[],
  reals: readonly HwcImage[],
): Promise<IdSimResult> {
  if (fakes.length !== reals.length) {
    throw new Error(`idSim: ${fakes.length} generated images but ${reals.length} real images`);
  }
  if (fakes.length === 0) throw new Error('idSim: no image pairs given');
  const perPair: number[] = [];
  for (let i = 0; i < fakes.length; i++) {
    const fake = await embedder.embed(fakes[i]!);
    const real = await embedder.embed(reals[i]!);
    perPair.push(cosineSimilarity(fake, real));
  }
  const mean = perPair.reduce((s, v) => s + v, 0) / perPair.length;
  return { label: `ID-SIM (${embedder.name})`, embedder: embedder.name, mean, perPair };
}
