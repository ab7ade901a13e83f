/** Bytes as people read them, in binary units as quotas are set (1 GiB, 24 MiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Used over quota as a whole percent for a progress bar: never above 100, and 1 as soon as anything is used. */
export function usedPercent(used: number, quota: number): number {
  if (quota <= 0 || used <= 0) return 0;
  return Math.min(100, Math.max(1, Math.floor((used / quota) * 100)));
}
