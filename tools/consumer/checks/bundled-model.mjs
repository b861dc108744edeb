import { openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The installed bundled model (named by `bundledModel` in the installed @th/infer's package.json)
 * holds inference weights only (no discriminator, no optimiser tensors).
 */
export function checkBundledModel(app) {
  const infer = join(app, 'node_modules/@th/infer');
  const { bundledModel } = JSON.parse(readFileSync(join(infer, 'package.json'), 'utf8'));
  const file = join(infer, 'assets', `${bundledModel}.safetensors`);
  const fd = openSync(file, 'r');
  const length = Buffer.alloc(8);
  readSync(fd, length, 0, 8, 0);
  const header = Buffer.alloc(Number(length.readBigUInt64LE(0)));
  readSync(fd, header, 0, header.length, 8);
  const names = Object.keys(JSON.parse(header.toString('utf8'))).filter(
    (n) => n !== '__metadata__',
  );
  const networks = [...new Set(names.map((n) => n.split('.')[0]))].sort();
  if (networks.includes('discriminator') || networks.includes('optim'))
    throw new Error(`${file} holds more than inference weights (${networks.join(', ')})`);
  return `${names.length} tensors of ${networks.join(', ')}`;
}
