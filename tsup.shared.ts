import type { Options } from 'tsup';

/** Build settings shared by every @th package: ESM + CJS + .d.ts, one bundle per entry. */
export function libraryBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    ...extra,
  };
}
