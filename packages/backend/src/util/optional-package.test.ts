import { describe, expect, it } from 'vitest';
import { importPeer, isMissingModule, MissingPackageError } from './optional-package';

describe('importPeer', () => {
  it('names the missing package, the feature and the install command', async () => {
    const error = await importPeer('@th-absent/no-such-package', '1.2.3', 'the test feature').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingPackageError);
    expect((error as Error).message).toBe(
      'the test feature needs the npm package @th-absent/no-such-package, which is not installed: npm install @th-absent/no-such-package@1.2.3',
    );
  });

  it('returns the module when it is installed', async () => {
    const tf = await importPeer<{ version_core: string }>('@tensorflow/tfjs-core', '4.22.0', 'x');
    expect(tf.version_core).toBe('4.22.0');
  });
});

describe('isMissingModule', () => {
  it('tells the package itself missing from a missing import inside a present package', async () => {
    const own = await import(/* @vite-ignore */ '@th-absent/a' as string).catch((e: unknown) => e);
    expect(isMissingModule(own, '@th-absent/a')).toBe(true);
    // The same error seen from a package that was found but lacks its own dependency.
    expect(isMissingModule(own, '@th-absent/other')).toBe(false);
    expect(isMissingModule(new Error('boom'), '@th-absent/a')).toBe(false);
  });
});
