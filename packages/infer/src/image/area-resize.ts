/**
 * Area resampling (uint8 RGB in and out) lives in @th/data (`image/resize-area.ts`), shared by
 * every package; re-exported here so the core's image helpers keep one import site.
 */
export { resizeArea } from '@th/data';
