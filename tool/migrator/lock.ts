/**
 * The migration lock, node-pg-migrate's well-known advisory lock id, so that its own CLI and ours
 * exclude each other too. Two ways to hold it, one wait:
 * - withMigrationLock: session level, for `migrate up`/`down`, so that two deploys (or a deploy
 *   and a developer) migrating the same database take turns instead of failing or applying twice;
 * - lockForTransaction: transaction level, for `migrate plan` and `migrate adopt`, released by
 *   COMMIT or ROLLBACK, so nothing can be left locked when the command ends, however it ends.
 * Both wait, bounded by lock_timeout, say on stderr who they wait for, and turn a timeout into
 * one line naming the holder.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { BLOCKER_COLUMNS, describeBlockers, isMigrationRun, watchLockWait, type Blocker } from '../db/blockers';
import { formatSeconds, type Say } from '../base/text';

/** node-pg-migrate's PG_MIGRATE_LOCK_ID (runner.ts). */
export const MIGRATION_LOCK_ID = '7241865325823964';

/** The sessions holding the migration lock in this database (advisory locks are per database):
 * pg_locks shows a bigint advisory key as its high (classid) and low (objid) 32 bits. */
const HOLDERS_SQL = `SELECT ${BLOCKER_COLUMNS}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = (${MIGRATION_LOCK_ID}::bigint >> 32)::oid AND l.objid = (${MIGRATION_LOCK_ID}::bigint & 4294967295)::oid
  ORDER BY a.pid`;

export async function migrationLockHolders(db: Pick<Client, 'query'>): Promise<Blocker[]> {
  return (await db.query<Blocker>(HOLDERS_SQL)).rows;
}

/** "another migration run (pid …)" or the application session that took node-pg-migrate's id. */
export function describeLockHolders(holders: Blocker[]): string {
  if (holders.length === 0) return 'another session (gone by now)';
  const what = holders.every(isMigrationRun) ? 'another migration run' : 'a session that is not a migration run';
  return `${what}, ${describeBlockers(holders)}`;
}

function lockTimeoutSql(timeoutMs: number, local: boolean): string {
  return `SET ${local ? 'LOCAL ' : ''}lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`;
}

export interface LockWait {
  target: DatabaseTarget;
  timeoutMs: number;
  /** Progress on stderr: who the wait is for, once it has lasted a second. */
  warn: Say;
  /** Advice at the end of the timeout message. */
  advice: string;
}

/** Runs `lockSql` under the lock_timeout already set; a timeout names whoever holds the lock. */
async function waitForLock(client: Client, lockSql: string, wait: LockWait): Promise<void> {
  try {
    // A wait of a second or two needs no progress line: its timeout names the holder anyway.
    if (wait.timeoutMs <= 2000) await client.query(lockSql);
    else {
      await watchLockWait(
        wait.target,
        client,
        () => client.query(lockSql),
        (holders) =>
          wait.warn(
            `waiting for the migration lock on ${wait.target.label} (up to ${formatSeconds(wait.timeoutMs)}), held by ${describeLockHolders(holders)}`,
          ),
      );
    }
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    // Still in the session (outside a transaction) or rolled back below: ask who holds it now.
    if (lockSql.includes('xact')) await client.query('ROLLBACK').catch(() => {});
    const holders = await migrationLockHolders(client).catch(() => []);
    throw new UserError(
      `the migration lock on ${wait.target.label} was held for more than ${formatSeconds(wait.timeoutMs)} (lock timeout) by ${describeLockHolders(holders)}; ${wait.advice}`,
    );
  }
}

/** Runs `fn` holding the lock; waits at most `wait.timeoutMs` for it. */
export async function withMigrationLock<T>(client: Client, wait: Omit<LockWait, 'advice'>, fn: () => Promise<T>): Promise<T> {
  // lock_timeout bounds the wait; reset right after: each migration sets its own bounds.
  await client.query(lockTimeoutSql(wait.timeoutMs, false));
  await waitForLock(client, `SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`, {
    ...wait,
    advice: 'let it finish and retry, or raise --lock-timeout',
  });
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
export async function lockForTransaction(client: Client, wait: Omit<LockWait, 'advice'>): Promise<void> {
  await client.query(lockTimeoutSql(wait.timeoutMs, true));
  await waitForLock(client, `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`, {
    ...wait,
    advice: 'retry when it is done (or raise --lock-timeout)',
  });
}
