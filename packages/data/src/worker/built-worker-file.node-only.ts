/**
 * Node-only: where a worker-thread entry built by tsup lives (`dist/<name>.js`), seen from the
 * module asking: beside it in dist/, two levels up when it sits in a shared chunk
 * (dist/chunks/<entries>/), or in dist/ when it runs from src/ (tests run after the build).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function builtWorkerFile(name: string, from: string): string {
  for (const dir of ['./', '../../', '../../dist/']) {
    for (const ext of ['.js', '.mjs', '.cjs']) {
      const path = fileURLToPath(new URL(`${dir}${name}${ext}`, from));
      if (existsSync(path)) return path;
    }
  }
  throw new Error(`@th/data: ${name}.js not found beside the bundle (build the package first)`);
}
