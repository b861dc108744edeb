import { init } from '@th/backend';
import { loadLpips } from '../lpips/load-lpips.node-only';
import type { LpipsNetwork } from '../lpips/lpips';
import { MissingWeightsError, type NetworkWeightFiles } from '../networks';
import type { FidInceptionNetwork } from './fid-inception';
import { loadFidInception } from './load-fid-inception.node-only';

/** The network metrics th-eval can run, and why the others cannot. */
export interface NetworkMetrics {
  readonly lpips?: LpipsNetwork;
  readonly fid?: FidInceptionNetwork;
  /** MissingWeightsError text for each metric whose weights were not given. */
  readonly notRun: { lpips?: string; fid?: string };
  dispose(): void;
}

/**
 * Loads LPIPS / FID from the user's safetensors files (a bad file fails here, before any frame is
 * read); a metric without a file is reported as not run, with the text saying what to supply.
 * Starts a tfjs backend (`backend`, default auto) only when a network is requested.
 */
export async function loadNetworkMetrics(
  files: NetworkWeightFiles,
  options: { backend?: string; log?: (line: string) => void } = {},
): Promise<NetworkMetrics> {
  const notRun: { lpips?: string; fid?: string } = {};
  const given = (f: string | undefined) => f !== undefined && f.trim() !== '';
  if (!given(files.lpipsWeights)) notRun.lpips = new MissingWeightsError('lpips').message;
  if (!given(files.fidWeights)) notRun.fid = new MissingWeightsError('fid').message;
  if (!notRun.lpips || !notRun.fid) {
    const report = await init({ backend: (options.backend ?? 'auto') as 'auto' });
    options.log?.(`th-eval: LPIPS/FID networks run on the tfjs ${report.backend} backend`);
  }
  const lpips = notRun.lpips ? undefined : await loadLpips(files.lpipsWeights!);
  let fid: FidInceptionNetwork | undefined;
  try {
    fid = notRun.fid ? undefined : await loadFidInception(files.fidWeights!);
  } catch (error) {
    lpips?.dispose(); // do not strand LPIPS' weights when the FID file is bad
    throw error;
  }
  return {
    ...(lpips ? { lpips } : {}),
    ...(fid ? { fid } : {}),
    notRun,
    dispose() {
      lpips?.dispose();
      fid?.dispose();
    },
  };
}
