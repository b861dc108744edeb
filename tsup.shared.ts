import type { Options } from 'tsup';

/**
 * Build settings shared by every @th package: ESM + CJS + .d.ts, one bundle per entry.
 *
 * tsup builds the configs of one package in parallel into the same dist/. Shared chunks are
 * therefore named after the config's entries (`chunks/<entries>/…`), so that two configs can never
 * write the same chunk file at the same time (which once left a corrupted chunk behind).
 */
export function libraryBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  const { esbuildOptions, ...rest } = extra;
  const chunkDir = `chunks/${Object.keys(entry).join('-')}`;
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
    ...rest,
    esbuildOptions(options, context) {
      options.chunkNames = `${chunkDir}/[name]-[hash]`;
      esbuildOptions?.(options, context);
    },
  };
}
