/**
 * A human-readable summary of a loaded checkpoint (what `th info` prints): preset, config, step,
 * versions, parameter counts per network and the SHA-256 verification status.
 */
import type { LoadedModel } from './load-model';

export interface ModelSummary {
  source: string;
  preset: string | null;
  resolution: number;
  step: number;
  examplesSeen: number;
  createdAt: string;
  versions: Record<string, string>;
  /** Weight tensors per stored dtype (F32, or F16 widened to float32 on load). */
  stored: Record<string, number>;
  /** Parameters per network, plus `total`. */
  parameters: Record<string, number>;
  /** The SHA-256 recorded in the file; `loadModel` has verified the tensor bytes against it. */
  sha256: string;
  config: unknown;
}

const NETWORKS = [
  'styleEncoder',
  'layoutEncoder',
  'layoutGenerator',
  'imageGenerator',
  'discriminator',
] as const;

export function summarizeModel(loaded: LoadedModel): ModelSummary {
  const { model, meta } = loaded;
  const parameters: Record<string, number> = {};
  for (const n of NETWORKS) {
    const net = model[n];
    if (net) parameters[n] = net.numParams();
  }
  parameters.total = model.numParams();
  return {
    source: loaded.source,
    preset: meta.preset,
    resolution: model.config.resolution,
    step: meta.step,
    examplesSeen: meta.examplesSeen,
    createdAt: meta.createdAt,
    versions: meta.versions,
    stored: loaded.storedDtypes,
    parameters,
    sha256: meta.dataSha256,
    config: model.config,
  };
}

/** The summary as aligned text lines. */
export function formatModelSummary(s: ModelSummary): string {
  const lines = [
    `checkpoint   ${s.source}`,
    `preset       ${s.preset ?? '(none recorded)'}`,
    `resolution   ${s.resolution}x${s.resolution}`,
    `step         ${s.step} (examples seen ${s.examplesSeen})`,
    `created      ${s.createdAt || '(unknown)'}`,
    `versions     ${
      Object.entries(s.versions)
        .map(([k, v]) => `${k}@${v}`)
        .join(', ') || '(none recorded)'
    }`,
    `stored       ${Object.entries(s.stored)
      .map(([dtype, n]) => `${dtype} (${n} tensors)`)
      .join(
        ', ',
      )}${'F16' in s.stored || 'BF16' in s.stored ? '; half precision widened to float32 on load' : ''}`,
    `sha256       ${s.sha256} (verified: tensor data matches)`,
    'parameters',
    ...Object.entries(s.parameters).map(
      ([k, v]) => `  ${k.padEnd(16)} ${v.toLocaleString('en-US').padStart(12)}`,
    ),
    `config       ${JSON.stringify(s.config)}`,
  ];
  return `${lines.join('\n')}\n`;
}
