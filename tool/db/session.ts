/**
 * The one way a command holds a session on the server and a transaction in it: connect (at once,
 * or with --wait retrying until the server is ready), optionally inside one transaction (read-only,
 * repeatable read, its lock waits bounded, holding an advisory lock), run the work, and always
 * disconnect. Whatever escapes the work as a server refusal (a read-only server, a missing
 * privilege, a lost connection) becomes one line naming the target. Every command that connects
 * goes through here, and every transaction statement of ours is written here.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import type { Say } from '../base/text';
import { connect, disconnect } from './connect';
import { describeServerRefusal } from './errors';
import { advisoryLockHolders, type Blocker } from './lock-wait';
import { tryLock } from './lock-wait';
import type { DatabaseTarget } from './target';
import { waitForServer } from './connect';

export type Isolation = 'read committed' | 'repeatable read';

/** BEGIN as a transaction of these options starts. */
export function beginSql(options: { readOnly?: boolean; isolation?: Isolation } = {}): string {
  const isolation =
    options.isolation && options.isolation !== 'read committed' ? ` ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '';
  return `BEGIN${isolation}${options.readOnly ? ' READ ONLY' : ''}`;
}
export const COMMIT = 'COMMIT';
export const ROLLBACK = 'ROLLBACK';

/** Bounds every lock wait of the transaction (LOCAL) or, outside one, of the session; 'none' lifts
 * the bound (a wait that must happen, to be measured). A bound is at least a millisecond: 0 would
 * lift it. */
export function lockTimeoutSql(ms: number | 'none', scope: 'transaction' | 'session' = 'transaction'): string {
  return `SET ${scope === 'transaction' ? 'LOCAL ' : ''}lock_timeout = ${ms === 'none' ? 0 : Math.max(1, Math.round(ms))}`;
}

/** Bounds how long each statement runs, as lockTimeoutSql bounds its lock waits. */
export function statementTimeoutSql(ms: number, scope: 'transaction' | 'session' = 'transaction'): string {
  return `SET ${scope === 'transaction' ? 'LOCAL ' : ''}statement_timeout = ${Math.max(1, Math.round(ms))}`;
}

/** The session's bounds back to the server's defaults (after statements run outside a transaction). */
export const RESET_BOUNDS_SQL = 'RESET lock_timeout; RESET statement_timeout';

/** An advisory lock a command holds while it works (the migration lock): its key and how its
 * holders are named. */
export interface AdvisoryLock {
  /** A bigint, as text. */
  key: string;
  /** "the migration lock". */
  name: string;
  describeHolders: (holders: Blocker[]) => string;
  /** The end of a timeout's message: what to do. */
  advice: string;
}

/** How long to wait for an advisory lock, and where to say so. */
export interface AdvisoryLockWait {
  lock: AdvisoryLock;
  timeoutMs: number;
  warn: Say;
}

function lockWait(client: Client, target: DatabaseTarget, wait: AdvisoryLockWait) {
  return {
    what: `${wait.lock.name} on ${target.label}`,
    timeoutMs: wait.timeoutMs,
    holders: () => advisoryLockHolders(client, wait.lock.key),
    describe: wait.lock.describeHolders,
    warn: wait.warn,
    advice: wait.lock.advice,
  };
}

/** Runs `work` holding the advisory lock at session level (it outlives transactions: a run that
 * commits step by step); waits for it as lock-wait.ts does, idle between tries. */
export async function withAdvisoryLock<T>(
  client: Client,
  target: DatabaseTarget,
  wait: AdvisoryLockWait,
  work: () => Promise<T>,
): Promise<T> {
  await tryLock(
    async () => (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${wait.lock.key}) AS ok`)).rows[0].ok,
    lockWait(client, target, wait),
  );
  try {
    return await work();
  } finally {
    // Closing the session would release it too; unlocking explicitly keeps a reused client clean.
    await client.query(`SELECT pg_advisory_unlock(${wait.lock.key})`).catch(() => {});
  }
}

/**
 * One transaction, rolled back at the end unless the work commits it: READ ONLY and REPEATABLE READ
 * when asked, every lock wait in it bounded by lockTimeoutMs, holding an advisory lock when asked
 * (transaction level: released by COMMIT or ROLLBACK, so nothing can stay locked when the command
 * ends, however it ends; each try is a transaction of its own that takes it or rolls back, so
 * between tries nothing is open). Nothing of it outlives the command.
 */
export interface TransactionOptions {
  readOnly?: boolean;
  isolation?: Isolation;
  lockTimeoutMs?: number;
  lock?: Omit<AdvisoryLockWait, 'timeoutMs'>;
}

/** Runs `work` in one transaction on an open session (see TransactionOptions). */
export async function inTransaction<T>(
  client: Client,
  target: DatabaseTarget,
  options: TransactionOptions,
  work: () => Promise<T>,
): Promise<T> {
  const begin = beginSql(options);
  try {
    if (options.lock) {
      const wait = { ...options.lock, timeoutMs: options.lockTimeoutMs ?? 0 };
      await tryLock(
        async () => {
          await client.query(begin);
          const { ok } = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${wait.lock.key}) AS ok`)).rows[0];
          if (!ok) await client.query(ROLLBACK);
          return ok;
        },
        lockWait(client, target, wait),
      );
    } else await client.query(begin);
    if (options.lockTimeoutMs !== undefined) await client.query(lockTimeoutSql(options.lockTimeoutMs));
    return await work();
  } finally {
    // After the work's own COMMIT this is a no-op; on every other path it undoes everything.
    await client.query(ROLLBACK).catch(() => {});
  }
}

/** Commits the transaction inTransaction began (the work's decision, when it keeps what it did). */
export async function commit(client: Pick<Client, 'query'>): Promise<void> {
  await client.query(COMMIT);
}

/** Anything that runs a query: a client, or a wrapper of one (a migration's transaction). */
export type Queryable = Pick<Client, 'query'>;

/** Statements that commit together or not at all, in one round trip (BEGIN, them, COMMIT). */
export async function runAtomically(db: Queryable, statements: string[], options: { durable?: boolean } = {}): Promise<void> {
  const sql = [beginSql(), ...(options.durable === false ? ['SET LOCAL synchronous_commit = off'] : []), ...statements, COMMIT];
  try {
    await db.query(sql.join('; '));
  } catch (error) {
    await db.query(ROLLBACK).catch(() => {});
    throw error;
  }
}

/**
 * `work` inside a savepoint of the open transaction: kept (released) when it succeeds unless
 * `undo`, rolled back to the savepoint when it fails, so that the transaction goes on either way.
 */
export async function inSavepoint<T>(db: Queryable, name: string, work: () => Promise<T>, options: { undo?: boolean } = {}): Promise<T> {
  await db.query(`SAVEPOINT ${name}`);
  let kept = false;
  try {
    const value = await work();
    if (!options.undo) {
      await db.query(`RELEASE SAVEPOINT ${name}`);
      kept = true;
    }
    return value;
  } finally {
    if (!kept) await db.query(`ROLLBACK TO SAVEPOINT ${name}`);
  }
}

export interface SessionOptions {
  /**
   * The --wait of a command that has one: `ms` undefined means not given, and then a connection
   * error suggests it. Commands without --wait leave it out.
   */
  wait?: { ms: number | undefined; warn?: Say };
  transaction?: TransactionOptions;
}

async function open(target: DatabaseTarget, wait: SessionOptions['wait']): Promise<Client> {
  if (wait?.ms !== undefined) return waitForServer(target, { timeoutMs: wait.ms, onWait: wait.warn });
  return connect(target, { suggestWait: wait !== undefined });
}

/** A session held open across many steps (a rehearsal's monitor, its workload's connections):
 * closed by the caller, however it ends. */
export interface OpenSession {
  client: Client;
  close(): Promise<void>;
}

export async function openSession(target: DatabaseTarget): Promise<OpenSession> {
  const client = await open(target, undefined);
  return { client, close: () => disconnect(client) };
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
