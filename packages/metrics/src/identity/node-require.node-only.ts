import { createRequire } from 'node:module';

/** A real `require` in both builds (bundlers replace a bare `require` in ESM with a stub). */
export function nodeRequire(): NodeJS.Require {
  return createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
}
