// The feature networks (VGG19, VGG-Face, the random proxy) live in @th/features, below both their
// users (these losses and @th/metrics). This module keeps the loop's and losses' imports local.
export type { FeatureNetwork } from '@th/features';
export { layerIndex } from '@th/features';
