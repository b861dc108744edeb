import { readFile } from 'node:fs/promises';

/**
 * A `fetch` that answers `file://` URLs from disk and hands every other URL to `fallback`. tfjs
 * and human load graph models through `fetch`, which in Node does not read files; serving them
 * locally keeps every model load fully offline (no CDN). A missing file answers 404.
 */
export function fileAwareFetch(fallback: typeof fetch = globalThis.fetch): typeof fetch {
  const fileFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return fallback(input, init);
    try {
      return new Response(await readFile(new URL(url)), { status: 200 });
    } catch (error) {
      return new Response(String(error), { status: 404, statusText: `cannot read ${url}` });
    }
  };
  return fileFetch as typeof fetch;
}

/**
 * Runs `fn` while the global `fetch` is {@link fileAwareFetch} (for libraries such as human that
 * call the global one). The original `fetch` is restored afterwards, even on error.
 */
export async function withFileFetch<T>(fn: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = fileAwareFetch(original);
  try {
    return await fn();
  } finally {
    globalThis.fetch = original;
  }
}
