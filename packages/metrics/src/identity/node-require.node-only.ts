import { createRequire } from 'node:module';

/** A real `require` in both builds (bundlers replace a bare `require` in ESM with a stub). */
export function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}

/**
 * Resolve an optional peer dependency (human, the tfjs union package), loaded only when the metric
 * that needs it runs; a missing one is an error that says what to install and what for.
 */
export function resolveOptional(name: string, purpose: string): string {
  try {
    return nodeRequire().resolve(name);
  } catch {
    throw new Error(
      `${purpose} needs the optional package ${name}; install it next to @th/metrics (npm install ${name}), or pick another embedder`,
    );
  }
}
