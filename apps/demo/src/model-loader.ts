/**
 * The demo's model: an @th checkpoint loaded by @th/infer without its discriminator (rendering
 * does not need it), refused above MAX_RESOLUTION before anything is allocated. A file that is
 * not a checkpoint, or whose tensors do not fit the config it declares, is refused with an error
 * that says why (the caller shows it and keeps the previous model).
 */
import { loadModel } from '@th/infer';
import type { LsrModel } from '@th/models';

export interface DemoModel {
  model: LsrModel;
  /** label for the page: file name, preset, resolution, and "UNTRAINED" when it is */
  label: string;
  untrained: boolean;
}

/** The largest resolution the demo accepts (bigger models do not run interactively in a tab). */
export const MAX_RESOLUTION = 256;

export async function loadDemoModel(bytes: Uint8Array, fileName: string): Promise<DemoModel> {
  const { model, meta } = await loadModel(bytes, {
    name: fileName,
    discriminator: false,
    maxResolution: MAX_RESOLUTION,
  });
  const untrained = meta.step === 0 || fileName.includes('untrained');
  const preset = meta.preset ?? 'custom';
  const size = model.config.resolution;
  const label = `${fileName} (${preset}, ${size}²${untrained ? ', UNTRAINED' : `, step ${meta.step}`})`;
  return { model, label, untrained };
}
