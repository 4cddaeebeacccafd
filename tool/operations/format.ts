/**
 * Sizes for people, the way PostgreSQL's pg_size_pretty writes them (1024-based, bytes/kB/MB/GB/TB),
 * so that the figures match what psql shows.
 */
const UNITS = ['kB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (bytes < 10 * 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = -1;
  while (value >= 10 * 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Math.round(value)} ${UNITS[unit]}`;
}
