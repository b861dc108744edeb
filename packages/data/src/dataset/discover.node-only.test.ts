import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverUnits } from './discover.node-only';
import { tempDir } from './test-fixtures.node-only';

/** A frame folder with two (empty) frame files: discovery looks at names only. */
async function frameFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '00000_rgb.png'), '');
  await writeFile(join(dir, '00001_rgb.png'), '');
}

describe('discoverUnits', () => {
  it('follows symbolic links to identity folders, once each, and ignores broken ones', async () => {
    const store = await tempDir('discover-store-');
    await frameFolder(join(store, 'frames', 'train', 'idA', 'v1'));
    await frameFolder(join(store, 'frames', 'test', 'idA', 'v2'));
    await frameFolder(join(store, 'frames', 'train', 'idB', 'v3'));
    await mkdir(join(store, 'videos', 'idA', 'v4'), { recursive: true });
    await writeFile(join(store, 'videos', 'idA', 'v4', '00001.mp4'), '');

    // A selection of one identity, made of links only.
    const pick = await tempDir('discover-pick-');
    await mkdir(join(pick, 'frames', 'train'), { recursive: true });
    await mkdir(join(pick, 'frames', 'test'), { recursive: true });
    await symlink(join(store, 'frames', 'train', 'idA'), join(pick, 'frames', 'train', 'idA'));
    await symlink(join(store, 'frames', 'test', 'idA'), join(pick, 'frames', 'test', 'idA'));
    await symlink(join(store, 'videos'), join(pick, 'videos'));
    // The same folder again under another name, a link back up (a cycle), and a broken link.
    await symlink(join(store, 'frames', 'train', 'idA'), join(pick, 'frames', 'train', 'again'));
    await symlink(join(pick, 'frames'), join(pick, 'frames', 'test', 'loop'));
    await symlink(join(store, 'missing'), join(pick, 'frames', 'train', 'gone'));

    const units = await discoverUnits(pick);
    expect(units.map((u) => [u.key, u.kind, u.split])).toEqual([
      ['frames/test/idA/v2', 'frames', 'test'],
      ['frames/train/again/v1', 'frames', 'train'],
      ['videos/idA/v4/00001', 'video', ''],
    ]);
  });
});
