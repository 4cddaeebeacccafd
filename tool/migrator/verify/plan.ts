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
import type { ColumnDefinitions } from 'node-pg-migrate';
import type { Client } from 'pg';
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import { formatDuration, formatSeconds, plural, shortList, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import type { MigrationsDirectory } from '../directory';
import { buildSql, type LoadedMigration } from '../directory/load';
import { splitStatements } from '../directory/statements';
import { placeInMigration } from '../directory/place';
import { position } from '../history/report';
import type { MigrationState } from '../history/state';
import { failureCause, runSteps } from '../run/apply';
import { runMigrations, type Direction } from '../run/runner';
import { squawkFindings } from './lint';
import { measureInTransaction, measureOnScratchCopy, modeEffect, type StatementLocks } from './lock-report';
import { advancedSequences, readSequencePositions, type SequencePositions } from './sequences';

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
  /** The closing line with the time taken. @default true (the review report, which must be the
   * same on every run, leaves it out) */
  summary?: boolean;
}

const LOCK_TIMEOUT = /SQLSTATE 55P03/;

/** One pending migration as verified: each statement with what it locked. */
interface MigrationReport {
  name: string;
  transactional: boolean;
  statements: { sql: string; locks: StatementLocks }[];
}

const upToDate = (target: DatabaseTarget, state: MigrationState, raced: boolean) =>
  `${target.label} is up to date, ${position(state)}${raced ? ' (a migration run applied the rest while this one waited)' : ''}; nothing pending`;

/** What migrate up would run, and so what plan takes: every pending migration. */
const pending = (state: MigrationState) => state.pending.map((file) => file.name);

export async function planMigrations(options: PlanOptions): Promise<{ pending: string[] }> {
  const { target, say } = options;
  const run = {
    target,
    migrations: options.migrations,
    allowEdited: options.allowEdited,
    lockTimeoutMs: options.lockTimeoutMs,
    say,
    warn: options.warn,
  };
  if (options.printOnly) return { pending: (await runMigrations(printing(options), run)).done };

  const reports: MigrationReport[] = [];
  let sequencesBefore: SequencePositions = new Map();
  let total = 0;
  const verifying: Direction<MigrationReport> = {
    policy: 'up',
    select: pending,
    nothing: (state, raced) => upToDate(target, state, raced),
    where: () => `${target.label} is unchanged`,
    // Every statement in one transaction, rolled back: verifying holds the migration lock as long.
    lock: 'transaction',
    begin: async (client, state) => {
      total = state.pending.length;
      sequencesBefore = await readSequencePositions(client);
    },
    each: async (client, { migration, shorthands }) => {
      const report = await verifyOne(client, migration, shorthands, options.lockTimeoutMs);
      reports.push(report);
      return report;
    },
    // What was verified before the failure is shown, as the failure's context.
    stopped: () => void printReports(reports, options, total),
    finished: (done, _state, ms) => {
      if (options.summary === false) return undefined;
      const unverified = reports.filter((r) => !r.transactional).map((r) => r.name);
      return `${plural(done.length, 'pending migration')} verified against ${target.label} in ${formatDuration(ms)}: every statement ran in one transaction, then rolled back${unverified.length ? ` (except those of ${unverified.join(', ')}: not verified)` : ''}; migrate up would apply ${done.length === 1 ? 'it' : 'them'}`;
    },
  };
  const { done } = await runMigrations(verifying, {
    ...run,
    finish: async (client) => {
      // Outside the rolled-back transaction, on a scratch copy: what cannot run in one.
      for (const report of reports.filter((r) => !r.transactional)) {
        const measured = await measureOnScratchCopy(
          target,
          report.statements.map((statement) => statement.sql),
        );
        report.statements.forEach((statement, i) => (statement.locks = measured[i]));
      }
      printReports(reports, options);
      const moved = advancedSequences(sequencesBefore, await readSequencePositions(client));
      if (moved.length > 0) {
        options.warn(
          `note: sequences moved while verifying (PostgreSQL never rolls back nextval; numbers are skipped, never reused): ${moved.join(', ')}`,
        );
      }
    },
  });
  return { pending: done };
}

/** Runs one pending migration's statements in the run's transaction, one by one, measuring what
 * each locks (lock-report.ts). */
async function verifyOne(
  client: Client,
  migration: LoadedMigration,
  shorthands: ColumnDefinitions,
  lockTimeoutMs: number,
): Promise<MigrationReport> {
  const file = migration.file;
  try {
    // Built inside the transaction, as `up` does: a migration may read the database.
    const sql = await buildSql(client, migration, 'up', shorthands);
    const report: MigrationReport = { name: file.name, transactional: sql.transactional, statements: [] };
    // pgm.noTransaction() (CREATE INDEX CONCURRENTLY...): its statements refuse to run in a
    // transaction block: shown here, measured on a scratch copy afterwards.
    const statements = sql.transactional
      ? sql.steps.flatMap((step) => splitStatements(step).map((statement) => `${statement};`))
      : sql.steps;
    for (const statement of statements) {
      const locks = sql.transactional
        ? await measureInTransaction(client, () =>
            runSteps(client, [statement], { place: (sql, offset) => placeInMigration(file, 'up', sql, offset) }),
          )
        : { locks: [], rewrote: [], measured: { not: 'the plan stopped before it was measured' } };
      report.statements.push({ sql: statement, locks });
    }
    return report;
  } catch (error) {
    const cause = failureCause(error);
    if (LOCK_TIMEOUT.test(cause)) {
      throw new UserError(
        `cannot verify ${file.name}: a table it changes stayed in use for more than ${formatSeconds(lockTimeoutMs)} (lock timeout); retry, or raise --lock-timeout`,
      );
    }
    throw new UserError(`pending migration ${file.name} fails: ${cause}; nothing was changed`);
  }
}

/** squawk's rules that expect a table rewrite: where PostgreSQL measured otherwise, the two disagree. */
const REWRITE_RULES = new Set(['changing-column-type', 'adding-field-with-default']);

/** Each migration's statements, each followed by what it locked, squawk's verdict, and where the
 * two disagree, as SQL comments (the plan stays SQL). */
function printReports(reports: MigrationReport[], options: PlanOptions, total = reports.length): void {
  const { say } = options;
  const findings = squawkFindings(
    reports.map((report) => ({ name: report.name, steps: report.statements.map((s) => s.sql), transactional: report.transactional })),
    projectRoot(),
  );
  for (const [index, report] of reports.entries()) {
    say(
      `-- ${index + 1}/${total} ${report.name}${report.transactional ? '' : ' (NOT verified: it runs outside a transaction, pgm.noTransaction())'}`,
    );
    for (const [step, { sql, locks }] of report.statements.entries()) {
      say(sql);
      say(`--   ${describeLocks(locks)}`);
      const found = findings.filter((f) => f.migration === report.name && f.step === step);
      if (found.length > 0) say(`--   squawk: ${found.map((f) => `${f.rule} (${f.level})`).join(', ')}`);
      const expectsRewrite = found.find((f) => REWRITE_RULES.has(f.rule));
      if (locks.measured === 'in its transaction' && locks.rewrote.length > 0 && !expectsRewrite) {
        say(`--   DISAGREE: PostgreSQL rewrote ${locks.rewrote.join(', ')} here; squawk flagged no rewrite`);
      }
      if (locks.measured === 'in its transaction' && locks.rewrote.length === 0 && expectsRewrite) {
        say(`--   DISAGREE: squawk's ${expectsRewrite.rule} expects a table rewrite; PostgreSQL rewrote nothing here`);
      }
    }
    say('');
  }
}

/** "locks: ACCESS EXCLUSIVE on users (blocks reads and writes), rewrote users", measured how. */
export function describeLocks(locks: StatementLocks): string {
  if (typeof locks.measured === 'object') return `locks: not measured (${locks.measured.not})`;
  const taken = locks.locks.map((l) => `${l.mode} on ${l.relation} (${modeEffect(l.mode)})`);
  const rewrite =
    locks.rewrote.length > 0
      ? `; rewrote ${locks.rewrote.join(', ')}`
      : locks.measured === 'in its transaction' && taken.length > 0
        ? '; no rewrite'
        : '';
  const how = locks.measured === 'on a scratch copy' ? ', measured on a scratch copy' : '';
  // What the statement asks for again is not seen; what the transaction holds is what counts.
  const held = (locks.held ?? []).map((l) => `${l.mode} on ${l.relation}`);
  const none = held.length > 0 ? `none new (this transaction already holds ${shortList(held, 3)})` : 'none on an existing relation';
  return `locks: ${taken.length > 0 ? taken.join(', ') : none}${rewrite}${how}`;
}

/**
 * The SQL of the pending migrations, built in a READ ONLY transaction without the migration lock
 * (a migration that reads the database to build its SQL still may; one that writes cannot) and
 * never run.
 */
function printing(options: PlanOptions): Direction<void> {
  const { target, say } = options;
  let total = 0;
  let index = 0;
  return {
    policy: 'up',
    select: pending,
    nothing: (state, raced) => upToDate(target, state, raced),
    where: () => `${target.label} is unchanged`,
    lock: 'read-only',
    begin: async (_client, state) => void (total = state.pending.length),
    each: async (client, { migration, shorthands }) => {
      let sql;
      try {
        sql = await buildSql(client, migration, 'up', shorthands);
      } catch (error) {
        throw new UserError(`cannot print ${migration.file.name}: ${failureCause(error)}; nothing was changed`);
      }
      say(
        `-- ${++index}/${total} ${migration.file.name} (printed, not run${sql.transactional ? '' : '; runs outside a transaction, pgm.noTransaction()'})`,
      );
      for (const step of sql.steps) say(step);
      say('');
    },
    stopped: () => undefined,
    finished: (done, _state, ms) =>
      `${plural(done.length, 'pending migration')} of ${target.label} printed in ${formatDuration(ms)}, not run (print-only: no lock taken, no statement run, no sequence moved); migrate plan without --print-only verifies them`,
  };
}
