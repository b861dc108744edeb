/**
 * What one `<K>/<folder>/` of an outputs folder holds: a model setting of the FSTH protocol
 * (meta-learned, fine-tuned) or a trivial baseline that uses no model. Baselines are scored like
 * any method, so a model's numbers always sit beside what copying or averaging its K source shots
 * already achieves (docs/design.md#fsth-protocol).
 */

/** The model settings: Table 2's two column groups. */
export const SETTINGS = ['meta', 'finetuned'] as const;
export type Setting = (typeof SETTINGS)[number];

/**
 * The trivial baselines: `copy-first` outputs the first of the K source shots for every hold-out
 * frame; `source-mean` outputs the pixel-wise mean of the K shots.
 */
export const BASELINES = ['copy-first', 'source-mean'] as const;
export type Baseline = (typeof BASELINES)[number];

/** A model setting or a baseline: what a (K, folder) of outputs is. */
export type OutputsSetting = Setting | Baseline;

/** Every setting in report order: the model's first, then the baselines. */
export const OUTPUTS_SETTINGS: readonly OutputsSetting[] = [...SETTINGS, ...BASELINES];

/** Folder names of the outputs layout `<K>/<folder>/<identity>/NNNNN.png`. */
export const OUTPUT_FOLDERS: Readonly<Record<OutputsSetting, string>> = {
  meta: 'meta',
  finetuned: 'ft',
  'copy-first': 'copy-first',
  'source-mean': 'source-mean',
};

export const isBaseline = (setting: string): setting is Baseline =>
  (BASELINES as readonly string[]).includes(setting);
