/**
 * The migration lock: a session-level advisory lock, so that two deploys (or a deploy and a
 * developer) migrating the same database take turns instead of failing or applying twice.
 * It waits, bounded by lock_timeout, and uses node-pg-migrate's well-known lock id so that its
 * own CLI and ours exclude each other too.
 */
import type { Client } from 'pg';
import { UserError } from '../cli/errors';
import { formatSeconds } from '../db/errors';

/** node-pg-migrate's PG_MIGRATE_LOCK_ID (runner.ts). */
export const MIGRATION_LOCK_ID = '7241865325823964';

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Runs `fn` holding the lock; waits at most `timeoutMs` for it. */
export async function withMigrationLock<T>(client: Client, timeoutMs: number, where: string, fn: () => Promise<T>): Promise<T> {
  try {
    // lock_timeout bounds the wait; reset right after, so that it does not also cut short the
    // migrations' own statements (an ALTER TABLE may legitimately wait for the application).
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    await client.query('RESET lock_timeout');
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new UserError(
        `another migration run has held the migration lock on ${where} for more than ${formatSeconds(timeoutMs)} (lock timeout); let it finish and retry, or raise --lock-timeout`,
      );
    }
    throw error;
  }
  try {
    return await fn();
  } finally {
    // Closing the session would release it too; unlocking explicitly keeps a reused client clean.
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`).catch(() => {});
  }
}
