import { importOptional, isNode } from './environment';

/**
 * Read a file's bytes from a path or URL. In Node, plain paths and `file://` URLs are read from
 * disk (tfjs' own `fetch`-based loaders cannot read `file://`); everything else goes through
 * `fetch`. Errors name the location.
 */
export async function loadBytes(location: string | URL): Promise<Uint8Array> {
  const loc = location.toString();
  const isFileUrl = loc.startsWith('file://');
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(loc);
  if (isNode && (isFileUrl || !looksLikeUrl)) {
    const fs = await importOptional<typeof import('node:fs/promises')>('node:fs/promises');
    const url = await importOptional<typeof import('node:url')>('node:url');
    const path = isFileUrl ? url.fileURLToPath(loc) : loc;
    try {
      const buf = await fs.readFile(path);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new Error(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
  }
  const res = await fetch(loc);
  if (!res.ok) throw new Error(`cannot fetch ${loc}: HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Read and parse a JSON file from a path or URL; a parse error names the location. */
export async function loadJson<T = unknown>(location: string | URL): Promise<T> {
  const bytes = await loadBytes(location);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (err) {
    throw new Error(`${location.toString()}: invalid JSON (${(err as Error).message})`);
  }
}
