import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Tfjs from '@tensorflow/tfjs';
import { fileAwareFetch } from './file-fetch.node-only';
import { nodeRequire, resolveOptional } from './node-require.node-only';

/**
 * Loads a tfjs graph model (model.json + weight shards) straight from disk, through the same
 * `file://`-aware fetch that human's models load with ({@link fileAwareFetch}): tfjs' own HTTP
 * loader reads model.json and the shards beside it, so no network and no global fetch patching.
 * A file that cannot be read is an error here (tfjs' weight loader would take a 404's text as
 * weight bytes).
 */
export async function loadGraphModelFromDisk(modelJsonPath: string): Promise<Tfjs.GraphModel> {
  // The union package brings the converter; loaded lazily so importing this file has no effect.
  const tfjs = nodeRequire()(
    resolveOptional('@tensorflow/tfjs', 'loading a tfjs graph model (MobileFace)'),
  ) as typeof Tfjs;
  const url = pathToFileURL(resolve(modelJsonPath)).href;
  const fromDisk = fileAwareFetch();
  const fetchFunc = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fromDisk(input, init);
    if (!response.ok) throw new Error(`${response.statusText}: ${await response.text()}`);
    return response;
  };
  try {
    return await tfjs.loadGraphModel(tfjs.io.http(url, { fetchFunc }));
  } catch (error) {
    throw new Error(
      `${modelJsonPath}: cannot load the tfjs graph model (${(error as Error).message})`,
    );
  }
}
