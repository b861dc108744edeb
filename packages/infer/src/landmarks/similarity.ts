/**
 * The 2-D least-squares similarity fit lives in @th/data (shared with @th/metrics' ArcFace
 * alignment); these re-exports keep @th/infer's public names: `applySimilarity` maps a point list
 * and `Similarity` is the {a, b, tx, ty} transform.
 */
export {
  applySimilarityToPoints as applySimilarity,
  centroid,
  fitSimilarity,
  type Similarity2D as Similarity,
  similarityParts,
} from '@th/data';
