/**
 * Applying one migration: its SQL and its bookkeeping (pgmigrations row and checksum) commit
 * together or not at all, so a failure leaves nothing of that migration behind and the ones
 * before it stay applied.
 */
import type { ColumnDefinitions } from 'node-pg-migrate';
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { blockersOfError, describeBlockers, watchLockWait } from '../db/blockers';
import { describeQueryError, describeServerRefusal } from '../db/errors';
import { formatSeconds, type Say } from '../base/text';
import { appliedSql, revertedSql, type Queryable } from './bookkeeping';
import { buildSql, type Direction, type LoadedMigration } from './load';

/**
 * Bounds on a migration's own statements, set at the start of its transaction. A lock wait
 * longer than a few seconds means an application holds the table, and every later reader of
 * that table queues behind our waiting ACCESS EXCLUSIVE request: better to fail, roll back and
 * let the application run than to take the table offline. A migration that must wait or run
 * longer says so itself: pgm.sql("SET LOCAL lock_timeout = '1min'") (or statement_timeout).
 */
export const MIGRATION_LOCK_TIMEOUT_MS = 5_000;
export const MIGRATION_STATEMENT_TIMEOUT_MS = 300_000;

function boundsSql(scope: 'LOCAL ' | ''): string {
  return `SET ${scope}lock_timeout = ${MIGRATION_LOCK_TIMEOUT_MS}; SET ${scope}statement_timeout = ${MIGRATION_STATEMENT_TIMEOUT_MS}`;
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
  ) {
    super(`migration ${migration} (${direction}) failed${rolledBack ? ' and was rolled back' : ''}: ${cause}`);
  }
}

export interface ApplyOptions {
  /** Shorthands exported by migrations loaded before this one in the same run. */
  shorthands?: ColumnDefinitions;
  watch?: StepWatch;
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
function describeStepError(error: unknown, sql: string): string {
  const code = (error as { code?: string }).code;
  const lost = connectionLost(error);
  if (lost) return lost;
  const text = describeQueryError(error, sql);
  if (code === '55P03') {
    const blockers = blockersOfError(error);
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

export interface StepOptions {
  watch?: StepWatch;
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
export async function runSteps(db: Queryable, steps: string[], options: StepOptions = {}): Promise<void> {
  const { watch } = options;
  const batches = options.oneByOne || steps.length < 2 ? steps.map((step) => [step]) : [steps];
  for (const batch of batches) {
    const sql = batch.join(STATEMENT_SEPARATOR);
    try {
      if (!watch) await db.query(sql);
      else {
        await watchLockWait(
          watch.target,
          watch.client,
          () => db.query(sql),
          (blockers) =>
            watch.warn(
              `waiting for a lock held by ${describeBlockers(blockers)} (at most lock_timeout, ${formatSeconds(MIGRATION_LOCK_TIMEOUT_MS)} unless the migration sets it)`,
            ),
        );
      }
    } catch (error) {
      const failed = error as { position?: string };
      let statement = sql;
      if (batch.length > 1 && failed.position) {
        const at = statementAt(batch, Number(failed.position));
        statement = at.sql;
        failed.position = String(at.position);
      }
      throw Object.assign(new Error(describeStepError(error, statement)), { sqlFailed: true });
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
  // Every commit is durable (waits for the WAL flush): a migration reported as applied is
  // applied, even if the server crashes right after. Round trips add up over a long history:
  // BEGIN and the bounds go together, and so do the bookkeeping and the COMMIT below.
  let inTransaction = false;
  try {
    await db.query(`BEGIN; ${boundsSql('LOCAL ')}`);
    inTransaction = true;
    // Built inside the transaction: a migration's function may read the database (pgm.db).
    const { steps, transactional } = await buildSql(db, migration, direction, options.shorthands);
    if (transactional) {
      await runSteps(db, steps, { watch: options.watch });
    } else {
      // pgm.noTransaction(): statements such as CREATE INDEX CONCURRENTLY refuse to run in a
      // transaction. Only the bookkeeping is then atomic; node-pg-migrate behaves the same.
      // The same bounds, for the session while its statements run.
      await db.query(`COMMIT; ${boundsSql('')}`);
      inTransaction = false;
      await runSteps(db, steps, { watch: options.watch, oneByOne: true });
      await db.query('RESET lock_timeout; RESET statement_timeout; BEGIN');
      inTransaction = true;
    }
    if (options.progress) options.progress.committing = true;
    await db.query(`${bookkeepingSql(migration, direction)}; COMMIT`);
    inTransaction = false;
    if (options.progress) options.progress.committing = false;
  } catch (error) {
    if (options.progress) options.progress.committing = false;
    if (inTransaction) await db.query('ROLLBACK').catch(() => {});
    throw new MigrationFailedError(name, direction, failureCause(error), inTransaction);
  }
  return performance.now() - started;
}
