import { describe, expect, it } from 'vitest';
import { formatBytes, usedPercent } from './usage';

describe('formatBytes', () => {
  it('uses binary units, as the quota is set', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(24 * 1024 * 1024)).toBe('24 MiB');
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
  });
});

describe('usedPercent', () => {
  it('shows any use, caps at 100 and survives an empty quota', () => {
    expect(usedPercent(0, 100)).toBe(0);
    expect(usedPercent(1, 1024 ** 3)).toBe(1);
    expect(usedPercent(50, 100)).toBe(50);
    expect(usedPercent(150, 100)).toBe(100);
    expect(usedPercent(5, 0)).toBe(0);
  });
});
