import { openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** The installed bundled model holds inference weights only (no discriminator tensors). */
export function checkBundledModel(app) {
  const file = join(app, 'node_modules/@th/infer/assets/lsr-64.safetensors');
  const fd = openSync(file, 'r');
  const length = Buffer.alloc(8);
  readSync(fd, length, 0, 8, 0);
  const header = Buffer.alloc(Number(length.readBigUInt64LE(0)));
  readSync(fd, header, 0, header.length, 8);
  const names = Object.keys(JSON.parse(header.toString('utf8'))).filter(
    (n) => n !== '__metadata__',
  );
  const networks = [...new Set(names.map((n) => n.split('.')[0]))].sort();
  if (networks.includes('discriminator'))
    throw new Error(`${file} still holds the discriminator (${networks.join(', ')})`);
  return `${names.length} tensors of ${networks.join(', ')}`;
}
