import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT_FOLDERS, OUTPUTS_SETTINGS, type OutputsSetting } from '../report/settings';
import { listFsthFrames } from './frame-files.node-only';

/** One generated frame and the hold-out ground truth it is compared with. */
export interface EvalPair {
  readonly identity: string;
  readonly frame: string;
  readonly fakePath: string;
  readonly realPath: string;
}

/** All pairs of one (K, setting) of the protocol, a baseline's included. */
export interface SettingPairs {
  readonly k: number;
  readonly setting: OutputsSetting;
  readonly pairs: EvalPair[];
}

/** Outputs matched to real frames, plus each identity's sorted source ("train") frames. */
export interface OutputsLayout {
  readonly settings: SettingPairs[];
  readonly sourceFrames: ReadonlyMap<string, string[]>;
}

const SETTING_OF_FOLDER = new Map(OUTPUTS_SETTINGS.map((s) => [OUTPUT_FOLDERS[s], s]));
const FOLDER_NAMES = OUTPUTS_SETTINGS.map((s) => `"${OUTPUT_FOLDERS[s]}"`).join(', ');

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * Reads an outputs folder laid out as `<K>/<meta|ft|copy-first|source-mean>/<identity>/<NNNNN>.png`
 * (a model's settings and the trivial baselines, scored alike) and matches every
 * image with the FSTH hold-out frame `<real>/test/<identity>/<video>/**​/NNNNN_rgb.png`. Unknown
 * folder names and generated frames without a real counterpart are errors (a silently smaller
 * test set would change the numbers).
 */
export async function readOutputsLayout(
  outputsDir: string,
  realDir: string,
  ks?: readonly number[],
): Promise<OutputsLayout> {
  const realFrames = await listFsthFrames(realDir);
  const testByKey = new Map<string, string>();
  const sourceFrames = new Map<string, string[]>();
  for (const f of realFrames) {
    if (f.split === 'test') testByKey.set(`${f.identity}/${f.frame}`, f.path);
    if (f.split === 'train')
      sourceFrames.set(f.identity, [...(sourceFrames.get(f.identity) ?? []), f.path]);
  }
  if (testByKey.size === 0)
    throw new Error(`${realDir}: no test/<identity>/**/NNNNN_rgb.png frames`);
  const settings: SettingPairs[] = [];
  for (const kName of await subdirs(outputsDir).catch((e: Error) => {
    throw new Error(`${outputsDir}: cannot read outputs folder (${e.message})`);
  })) {
    const k = Number(kName);
    if (!/^\d+$/.test(kName) || k < 1)
      throw new Error(`${join(outputsDir, kName)}: expected a K folder (1, 4, 8, 32)`);
    if (ks && !ks.includes(k)) continue;
    for (const settingName of await subdirs(join(outputsDir, kName))) {
      const setting = SETTING_OF_FOLDER.get(settingName);
      if (!setting)
        throw new Error(`${join(outputsDir, kName, settingName)}: expected one of ${FOLDER_NAMES}`);
      const pairs: EvalPair[] = [];
      for (const identity of await subdirs(join(outputsDir, kName, settingName))) {
        const dir = join(outputsDir, kName, settingName, identity);
        const names = (await readdir(dir)).filter((n) => /^\d+\.png$/.test(n)).sort();
        for (const name of names) {
          const frame = name.replace(/\.png$/, '');
          const realPath = testByKey.get(`${identity}/${frame}`);
          if (!realPath) {
            throw new Error(
              `${join(dir, name)}: no real frame test/${identity}/**/${frame}_rgb.png in ${realDir}`,
            );
          }
          pairs.push({ identity, frame, fakePath: join(dir, name), realPath });
        }
      }
      if (pairs.length === 0)
        throw new Error(`${join(outputsDir, kName, settingName)}: no NNNNN.png outputs`);
      settings.push({ k, setting, pairs });
    }
  }
  if (settings.length === 0)
    throw new Error(`${outputsDir}: no <K>/<meta|ft|copy-first|source-mean>/ folders with outputs`);
  // Per K: the model's settings, then the baselines beside them.
  const rank = (s: OutputsSetting) => OUTPUTS_SETTINGS.indexOf(s);
  settings.sort((a, b) => a.k - b.k || rank(a.setting) - rank(b.setting));
  return { settings, sourceFrames };
}
