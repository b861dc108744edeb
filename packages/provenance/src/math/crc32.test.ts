import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { utf8 } from './sha256';

describe('crc32', () => {
  it('gives the standard check value and the CRC of a PNG IEND chunk', () => {
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
    expect(crc32(utf8('IEND'))).toBe(0xae426082);
  });
});
