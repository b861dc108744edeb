import { defineConfig } from 'vite';

// Relative base: the built app works from any path on its own origin; all assets are local.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      // tfjs-core is both imported and lazily imported by @th/backend's loaders: harmless here.
      onwarn(warning, warn) {
        if (warning.message.includes('dynamic import will not move module')) return;
        warn(warning);
      },
    },
  },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  preview: { host: '127.0.0.1' },
});
