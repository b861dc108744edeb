import { cosineSimilarity } from '../id-sim';
import { type SummaryStats, summaryStats } from './summary-stats';

/** One embedded frame and the identity it belongs to. */
export interface LabelledEmbedding {
  readonly identity: string;
  readonly source: string;
  readonly vector: ArrayLike<number>;
}

/** Cosine similarities of every unordered frame pair, split by same / different identity. */
export interface IdentitySeparation {
  readonly same: SummaryStats;
  readonly different: SummaryStats;
  /** same.mean − different.mean */
  readonly meanGap: number;
  /** same.min − different.max: positive means a threshold separates every pair. */
  readonly worstCaseGap: number;
  readonly sameScores: number[];
  readonly differentScores: number[];
}

/**
 * How well an identity embedder separates people: cos(e_i, e_j) over all pairs i < j, grouped by
 * whether the two frames show the same identity. This is the acceptance check for an ID-SIM
 * backend: same-identity pairs must score clearly above different-identity pairs.
 */
export function identitySeparation(embeddings: readonly LabelledEmbedding[]): IdentitySeparation {
  const sameScores: number[] = [];
  const differentScores: number[] = [];
  for (let i = 0; i < embeddings.length; i++) {
    for (let j = i + 1; j < embeddings.length; j++) {
      const a = embeddings[i]!;
      const b = embeddings[j]!;
      const score = cosineSimilarity(a.vector, b.vector);
      (a.identity === b.identity ? sameScores : differentScores).push(score);
    }
  }
  if (sameScores.length === 0) throw new Error('identitySeparation: no same-identity pairs');
  if (differentScores.length === 0) {
    throw new Error('identitySeparation: no different-identity pairs (need ≥ 2 identities)');
  }
  const same = summaryStats(sameScores);
  const different = summaryStats(differentScores);
  return {
    same,
    different,
    meanGap: same.mean - different.mean,
    worstCaseGap: same.min - different.max,
    sameScores,
    differentScores,
  };
}
