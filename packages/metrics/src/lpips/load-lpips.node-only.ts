import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MissingWeightsError, type NetworkMetric } from '../networks';
import { type LpipsNetwork, lpipsFromSafetensors } from './lpips';

/**
 * Reads a user-supplied weights file. A missing or unreadable file gives an error naming the
 * path and, through {@link MissingWeightsError}'s text, what file to supply and how to make it.
 */
export async function readWeightsFile(metric: NetworkMetric, file: string): Promise<Uint8Array> {
  if (file.trim() === '') throw new MissingWeightsError(metric);
  try {
    return new Uint8Array(await readFile(resolve(file)));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `${file}: cannot read the ${metric.toUpperCase()} weights file (${reason}). ` +
        new MissingWeightsError(metric).message,
    );
  }
}

/** LPIPS v0.1 (alex, lin) from a safetensors file; see `NETWORK_WEIGHTS.lpips`. */
export async function loadLpips(file: string): Promise<LpipsNetwork> {
  return lpipsFromSafetensors(await readWeightsFile('lpips', file), file);
}
