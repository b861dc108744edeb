/** `th --version`: the name and version of the installed @th/infer, from its package.json. */
import { createRequire } from 'node:module';

export function versionLine(): string {
  const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  const { name, version } = req('@th/infer/package.json') as { name: string; version: string };
  return `${name} ${version}`;
}
