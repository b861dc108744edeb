import { readWeightsFile } from '../lpips/load-lpips.node-only';
import { type FidInceptionNetwork, fidInceptionFromSafetensors } from './fid-inception';

/** The FID Inception-v3 from a safetensors file; see `NETWORK_WEIGHTS.fid`. */
export async function loadFidInception(file: string): Promise<FidInceptionNetwork> {
  return fidInceptionFromSafetensors(await readWeightsFile('fid', file), file);
}
