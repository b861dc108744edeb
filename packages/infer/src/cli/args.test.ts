import { describe, expect, it } from 'vitest';
import { formatFrameList } from '../node/detect-driver.node-only';
import { outputKind, panelsPath } from '../node/frame-writers.node-only';
import { intOption, parseArgs, UsageError } from './args';

const spec = {
  source: { kind: 'list' },
  out: { kind: 'value' },
  k: { kind: 'value' },
  panels: { kind: 'flag' },
} as const;

describe('parseArgs', () => {
  it('reads lists up to the next option, values, flags and --name=value', () => {
    const p = parseArgs(
      ['--source', 'a.png', 'b.png', '--panels', '--out=x.mp4', '--k', '2'],
      spec,
    );
    expect(p.lists.get('source')).toEqual(['a.png', 'b.png']);
    expect(p.flags.has('panels')).toBe(true);
    expect(p.values.get('out')).toBe('x.mp4');
    expect(intOption(p, 'k')).toBe(2);
  });

  it('names the option in every usage error', () => {
    expect(() => parseArgs(['--nope'], spec)).toThrow(new UsageError('unknown option --nope'));
    expect(() => parseArgs(['--out'], spec)).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--source', '--panels'], spec)).toThrow(
      /--source needs at least one value/,
    );
    expect(() => intOption(parseArgs(['--k', '0'], spec), 'k')).toThrow(
      /--k must be a positive integer, got "0"/,
    );
  });
});

describe('output naming and frame lists', () => {
  it('picks the writer from the extension and names the panels file', () => {
    expect(outputKind('a/out.mp4')).toBe('mp4');
    expect(outputKind('a/out.GIF')).toBe('gif');
    expect(outputKind('a/frames/')).toBe('frames');
    expect(() => outputKind('out.avi')).toThrow(/unknown output type "\.avi"/);
    expect(panelsPath('a/out.mp4')).toBe('a/out.panels.mp4');
  });

  it('folds consecutive frame indices into ranges', () => {
    expect(formatFrameList([2, 3, 4, 9, 11, 12])).toBe('2-4, 9, 11-12');
    expect(formatFrameList([])).toBe('');
  });
});
