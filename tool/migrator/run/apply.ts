/**
 * Applying one migration: its SQL and its bookkeeping (pgmigrations row and checksum) commit
 * together or not at all, so a failure leaves nothing of that migration behind and the ones
 * before it stay applied.
 */
import type { ColumnDefinitions } from 'node-pg-migrate';
import type { Client } from 'pg';
import { UserError } from '../../base/errors';
import type { DatabaseTarget } from '../../db';
import { describeBlockers } from '../../db/lock-wait';
import { holdersOfError, watchStatement } from '../../db/lock-wait';
import { describeQueryError, describeServerRefusal } from '../../db/errors';
import { beginSql, COMMIT, lockTimeoutSql, RESET_BOUNDS_SQL, ROLLBACK, statementTimeoutSql } from '../../db/session';
import { formatSeconds, type Say } from '../../base/text';
import { appliedSql, revertedSql, type Queryable } from '../history/bookkeeping';
import { buildSql, type Direction, type LoadedMigration } from '../directory/load';
import { splitStatements } from '../directory/statements';
import { placeInMigration } from '../directory/place';
import { invalidIndexes } from '../history/state';

/**
 * Bounds on a migration's own statements, set at the start of its transaction. A lock wait
 * longer than a few seconds means an application holds the table, and every later reader of
 * that table queues behind our waiting ACCESS EXCLUSIVE request: better to fail, roll back and
 * let the application run than to take the table offline. A migration that must wait or run
 * longer says so itself: pgm.sql("SET LOCAL lock_timeout = '1min'") (or statement_timeout).
 */
export const MIGRATION_LOCK_TIMEOUT_MS = 5_000;
export const MIGRATION_STATEMENT_TIMEOUT_MS = 300_000;
/**
 * A CREATE INDEX CONCURRENTLY waits, between its phases, for every transaction older than its own
 * to end: an application's long transaction is a wait it must outlast, not a lock it should give
 * up on after lock_timeout (it would leave an INVALID index). Meanwhile it holds only SHARE UPDATE
 * EXCLUSIVE on the table, which reads and writes do not wait for. Its own bound (--index-wait).
 */
export const CONCURRENT_INDEX_WAIT_MS = 300_000;
const CONCURRENT_INDEX = /^\s*(?:--[^\n]*\n\s*)*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i;

function boundsSql(scope: 'transaction' | 'session'): string {
  return `${lockTimeoutSql(MIGRATION_LOCK_TIMEOUT_MS, scope)}; ${statementTimeoutSql(MIGRATION_STATEMENT_TIMEOUT_MS, scope)}`;
}

/** Watching the statements' lock waits: who blocks them, said on stderr and in a timeout. */
export interface StepWatch {
  target: DatabaseTarget;
  client: Client;
  warn: Say;
}

/** A migration that failed: one line naming it and quoting PostgreSQL's error. */
export class MigrationFailedError extends UserError {
  constructor(
    readonly migration: string,
    readonly direction: Direction,
    cause: string,
    readonly rolledBack: boolean,
    /** A lock wait ran out and nothing of the migration stayed behind: it may be tried again. */
    readonly retryable = false,
  ) {
    super(`migration ${migration} (${direction}) failed${rolledBack ? ' and was rolled back' : ''}: ${cause}`);
  }
}

/** Runs one statement (`run`) and measures it; `transactional`: inside the migration's transaction. */
export type StatementMeasure = (sql: string, transactional: boolean, run: () => Promise<{ rowCount: number | null }>) => Promise<void>;

export interface ApplyOptions {
  /** Shorthands exported by migrations loaded before this one in the same run. */
  shorthands?: ColumnDefinitions;
  watch?: StepWatch;
  /** How long a CREATE INDEX CONCURRENTLY may wait for older transactions. @default CONCURRENT_INDEX_WAIT_MS */
  indexWaitMs?: number;
  /** Each statement on its own, run through this (the rehearsal measures it), instead of all of a
   * migration's statements in one query. */
  measure?: StatementMeasure;
  /** Once the migration's transaction is committed: where the hold of its locks ends. */
  committed?: () => void;
  /** Set while the COMMIT is on its way: an interruption then cannot tell whether it landed. */
  progress?: { committing: boolean };
}

/** No SQLSTATE (ECONNRESET, "Connection terminated"): the connection itself went (a restart, a
 * killed session), not the statement. */
function connectionLost(error: unknown): string | undefined {
  const code = (error as { code?: string }).code;
  return code && /^[0-9A-Z]{5}$/.test(code) ? undefined : describeServerRefusal(error, 'the server');
}

/** PostgreSQL's error for a statement, and for a timeout what bounded it and who blocked it. */
function describeStepError(error: unknown, sql: string, place?: PlaceStatement): string {
  const { code, position } = error as { code?: string; position?: string };
  const lost = connectionLost(error);
  if (lost) return lost;
  const text = describeQueryError(error, sql, place?.(sql, position ? Number(position) - 1 : undefined));
  if (code === '55P03') {
    const blockers = holdersOfError(error);
    const who = blockers.length > 0 ? ` held by ${describeBlockers(blockers)}` : '';
    return `${text}; it waited for a lock${who} longer than lock_timeout (${formatSeconds(MIGRATION_LOCK_TIMEOUT_MS)} unless the migration sets it): retry when that session is done, or raise it in the migration (SET LOCAL lock_timeout)`;
  }
  if (code === '57014' && /statement timeout/.test(text)) {
    return `${text}; statement_timeout (${formatSeconds(MIGRATION_STATEMENT_TIMEOUT_MS)} unless the migration sets it) ended it: raise it in the migration (SET LOCAL statement_timeout) if it must run longer`;
  }
  return text;
}

/** Between statements sent together: the newline ends a trailing `--` comment (pgm.sql puts its
 * `;` after one), and an empty statement is nothing to PostgreSQL. */
const STATEMENT_SEPARATOR = '\n;\n';

/** The statement of a batch that an error position (1-based, in the whole text) falls in, and the
 * position within it: what the statement sent alone would have reported. */
function statementAt(batch: string[], position: number): { sql: string; position: number } {
  let start = 0;
  for (const sql of batch) {
    if (position <= start + sql.length) return { sql, position: Math.max(1, position - start) };
    start += sql.length + STATEMENT_SEPARATOR.length;
  }
  return { sql: batch.at(-1) ?? '', position: 1 };
}

/** Where a statement (and the 0-based offset an error gave in it) is in its migration
 * (directory/place.ts); undefined when that cannot be told. */
export type PlaceStatement = (sql: string, offset?: number) => string | undefined;

export interface StepOptions {
  watch?: StepWatch;
  /** Names the migration's file line and statement in an error, instead of a character offset. */
  place?: PlaceStatement;
  /** Statements sent in front of the first batch, in the same query (the transaction's BEGIN and
   * bounds: one round trip fewer per migration). */
  prefix?: string;
  /** Statements that refuse a transaction block (pgm.noTransaction()): one query each, since a
   * query of several statements is one implicit transaction. */
  oneByOne?: boolean;
}

/**
 * Runs a migration's statements, inside its transaction, as one query: one round trip instead of
 * one per statement (each still runs, and is bounded by statement_timeout, on its own: PostgreSQL
 * 13+). An error's position (a syntax error, an unknown table or column) is in the whole text;
 * it is mapped back to its statement, so the message is the one that statement alone would give.
 */
export async function runSteps(db: Queryable, steps: string[], options: StepOptions = {}): Promise<{ rowCount: number | null }> {
  const { watch } = options;
  const batches = options.oneByOne || steps.length < 2 ? steps.map((step) => [step]) : [steps];
  if (options.prefix !== undefined && batches.length > 0) batches[0] = [options.prefix, ...batches[0]];
  let last: { rowCount: number | null } = { rowCount: null };
  for (const [done, batch] of batches.entries()) {
    const sql = batch.join(STATEMENT_SEPARATOR);
    try {
      if (!watch) last = rowsOf(await db.query(sql));
      else {
        last = rowsOf(
          await watchStatement(
            watch.target,
            watch.client,
            () => db.query(sql),
            (blockers) =>
              watch.warn(
                `waiting for a lock held by ${describeBlockers(blockers)} (at most lock_timeout, ${formatSeconds(MIGRATION_LOCK_TIMEOUT_MS)} unless the migration sets it)`,
              ),
          ),
        );
      }
    } catch (error) {
      const failed = error as { position?: string };
      let statement = sql;
      // The migration's own statements: the first batch carries the prefix in front.
      const own = done === 0 && options.prefix !== undefined ? batch.slice(1) : batch;
      if (batch.length > 1 && failed.position) {
        const at = statementAt(batch, Number(failed.position));
        statement = at.sql;
        failed.position = String(at.position);
      } else if (own.length === 1) statement = own[0]; // no position: the one step sent with the bounds failed
      // The SQLSTATE, and how many batches had run: a retry must know whether anything of the
      // migration stayed behind (outside a transaction, what ran before is committed).
      throw Object.assign(new Error(describeStepError(error, statement, options.place)), {
        sqlFailed: true,
        code: (error as { code?: string }).code,
        done,
      });
    }
  }
  return last;
}

/** The rows the (last) statement of a query touched. */
function rowsOf(result: unknown): { rowCount: number | null } {
  const results = Array.isArray(result) ? result : [result];
  return { rowCount: (results.at(-1) as { rowCount?: number | null } | undefined)?.rowCount ?? null };
}

/**
 * pgm.noTransaction()'s statements, one by one under the session's bounds, a CREATE INDEX
 * CONCURRENTLY under its own (CONCURRENT_INDEX_WAIT_MS). One that fails leaves its index behind,
 * INVALID (its build is aborted, not undone): dropped again at once, saying so, so that the
 * migration can be tried again and nothing half-built stays on the table.
 */
async function runOutsideTransaction(db: Queryable, steps: string[], options: ApplyOptions, place: PlaceStatement): Promise<void> {
  for (const [done, step] of steps.entries()) {
    const concurrent = CONCURRENT_INDEX.test(step);
    const invalidBefore = concurrent ? new Set(await invalidIndexes(db)) : undefined;
    try {
      if (concurrent) await db.query(lockTimeoutSql(options.indexWaitMs ?? CONCURRENT_INDEX_WAIT_MS, 'session'));
      const run = () => runSteps(db, [step], { watch: options.watch, oneByOne: true, place });
      if (options.measure) await options.measure(step, false, run);
      else await run();
    } catch (error) {
      if (invalidBefore) {
        for (const index of (await invalidIndexes(db).catch(() => [])).filter((name) => !invalidBefore.has(name))) {
          const qualified = index.replace(/ on .*$/, '');
          await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified}`);
          options.watch?.warn(`dropped the INVALID index ${qualified} that the failed CREATE INDEX CONCURRENTLY left`);
        }
      }
      throw Object.assign(error as object, { done });
    } finally {
      if (concurrent) await db.query(lockTimeoutSql(MIGRATION_LOCK_TIMEOUT_MS, 'session')).catch(() => {});
    }
  }
}

export function failureCause(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if ((error as { sqlFailed?: boolean }).sqlFailed) return (error as Error).message;
  return connectionLost(error) ?? describeQueryError(error);
}

function bookkeepingSql(migration: LoadedMigration, direction: Direction): string {
  return direction === 'up' ? appliedSql(migration.file.name, migration.checksum) : revertedSql(migration.file.name);
}

/** Applies (or reverts) one migration in its own transaction; returns the elapsed milliseconds. */
export async function applyMigration(
  db: Queryable,
  migration: LoadedMigration,
  direction: Direction,
  options: ApplyOptions = {},
): Promise<number> {
  const started = performance.now();
  const name = migration.file.name;
  const place: PlaceStatement = (sql, offset) => placeInMigration(migration.file, direction, sql, offset);
  // Every commit is durable (waits for the WAL flush): a migration reported as applied is
  // applied, even if the server crashes right after. Round trips add up over a long history, so
  // a migration takes two: BEGIN and the bounds go with its statements, the bookkeeping with
  // the COMMIT. BEGIN is sent first on its own only when the migration's function itself
  // queries the database (pgm.db), which it does inside the transaction.
  let opening: string | undefined = `${beginSql()}; ${boundsSql('transaction')}`;
  const open = (): string | undefined => {
    const sql = opening;
    opening = undefined;
    if (sql) inTransaction = true;
    return sql;
  };
  let inTransaction = false;
  let transactional = true;
  try {
    const inside: Queryable = {
      query: async (sql: string, values?: unknown[]) => {
        const begin = open();
        if (begin) await db.query(begin);
        return db.query(sql, values);
      },
    } as Queryable;
    const built = await buildSql(inside, migration, direction, options.shorthands);
    const { steps } = built;
    transactional = built.transactional;
    if (transactional && options.measure) {
      const begin = open();
      if (begin && steps.length > 0) await db.query(begin);
      for (const statement of steps.flatMap((step) => splitStatements(step)))
        await options.measure(statement, true, () => runSteps(db, [statement], { watch: options.watch, place }));
    } else if (transactional) {
      await runSteps(db, steps, { watch: options.watch, place, prefix: steps.length > 0 ? open() : undefined });
    } else {
      // pgm.noTransaction(): statements such as CREATE INDEX CONCURRENTLY refuse to run in a
      // transaction. Only the bookkeeping is then atomic; node-pg-migrate behaves the same.
      // The same bounds, for the session while its statements run.
      const began = opening === undefined;
      opening = undefined;
      await db.query(`${began ? `${COMMIT}; ` : ''}${boundsSql('session')}`);
      inTransaction = false;
      await runOutsideTransaction(db, steps, options, place);
      await db.query(`${RESET_BOUNDS_SQL}; ${beginSql()}`);
      inTransaction = true;
    }
    if (options.progress) options.progress.committing = true;
    const begin = open();
    await db.query(`${begin ? `${begin}; ` : ''}${bookkeepingSql(migration, direction)}; ${COMMIT}`);
    inTransaction = false;
    options.committed?.();
    if (options.progress) options.progress.committing = false;
  } catch (error) {
    if (options.progress) options.progress.committing = false;
    if (inTransaction) await db.query(ROLLBACK).catch(() => {});
    else if (!transactional) await db.query(RESET_BOUNDS_SQL).catch(() => {});
    const failed = error as { code?: string; done?: number };
    // Outside a transaction, only a failure of the first statement leaves nothing behind.
    const retryable = failed.code === '55P03' && (transactional || failed.done === 0);
    // Failed before BEGIN went out (its function threw): nothing of it reached the server, which
    // is what "rolled back" tells the user.
    const nothingSent = opening !== undefined;
    throw new MigrationFailedError(
      name,
      direction,
      failureCause(error),
      inTransaction || nothingSent || (retryable && !transactional),
      retryable,
    );
  }
  return performance.now() - started;
}

/** How often, and after how long, a migration that lost a lock race is tried again. */
export interface Retries {
  /** Tries after the first (--lock-retries). */
  count: number;
  /** Pause before the first retry, doubled before each next one, each jittered by ±50% so that
   * several runs (or the application's own retries) do not come back in step. */
  firstDelayMs: number;
  warn: Say;
}

export const FIRST_RETRY_DELAY_MS = 500;

/**
 * applyMigration, tried again when a lock wait ran out (lock_timeout: an application transaction
 * held the table) and nothing of the migration stayed behind. Each retry is said on stderr. The
 * whole stays bounded: at most count + 1 tries, each waiting at most lock_timeout for each lock,
 * and the pauses between them.
 */
export async function applyWithRetries(
  db: Queryable,
  migration: LoadedMigration,
  direction: Direction,
  options: ApplyOptions,
  retries: Retries,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyMigration(db, migration, direction, options);
    } catch (error) {
      if (!(error instanceof MigrationFailedError) || !error.retryable) throw error;
      if (attempt >= retries.count) {
        error.message = `${error.message} (${attempt === 0 ? 'not tried again: --lock-retries 0' : `tried ${attempt + 1} times`})`;
        throw error;
      }
      const delay = Math.round(retries.firstDelayMs * 2 ** attempt * (0.5 + Math.random()));
      retries.warn(
        `${migration.file.name}: a lock wait ran out (lock_timeout), rolled back; trying again in ${formatSeconds(delay)} (retry ${attempt + 1} of ${retries.count})`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
