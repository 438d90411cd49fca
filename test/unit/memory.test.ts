// The memory limit a command gives DuckDB: sizes as DuckDB writes them, at least 64MB.
import { describe, expect, it } from 'vitest';
import { parseMemorySize } from '../../src/warehouse/memory.js';

describe('parseMemorySize', () => {
  it.each([
    ['512MB', 512e6],
    ['1GB', 1e9],
    ['1.5GB', 1.5e9],
    ['800MiB', 800 * 2 ** 20],
    [' 2 gib ', 2 * 2 ** 30],
    ['65536KiB', 64 * 2 ** 20],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it.each(['lots', '512', '-1GB', '1TB', '10MB', '', 'MB'])('refuses %j', (text) => {
    expect(parseMemorySize(text)).toBeNull();
  });
});
