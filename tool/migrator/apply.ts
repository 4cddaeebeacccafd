/**
 * Applying one migration: its SQL and its bookkeeping (pgmigrations row and checksum) commit
 * together or not at all, so a failure leaves nothing of that migration behind and the ones
 * before it stay applied.
 */
import type { ColumnDefinitions } from 'node-pg-migrate';
import { UserError } from '../cli/errors';
import { describeQueryError } from '../db/errors';
import { appliedSql, revertedSql, type Queryable } from './bookkeeping';
import { buildSql, type Direction, type LoadedMigration } from './load';

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
  /** Durable commit. Off, the commit does not wait for the WAL flush (see up.ts for why that
   * is safe between migrations of one run). */
  synchronousCommit?: boolean;
}

/** Runs the statements one by one, so that an error names the statement it came from. */
export async function runSteps(db: Queryable, steps: string[]): Promise<void> {
  for (const sql of steps) {
    try {
      await db.query(sql);
    } catch (error) {
      throw Object.assign(new Error(describeQueryError(error, sql)), { sqlFailed: true });
    }
  }
}

export function failureCause(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if ((error as { sqlFailed?: boolean }).sqlFailed) return (error as Error).message;
  return describeQueryError(error);
}

function bookkeepingSql(migration: LoadedMigration, direction: Direction): string {
  return direction === 'up' ? appliedSql(migration.file.name, migration.checksum) : revertedSql(migration.file.name);
}

/** Applies (or reverts) one migration in its own transaction; returns the elapsed milliseconds. */
export async function applyMigration(db: Queryable, migration: LoadedMigration, direction: Direction, options: ApplyOptions = {}): Promise<number> {
  const started = performance.now();
  const name = migration.file.name;
  // Round trips add up over a long history: BEGIN and its setting go together, and so do the
  // bookkeeping and the COMMIT below.
  await db.query(options.synchronousCommit === false ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
  let inTransaction = true;
  try {
    // Built inside the transaction: a migration's function may read the database (pgm.db).
    const { steps, transactional } = await buildSql(db, migration, direction, options.shorthands);
    if (transactional) {
      await runSteps(db, steps);
    } else {
      // pgm.noTransaction(): statements such as CREATE INDEX CONCURRENTLY refuse to run in a
      // transaction. Only the bookkeeping is then atomic; node-pg-migrate behaves the same.
      await db.query('COMMIT');
      inTransaction = false;
      await runSteps(db, steps);
      await db.query('BEGIN');
      inTransaction = true;
    }
    await db.query(`${bookkeepingSql(migration, direction)}; COMMIT`);
    inTransaction = false;
  } catch (error) {
    if (inTransaction) await db.query('ROLLBACK').catch(() => {});
    throw new MigrationFailedError(name, direction, failureCause(error), inTransaction);
  }
  return performance.now() - started;
}
