import { readFile } from 'node:fs/promises';

/**
 * Runs `fn` while the global `fetch` also answers `file://` URLs from disk. Human loads its graph
 * models through `fetch`, which in Node does not read files; serving them locally keeps the load
 * fully offline (no CDN). The original `fetch` is restored afterwards, even on error.
 */
export async function withFileFetch<T>(fn: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  const fileFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return original(input, init);
    try {
      return new Response(await readFile(new URL(url)), { status: 200 });
    } catch (error) {
      return new Response(String(error), { status: 404, statusText: `cannot read ${url}` });
    }
  };
  globalThis.fetch = fileFetch as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = original;
  }
}
