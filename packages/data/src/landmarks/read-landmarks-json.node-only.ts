/**
 * Node-only: read user-supplied landmarks from JSON. Accepted shapes: `[[x,y], …68]` or
 * `{"landmarks": [[x,y], …68]}` (pixel coordinates, pixel centres at integers).
 */
import { readFile } from 'node:fs/promises';
import { type Landmarks68, validateLandmarks } from './landmarks';

/** Parse landmark JSON text; `source` names the file in errors. */
export function parseLandmarksJson(text: string, source: string): Landmarks68 {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const points =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as { landmarks?: unknown }).landmarks
      : parsed;
  return validateLandmarks(points, source);
}

/** Read and validate a landmark JSON file. */
export async function readLandmarksJson(path: string): Promise<Landmarks68> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read landmark file: ${(e as Error).message}`);
  }
  return parseLandmarksJson(text, path);
}
