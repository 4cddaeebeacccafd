/**
 * The migration lock, node-pg-migrate's well-known advisory lock id, so that its own CLI and ours
 * exclude each other too. Two ways to hold it, one wait:
 * - withMigrationLock: session level, for `migrate up`/`down` and the repairs, so that two deploys
 *   (or a deploy and a developer) migrating the same database take turns instead of failing or
 *   applying twice;
 * - beginWithMigrationLock: transaction level, for `migrate plan` and `migrate adopt`, released by
 *   COMMIT or ROLLBACK, so nothing can be left locked when the command ends, however it ends.
 *
 * The wait holds nothing: it TRIES the lock (pg_try_advisory_lock) and, while another session has
 * it, sleeps with its session idle, outside any statement and transaction. A waiter blocked inside
 * pg_advisory_lock would hold a snapshot, and the holder's CREATE INDEX CONCURRENTLY waits for
 * every older snapshot to go: PostgreSQL then calls it a deadlock and fails one of them. The wait
 * is bounded (--lock-timeout), says on stderr who it waits for, and a timeout names the holder.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { BLOCKER_COLUMNS, describeBlockers, isMigrationRun, type Blocker } from '../db/blockers';
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

export interface LockWait {
  target: DatabaseTarget;
  timeoutMs: number;
  /** Progress on stderr: who the wait is for, once it has lasted a second. */
  warn: Say;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Between tries: short at first (a run that is just ending), then at most this, jittered so that
 * several waiters do not try in step. */
const MAX_POLL_MS = 250;

/**
 * Tries `attempt` until it takes the lock, idle in between (see above); at most `wait.timeoutMs`.
 * After a second (when the bound is longer than two) it says who holds the lock, and again when
 * that changes; a timeout is one line naming the holder, ending with `advice`.
 */
async function waitForLock(client: Client, attempt: () => Promise<boolean>, wait: LockWait, advice: string): Promise<void> {
  const started = performance.now();
  let delay = 10;
  let seen = '';
  let lastLook = 0;
  for (;;) {
    if (await attempt()) return;
    const elapsed = performance.now() - started;
    if (elapsed >= wait.timeoutMs) {
      const holders = await migrationLockHolders(client).catch(() => []);
      throw new UserError(
        `the migration lock on ${wait.target.label} was held for more than ${formatSeconds(wait.timeoutMs)} (lock timeout) by ${describeLockHolders(holders)}; ${advice}`,
      );
    }
    // A wait of a second or two needs no progress line: its timeout names the holder anyway.
    if (wait.timeoutMs > 2000 && elapsed >= 1000 && elapsed - lastLook >= 1000) {
      lastLook = elapsed;
      const holders = await migrationLockHolders(client).catch(() => []);
      const key = holders.map((holder) => holder.pid).join(',');
      if (holders.length > 0 && key !== seen) {
        seen = key;
        wait.warn(
          `waiting for the migration lock on ${wait.target.label} (up to ${formatSeconds(wait.timeoutMs)}), held by ${describeLockHolders(holders)}`,
        );
      }
    }
    await sleep(Math.max(1, Math.min(delay * (0.5 + Math.random()), wait.timeoutMs - elapsed)));
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}

/** Runs `fn` holding the lock (session level); waits at most `wait.timeoutMs` for it. */
export async function withMigrationLock<T>(client: Client, wait: LockWait, fn: () => Promise<T>): Promise<T> {
  const attempt = async () => (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_ID}) AS ok`)).rows[0].ok;
  await waitForLock(client, attempt, wait, 'let it finish and retry, or raise --lock-timeout');
  try {
    return await fn();
  } finally {
    // Closing the session would release it too; unlocking explicitly keeps a reused client clean.
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`).catch(() => {});
  }
}

/**
 * Begins a transaction (`beginSql`) holding the lock until it ends: each try is a transaction of
 * its own that takes the lock or rolls back, so between tries nothing is open. lock_timeout (SET
 * LOCAL: this transaction only) then bounds every later lock wait in the transaction.
 */
export async function beginWithMigrationLock(client: Client, beginSql: string, wait: LockWait): Promise<void> {
  const attempt = async () => {
    await client.query(beginSql);
    const { ok } = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK_ID}) AS ok`)).rows[0];
    if (!ok) await client.query('ROLLBACK');
    return ok;
  };
  await waitForLock(client, attempt, wait, 'retry when it is done (or raise --lock-timeout)');
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(wait.timeoutMs))}`);
}
