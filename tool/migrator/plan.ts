/**
 * `migrate plan`: the pending migrations and the SQL each would run, verified against the live
 * database by running them all, in order, inside ONE transaction that is then rolled back.
 *
 * Leaves nothing behind: only the migrations' own statements run (no bookkeeping is written, so
 * no table is created for it), and the only lock is transaction-level (released by the rollback). The
 * exception PostgreSQL imposes, sequence numbers drawn by INSERTs, is reported, not hidden.
 * lock_timeout bounds every lock wait: verifying must neither hang behind the application nor
 * keep it queued behind an ALTER TABLE for long.
 */
import { UserError } from '../base/errors';
import type { Client } from 'pg';
import type { DatabaseTarget } from '../db';
import { formatSeconds, type Say, formatDuration, plural } from '../base/text';
import { failureCause, runSteps } from './apply';
import type { MigrationFile, MigrationsDirectory } from './directory';
import { inspect } from './inspect';
import { buildSql, migrationsInOrder } from './load';
import { enforce } from './policy';
import { position } from './report';
import { advancedSequences, readSequencePositions } from './sequences';
import { inTransaction, withSession } from './session';

export interface PlanOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  lockTimeoutMs: number;
  allowEdited: boolean;
  /** Print the SQL only: no statement of the migrations runs, no lock is taken, no sequence
   * moves (what a pull-request check runs against a shared database). */
  printOnly?: boolean;
  /** The plan itself (stdout). */
  say: Say;
  /** Notes about it (stderr). */
  warn: Say;
}

const LOCK_TIMEOUT = /SQLSTATE 55P03/;

export async function planMigrations(options: PlanOptions): Promise<{ pending: string[] }> {
  const started = performance.now();
  const { target, say } = options;
  const context = { where: target.label, migrationsDir: options.migrations.path, allowEdited: options.allowEdited };
  return withSession(target, {}, async (client) => {
    // What migrate up would say, from the state as it is now (no lock yet).
    const state = await inspect(client, options.migrations);
    enforce('up', state, context, options.warn);
    if (state.pending.length === 0) {
      say(`${target.label} is up to date, ${position(state)}; nothing pending`);
      return { pending: [] };
    }
    if (options.printOnly) return printOnly(client, state.pending, options, started);
    const sequencesBefore = await readSequencePositions(client);
    const unverified: string[] = [];
    const pending = await inTransaction(
      client,
      target,
      { lockTimeoutMs: options.lockTimeoutMs, migrationLock: { warn: options.warn } },
      async () => {
        // Read again under the lock: a run that just finished may have applied some.
        const current = await inspect(client, options.migrations);
        enforce('up', current, context);
        if (current.pending.length === 0) {
          say(
            `${target.label} is up to date, ${position(current)} (a migration run applied the rest while this one waited); nothing pending`,
          );
          return [];
        }
        await verify(client, current.pending, options, unverified);
        return current.pending;
      },
    );
    if (pending.length === 0) return { pending: [] };
    const moved = advancedSequences(sequencesBefore, await readSequencePositions(client));
    if (moved.length > 0) {
      options.warn(
        `note: sequences moved while verifying (PostgreSQL never rolls back nextval; numbers are skipped, never reused): ${moved.join(', ')}`,
      );
    }
    say(
      `${plural(pending.length, 'pending migration')} verified against ${target.label} in ${formatDuration(performance.now() - started)}: every statement ran in one transaction, then rolled back${unverified.length ? ` (except those of ${unverified.join(', ')}: not verified)` : ''}; migrate up would apply ${pending.length === 1 ? 'it' : 'them'}`,
    );
    return { pending: pending.map((file) => file.name) };
  });
}

/** Runs each pending migration's statements in the caller's transaction, printing them. */
async function verify(client: Client, pending: MigrationFile[], options: PlanOptions, unverified: string[]): Promise<void> {
  const { say } = options;
  let index = 0;
  for await (const { migration, shorthands } of migrationsInOrder(pending)) {
    const file = migration.file;
    let steps: string[];
    let verified = true;
    try {
      // Built inside the transaction, as `up` does: a migration may read the database.
      const sql = await buildSql(client, migration, 'up', shorthands);
      steps = sql.steps;
      // pgm.noTransaction() (CREATE INDEX CONCURRENTLY...): its statements refuse to run in
      // a transaction block, so they are shown but cannot be verified here.
      verified = sql.transactional;
      if (verified) await runSteps(client, steps);
      else unverified.push(file.name);
    } catch (error) {
      const cause = failureCause(error);
      if (LOCK_TIMEOUT.test(cause)) {
        throw new UserError(
          `cannot verify ${file.name}: a table it changes stayed in use for more than ${formatSeconds(options.lockTimeoutMs)} (lock timeout); retry, or raise --lock-timeout`,
        );
      }
      throw new UserError(`pending migration ${file.name} fails: ${cause}; nothing was changed`);
    }
    say(
      `-- ${++index}/${pending.length} ${file.name}${verified ? '' : ' (NOT verified: it runs outside a transaction, pgm.noTransaction())'}`,
    );
    for (const step of steps) say(step);
    say('');
  }
}

/**
 * The SQL of the pending migrations, built in a READ ONLY transaction (a migration that reads the
 * database to build its SQL still may; one that writes cannot) and never run.
 */
async function printOnly(client: Client, pending: MigrationFile[], options: PlanOptions, started: number): Promise<{ pending: string[] }> {
  const { target, say } = options;
  await inTransaction(client, target, { readOnly: true }, async () => {
    let index = 0;
    for await (const { migration, shorthands } of migrationsInOrder(pending)) {
      let sql;
      try {
        sql = await buildSql(client, migration, 'up', shorthands);
      } catch (error) {
        throw new UserError(`cannot print ${migration.file.name}: ${failureCause(error)}; nothing was changed`);
      }
      say(
        `-- ${++index}/${pending.length} ${migration.file.name} (printed, not run${sql.transactional ? '' : '; runs outside a transaction, pgm.noTransaction()'})`,
      );
      for (const step of sql.steps) say(step);
      say('');
    }
  });
  say(
    `${plural(pending.length, 'pending migration')} of ${target.label} printed in ${formatDuration(performance.now() - started)}, not run (print-only: no lock taken, no statement run, no sequence moved); migrate plan without --print-only verifies them`,
  );
  return { pending: pending.map((file) => file.name) };
}
