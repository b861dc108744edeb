import { importOptional, isNode } from './environment';

/**
 * An optional package that a feature needs and that is not installed. The message names the
 * package, the feature and the command that installs it.
 */
export class MissingPackageError extends Error {
  constructor(
    readonly packageName: string,
    readonly version: string,
    readonly feature: string,
  ) {
    super(
      `${feature} needs the npm package ${packageName}, which is not installed: npm install ${packageName}@${version}`,
    );
    this.name = 'MissingPackageError';
  }
}

/** Whether `err` says that `name` itself (not one of its own imports) could not be found. */
export function isMissingModule(err: unknown, name: string): boolean {
  const { code, message } = err as { code?: string; message?: string };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Node names the missing specifier in quotes (the package or a file in it); a package that is
  // present but lacks one of its own dependencies names that dependency instead.
  return (
    typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`'${name}/`))
  );
}

/**
 * Import an optional peer package at run time. Bundlers must not try to resolve it (most users do
 * not have it), so the specifier is hidden from them; in Node it resolves from node_modules. When
 * it is missing the error names the package and the feature that needs it. In a browser without
 * an import map the specifier cannot resolve: the app imports the package itself (see README).
 */
export async function importPeer<T = unknown>(
  name: string,
  version: string,
  feature: string,
): Promise<T> {
  try {
    return await importOptional<T>(name);
  } catch (err) {
    if (isMissingModule(err, name)) throw new MissingPackageError(name, version, feature);
    if (!isNode) {
      throw new Error(
        `${feature} needs ${name}@${version}: install it and import it in your app before init() (a bundler cannot see optional imports)`,
      );
    }
    throw err;
  }
}
