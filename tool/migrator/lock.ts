/**
 * The migration lock, node-pg-migrate's well-known advisory lock id, so that its own CLI and ours
 * exclude each other too. Two ways to hold it, one wait:
 * - withMigrationLock: session level, for `migrate up`/`down`, so that two deploys (or a deploy
 *   and a developer) migrating the same database take turns instead of failing or applying twice;
 * - lockForTransaction: transaction level, for `migrate plan` and `migrate adopt`, released by
 *   COMMIT or ROLLBACK, so nothing can be left locked when the command ends, however it ends.
 * Both wait, bounded by lock_timeout, and turn a timeout into one line.
 */
import type { Client } from 'pg';
import { UserError } from '../cli/errors';
import { formatSeconds } from '../db/errors';

/** node-pg-migrate's PG_MIGRATE_LOCK_ID (runner.ts). */
export const MIGRATION_LOCK_ID = '7241865325823964';

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

function lockTimeoutSql(timeoutMs: number, local: boolean): string {
  return `SET ${local ? 'LOCAL ' : ''}lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`;
}

/** Runs `lockSql` under the lock_timeout already set; a timeout becomes `timeoutMessage`. */
async function waitForLock(client: Client, lockSql: string, timeoutMessage: string): Promise<void> {
  try {
    await client.query(lockSql);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw new UserError(timeoutMessage);
    throw error;
  }
}

/** Runs `fn` holding the lock; waits at most `timeoutMs` for it. */
export async function withMigrationLock<T>(client: Client, timeoutMs: number, where: string, fn: () => Promise<T>): Promise<T> {
  // lock_timeout bounds the wait; reset right after, so that it does not also cut short the
  // migrations' own statements (an ALTER TABLE may legitimately wait for the application).
  await client.query(lockTimeoutSql(timeoutMs, false));
  await waitForLock(
    client,
    `SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`,
    `another migration run has held the migration lock on ${where} for more than ${formatSeconds(timeoutMs)} (lock timeout); let it finish and retry, or raise --lock-timeout`,
  );
  await client.query('RESET lock_timeout');
  try {
    return await fn();
  } finally {
    // Closing the session would release it too; unlocking explicitly keeps a reused client clean.
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`).catch(() => {});
  }
}

/**
 * Takes the lock for the current transaction: call right after BEGIN. lock_timeout (SET LOCAL:
 * this transaction only) bounds this wait and every later one in the transaction.
 */
export async function lockForTransaction(client: Client, timeoutMs: number, where: string): Promise<void> {
  await client.query(lockTimeoutSql(timeoutMs, true));
  await waitForLock(
    client,
    `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`,
    `a migration run on ${where} held the migration lock for more than ${formatSeconds(timeoutMs)}; retry when it is done (or raise --lock-timeout)`,
  );
}
