/**
 * The one way a command holds a session on the server: connect (at once, or with --wait retrying
 * until the server is ready), optionally inside one transaction with its lock bound (and the
 * migration lock, transaction-level), run the work, and always disconnect. Whatever escapes the
 * work as a server refusal (a read-only server, a missing privilege, a lost connection) becomes
 * one line naming the target. Every command that connects goes through here.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { connect, disconnect, waitForServer, type DatabaseTarget } from '../db';
import { describeServerRefusal } from '../db/errors';
import type { Say } from '../base/text';
import { beginWithMigrationLock } from './lock';

/**
 * One transaction, rolled back at the end unless the work commits it: every lock wait in it
 * bounded by lockTimeoutMs (SET LOCAL lock_timeout), READ ONLY when asked, and holding the
 * migration lock when asked (waiting for it at most lockTimeoutMs, saying who holds it). Nothing
 * of it outlives the command, however it ends.
 */
export interface TransactionOptions {
  readOnly?: boolean;
  lockTimeoutMs?: number;
  migrationLock?: { warn: Say };
}

export interface SessionOptions {
  /**
   * The --wait of a command that has one (only `migrate up`): `ms` undefined means not given, and
   * then a connection error suggests it. Commands without --wait leave it out.
   */
  wait?: { ms: number | undefined; warn?: Say };
  transaction?: TransactionOptions;
}

async function open(target: DatabaseTarget, wait: SessionOptions['wait']): Promise<Client> {
  if (wait?.ms !== undefined) return waitForServer(target, { timeoutMs: wait.ms, onWait: wait.warn });
  return connect(target, { suggestWait: wait !== undefined });
}

/** Runs `work` in one transaction on an open session (see TransactionOptions). */
export async function inTransaction<T>(
  client: Client,
  target: DatabaseTarget,
  options: TransactionOptions,
  work: () => Promise<T>,
): Promise<T> {
  const begin = options.readOnly ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN';
  try {
    if (options.migrationLock) {
      // Waits for the lock with nothing open (lock.ts), then begins the transaction holding it.
      await beginWithMigrationLock(client, begin, { target, timeoutMs: options.lockTimeoutMs ?? 0, warn: options.migrationLock.warn });
    } else {
      await client.query(begin);
      if (options.lockTimeoutMs !== undefined)
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs))}`);
    }
    return await work();
  } finally {
    // After the work's own COMMIT this is a no-op; on every other path it undoes everything.
    await client.query('ROLLBACK').catch(() => {});
  }
}

export async function withSession<T>(target: DatabaseTarget, options: SessionOptions, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await open(target, options.wait);
  try {
    const { transaction } = options;
    return await (transaction ? inTransaction(client, target, transaction, () => work(client)) : work(client));
  } catch (error) {
    const refusal = error instanceof UserError ? undefined : describeServerRefusal(error, target.label);
    throw refusal ? new UserError(refusal) : error;
  } finally {
    await disconnect(client);
  }
}
