/**
 * The migration lock: node-pg-migrate's well-known advisory lock id, so that its own CLI and ours
 * exclude each other too. `migrate up`/`down` and the repairs hold it at session level (two
 * deploys, or a deploy and a developer, migrating the same database take turns instead of failing
 * or applying twice); `migrate plan` and `adopt` at transaction level (db/session.ts). How it is
 * waited for (idle between tries, bounded by --lock-timeout, naming the holder) is db/lock-wait.ts's.
 */
import type { Client } from 'pg';
import type { DatabaseTarget } from '../../db';
import { advisoryLockHolders, describeBlockers, type Blocker } from '../../db/lock-wait';
import { withAdvisoryLock, type AdvisoryLock } from '../../db/session';
import type { Say } from '../../base/text';

/** node-pg-migrate's PG_MIGRATE_LOCK_ID (runner.ts). */
export const MIGRATION_LOCK_ID = '7241865325823964';

/** Tools that take node-pg-migrate's lock: a holder that is one of them is a migration run. */
export function isMigrationRun(blocker: Blocker): boolean {
  return /^(usualstore-db|node-pg-migrate)/.test(blocker.application);
}

/** "another migration run (pid …)" or the application session that took node-pg-migrate's id. */
export function describeLockHolders(holders: Blocker[]): string {
  if (holders.length === 0) return 'another session (gone by now)';
  const what = holders.every(isMigrationRun) ? 'another migration run' : 'a session that is not a migration run';
  return `${what}, ${describeBlockers(holders)}`;
}

export const MIGRATION_LOCK: AdvisoryLock = {
  key: MIGRATION_LOCK_ID,
  name: 'the migration lock',
  describeHolders: describeLockHolders,
  advice: 'let it finish and retry, or raise --lock-timeout',
};

export function migrationLockHolders(db: Pick<Client, 'query'>): Promise<Blocker[]> {
  return advisoryLockHolders(db, MIGRATION_LOCK_ID);
}

/** Runs `work` holding the migration lock (session level); waits at most `timeoutMs` for it. */
export function withMigrationLock<T>(
  client: Client,
  wait: { target: DatabaseTarget; timeoutMs: number; warn: Say },
  work: () => Promise<T>,
): Promise<T> {
  return withAdvisoryLock(client, wait.target, { lock: MIGRATION_LOCK, timeoutMs: wait.timeoutMs, warn: wait.warn }, work);
}
