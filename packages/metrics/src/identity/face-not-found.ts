/**
 * Thrown by a face-dependent metric backend (identity embedder, landmark detector wrapper) when the
 * image contains no detectable face. Evaluation code catches it and counts the frame as a failure
 * instead of silently dropping it or scoring it 0.
 */
export class FaceNotFoundError extends Error {
  readonly backend: string;
  constructor(backend: string, detail = '') {
    super(`${backend}: no face detected${detail ? ` (${detail})` : ''}`);
    this.name = 'FaceNotFoundError';
    this.backend = backend;
  }
}
