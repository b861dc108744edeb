import type { BackendPreference } from '@th/backend';

/**
 * The GPU backends are optional peers of @th/backend, which never imports them where a bundler
 * could see it: a bundled app imports the ones it offers before `init`, which then finds them
 * registered. tfjs-backend-webgpu registers itself only when `navigator.gpu` exists at import.
 */
export async function importGpuBackends(preference: BackendPreference): Promise<void> {
  const wants = (name: BackendPreference) => preference === 'auto' || preference === name;
  if (wants('webgpu') && 'gpu' in navigator) await import('@tensorflow/tfjs-backend-webgpu');
  if (wants('webgl')) await import('@tensorflow/tfjs-backend-webgl');
}
