import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The install-size budgets (MB = 10^6 bytes of file contents). */
export const BUDGETS = { models: 80e6, infer: 200e6 };

/**
 * What an install puts on disk: the apparent size of every file under node_modules (symbolic
 * links not followed) and the number of packages in it.
 */
export function installedSize(projectDir) {
  let bytes = 0;
  let packages = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === '.bin' || entry.name === '.cache') continue;
        walk(path);
      } else if (entry.isFile()) {
        bytes += lstatSync(path).size;
        if (entry.name === 'package.json' && /node_modules[\\/](@[^\\/]+[\\/])?[^\\/@]+$/.test(dir))
          packages++;
      }
    }
  };
  walk(join(projectDir, 'node_modules'));
  return { bytes, packages };
}
