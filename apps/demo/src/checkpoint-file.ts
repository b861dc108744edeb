import inferPackage from '@th/infer/package.json';
import assets from './assets.json';

/**
 * The checkpoint file the page loads from `models/`: `checkpoint` in src/assets.json, where
 * "bundled" means @th/infer's bundled model under its own name (`bundledModel` in @th/infer's
 * package.json, the one place that names it; scripts/prepare-assets.mjs copies it there).
 */
export const CHECKPOINT_FILE: string =
  assets.checkpoint === 'bundled' ? `${inferPackage.bundledModel}.safetensors` : assets.checkpoint;
