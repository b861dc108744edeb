/**
 * Load an LSR checkpoint (safetensors, @th/models format) into a generator-only LsrModel.
 * A file that is not a checkpoint, or whose tensors do not fit the config it declares, is
 * refused with an error that says why (the caller shows it and keeps the previous model).
 */
import { rawToTensor } from '@th/backend';
import {
  assertMatch,
  decodeCheckpoint,
  LsrModel,
  matchState,
  resolveConfig,
  validateConfig,
} from '@th/models';

export interface LoadedModel {
  model: LsrModel;
  /** label for the page: file name, preset, resolution, and "untrained" when it is */
  label: string;
  untrained: boolean;
}

/** The largest resolution the demo accepts (bigger models do not run interactively in a tab). */
export const MAX_RESOLUTION = 256;

export async function loadModel(bytes: Uint8Array, fileName: string): Promise<LoadedModel> {
  const { meta, tensors } = await decodeCheckpoint(bytes, fileName);
  let config: ReturnType<typeof resolveConfig>;
  try {
    config = resolveConfig(meta.config as Parameters<typeof resolveConfig>[0]);
    validateConfig(config);
  } catch (err) {
    throw new Error(`${fileName}: its model config is not usable: ${(err as Error).message}`);
  }
  if (config.resolution > MAX_RESOLUTION) {
    throw new Error(
      `${fileName}: resolution ${config.resolution} is larger than this demo runs (max ${MAX_RESOLUTION})`,
    );
  }
  const model = new LsrModel(config, { discriminator: false, checkRange: false });
  // Parameters have shapes before they have values (stateDict() needs values).
  const expected = Object.fromEntries(
    model.namedParameters().map(([k, p]) => [k, { shape: p.shape, dtype: 'float32' }]),
  );
  // The discriminator is not needed to render: tolerate it in the file, require everything else.
  const report = matchState(expected, tensors, { allowUnexpected: true });
  try {
    assertMatch(report, { allowUnexpected: true }, fileName);
  } catch (err) {
    model.dispose();
    throw new Error(`checkpoint does not fit: ${(err as Error).message}`);
  }
  const values = Object.fromEntries(
    report.matched.map((n) => [n, rawToTensor(tensors.get(n)!, n)]),
  );
  try {
    model.loadStateDict(values, { strict: false });
  } finally {
    // the variables hold their own references; these copies are ours to free
    for (const t of Object.values(values)) t.dispose();
  }
  const untrained = meta.step === 0 || fileName.includes('untrained');
  const preset = meta.preset ?? 'custom';
  const label = `${fileName} (${preset}, ${config.resolution}²${untrained ? ', UNTRAINED' : `, step ${meta.step}`})`;
  return { model, label, untrained };
}
