/**
 * How figures and messages are written for people, the same in every command. Base layer:
 * imports nothing of ours.
 */

/** Receives each output line (stdout or stderr in the CLI). */
export type Say = (line: string) => void;

/** Any run of white space (newlines included) as one space: messages are one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A bound or a wait: "60 s", "0.3 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** An elapsed time: "85 ms", "1.25 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** The first `max` items joined, and how many more: a message stays one readable line. */
export function shortList(items: string[], max = 5, separator = ', '): string {
  return items.length > max ? `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more` : items.join(separator);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const UNITS = ['kB', 'MB', 'GB', 'TB'];

/** Sizes the way PostgreSQL's pg_size_pretty writes them (1024-based), so figures match psql. */
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
