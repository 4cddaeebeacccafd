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
import { formatSeconds, type Say, formatDuration, plural, shortList } from '../base/text';
import { failureCause, runSteps } from './apply';
import type { MigrationFile, MigrationsDirectory } from './directory';
import { inspect } from './inspect';
import { buildSql, migrationsInOrder } from './load';
import { enforce } from './policy';
import { position } from './report';
import { projectRoot } from '../base/project';
import { squawkFindings } from './lint';
import { measureInTransaction, measureOnScratchCopy, modeEffect, type StatementLocks } from './locks';
import { advancedSequences, readSequencePositions } from './sequences';
import { splitStatements } from './statements';
import { inTransaction, withSession } from '../db/session';
import { MIGRATION_LOCK } from './migration-lock';

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
    const reports = await inTransaction(
      client,
      target,
      { lockTimeoutMs: options.lockTimeoutMs, lock: { lock: MIGRATION_LOCK, warn: options.warn } },
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
        return verify(client, current.pending, options);
      },
    );
    if (reports.length === 0) return { pending: [] };
    // Outside the rolled-back transaction, on a scratch copy: what cannot run in one.
    for (const report of reports.filter((r) => !r.transactional)) {
      const measured = await measureOnScratchCopy(
        target,
        report.statements.map((s) => s.sql),
      );
      report.statements.forEach((statement, i) => (statement.locks = measured[i]));
    }
    printReports(reports, options);
    const unverified = reports.filter((r) => !r.transactional).map((r) => r.name);
    const moved = advancedSequences(sequencesBefore, await readSequencePositions(client));
    if (moved.length > 0) {
      options.warn(
        `note: sequences moved while verifying (PostgreSQL never rolls back nextval; numbers are skipped, never reused): ${moved.join(', ')}`,
      );
    }
    if (options.summary !== false) {
      say(
        `${plural(reports.length, 'pending migration')} verified against ${target.label} in ${formatDuration(performance.now() - started)}: every statement ran in one transaction, then rolled back${unverified.length ? ` (except those of ${unverified.join(', ')}: not verified)` : ''}; migrate up would apply ${reports.length === 1 ? 'it' : 'them'}`,
      );
    }
    return { pending: reports.map((report) => report.name) };
  });
}

/** One pending migration as verified: each statement with what it locked. */
interface MigrationReport {
  name: string;
  transactional: boolean;
  statements: { sql: string; locks: StatementLocks }[];
}

/** Runs each pending migration's statements in the caller's transaction, one by one, measuring
 * what each locks (locks.ts). */
async function verify(client: Client, pending: MigrationFile[], options: PlanOptions): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  try {
    return await verifyInto(reports, client, pending, options);
  } catch (error) {
    // What was verified before the failure is shown, as the failure's context.
    printReports(reports, options, pending.length);
    throw error;
  }
}

async function verifyInto(
  reports: MigrationReport[],
  client: Client,
  pending: MigrationFile[],
  options: PlanOptions,
): Promise<MigrationReport[]> {
  for await (const { migration, shorthands } of migrationsInOrder(pending)) {
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
          ? await measureInTransaction(client, () => runSteps(client, [statement]))
          : { locks: [], rewrote: [], measured: { not: 'the plan stopped before it was measured' } };
        report.statements.push({ sql: statement, locks });
      }
      reports.push(report);
    } catch (error) {
      const cause = failureCause(error);
      if (LOCK_TIMEOUT.test(cause)) {
        throw new UserError(
          `cannot verify ${file.name}: a table it changes stayed in use for more than ${formatSeconds(options.lockTimeoutMs)} (lock timeout); retry, or raise --lock-timeout`,
        );
      }
      throw new UserError(`pending migration ${file.name} fails: ${cause}; nothing was changed`);
    }
  }
  return reports;
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
