/** Where we are running. Kept tiny and free of Node imports so the core bundles for browsers. */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export const isBrowser: boolean =
  typeof window !== 'undefined' &&
  typeof (globalThis as { document?: unknown }).document !== 'undefined';

/** Error message of anything thrown, for "why was this backend skipped" reports. */
export function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]!.slice(0, 300);
}

/**
 * `import()` of a module name that bundlers must not try to resolve at build time (optional
 * packages such as tfjs-node or webgpu that most users do not have installed).
 */
export function importOptional<T = unknown>(name: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ name) as Promise<T>;
}
