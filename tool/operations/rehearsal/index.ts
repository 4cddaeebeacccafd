/**
 * `usualstore-db migrate rehearse`: the pending migrations applied to a copy of the target, never
 * to the target itself, while a workload runs against the copy: per statement, what it locked and
 * for how long, what it rewrote and wrote, and what the workload felt meanwhile (its longest wait,
 * p50/p99 latency, errors). The copy (copy.ts) is made, rehearsed on and dropped; the migrations
 * run through the one run loop (migrator/run/runner.ts) in the rehearse direction: applied as
 * `migrate up` applies them (bounds, retries, bookkeeping), each statement on its own and measured
 * (measure.ts), while the workload (workload.ts) runs on connections of its own.
 */
import type { Client } from 'pg';
import { UserError } from '../../base/errors';
import { plural, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { withSession } from '../../db/session';
import type { MigrationsDirectory } from '../../migrator/directory';
import { buildSql, migrationsInOrder, preloadLibrary } from '../../migrator/directory/load';
import { ensureBookkeeping, NOT_BOOKKEEPING } from '../../migrator/history/bookkeeping';
import { FROM, USER_TABLES } from '../../db/user-tables';
import { enforce } from '../../migrator/history/policy';
import { inspect } from '../../migrator/history/state';
import { applyWithRetries, FIRST_RETRY_DELAY_MS } from '../../migrator/run/apply';
import { runMigrations, type Direction } from '../../migrator/run/runner';
import { givenCopy, withScratchCopy, type CopyDescription } from './copy';
import { measureStatement, openMonitor, workloadWalRate, type StatementRecord } from './measure';
import { defaultWorkload, startWorkload, workloadFromFile, type Sample, type WorkloadStatement } from './workload';

export interface RehearseOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** --on URL: a copy the user made; else a scratch copy on the target's server. */
  on?: DatabaseTarget;
  /** --sample PERCENT: each table's rows copied at that rate (scratch copies only). */
  samplePercent?: number;
  /** --workload FILE; else reads and writes by primary key of the tables the migrations touch. */
  workloadFile?: string;
  clients: number;
  /** Requests per second, all clients together. */
  rate: number;
  lockTimeoutMs: number;
  lockRetries: number;
  indexWaitMs: number;
  allowEdited: boolean;
  say: Say;
  warn: Say;
}

/** What the workload felt while a statement held its locks. */
export interface WorkloadDuring {
  requests: number;
  /** The longest any request waited (ms), from when it was due to when it ended. */
  longestWaitMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstError?: string;
}

export interface RehearsedStatement extends StatementRecord {
  /** What the workload felt while its locks were held (from its start to its transaction's end). */
  workload: WorkloadDuring & {
    /** The same, for each of the workload's statements (its reads apart from its writes). */
    byStatement: Record<string, WorkloadDuring>;
  };
}

export interface Rehearsal {
  /** Where it ran (the target is never touched). */
  copy: CopyDescription;
  target: string;
  /** The migrations rehearsed, in order; `failed`: the one that failed on the copy, if one did. */
  migrations: string[];
  failed?: { migration: string; error: string };
  statements: RehearsedStatement[];
  workload: {
    description: string;
    clients: number;
    rate: number;
    statements: string[];
    /** Before the first migration. */
    baseline: WorkloadDuring;
    /** The whole run. */
    total: WorkloadDuring;
    /** Its latency over time, for the chart: [ms since start, latency ms] per request. */
    samples: Sample[];
    skipped: string[];
  };
  /** How long the migrations took on the copy (ms), and the workload's whole length. */
  migrationsMs: number;
  durationMs: number;
}

/** Before the migrations, after the last: the workload's own pace, to compare with. */
const WARM_UP_MS = 1000;
const TAIL_MS = 300;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The requests sent in [from, to) (of workload statement `only`), and how long each spent in the
 * database: what a statement's locks made the application wait while it held them. (A request
 * that waited for its connection first, behind one that an earlier statement held up, counts
 * that earlier statement's doing in the chart and the totals, which take the wait from when the
 * request was due: `fromDue`.)
 */
export function workloadDuring(samples: Sample[], from: number, to: number, only?: number, fromDue = false): WorkloadDuring {
  const during = samples.filter(
    (s) => (fromDue ? s.due : s.sent) >= from && (fromDue ? s.due : s.sent) < to && (only === undefined || s.statement === only),
  );
  const waits = during.map((s) => s.end - (fromDue ? s.due : s.sent)).sort((a, b) => a - b);
  const errors = during.filter((s) => s.error);
  return {
    requests: during.length,
    longestWaitMs: Math.round(waits.at(-1) ?? 0),
    p50Ms: Math.round(percentile(waits, 50) * 10) / 10,
    p99Ms: Math.round(percentile(waits, 99) * 10) / 10,
    errors: errors.length,
    ...(errors[0]?.error ? { firstError: errors[0].error } : {}),
  };
}

/** The tables of the copy that the pending migrations' SQL names (built as `up` builds it, in a
 * read-only transaction that is rolled back). */
async function touchedTables(client: Client, copy: DatabaseTarget, migrations: MigrationsDirectory): Promise<string[]> {
  const state = await inspect(client, migrations);
  const sql: string[] = [];
  await withSession(copy, { transaction: { readOnly: true } }, async (reader) => {
    for await (const { migration, shorthands } of migrationsInOrder(state.pending))
      sql.push(...(await buildSql(reader, migration, 'up', shorthands)).steps);
  });
  const text = sql.join('\n').toLowerCase();
  const { rows } = await client.query<{ name: string; bare: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, lower(c.relname) AS bare ${FROM} WHERE ${USER_TABLES} AND ${NOT_BOOKKEEPING} ORDER BY 1`,
  );
  return rows
    .filter((row) => new RegExp(`(^|[^\\w$])"?${row.bare.replace(/[^\w]/g, '\\$&')}"?($|[^\\w$])`).test(text))
    .map((row) => row.name);
}

/** Runs the rehearsal on `copy` (a scratch one or the user's). */
async function rehearseOn(copyTarget: DatabaseTarget, copy: CopyDescription, options: RehearseOptions): Promise<Rehearsal> {
  preloadLibrary();
  const setup = await withSession(copyTarget, {}, async (client) => {
    if (options.workloadFile)
      return { statements: await workloadFromFile(client, options.workloadFile), skipped: [], description: options.workloadFile };
    const tables = await touchedTables(client, copyTarget, options.migrations);
    const made = await defaultWorkload(client, tables);
    return {
      ...made,
      description: `reads and writes by primary key of ${tables.length ? tables.join(', ') : 'no table (the migrations name none)'}`,
    };
  });
  const statements: WorkloadStatement[] = setup.statements;
  if (statements.length === 0)
    throw new UserError(
      `nothing for the workload to run on the copy: ${setup.description}${setup.skipped.length ? ` (no primary key or no rows: ${setup.skipped.join(', ')})` : ''}; give one with --workload FILE`,
    );
  const monitor = await openMonitor(copyTarget);
  const workload = await startWorkload({ target: copyTarget, statements, clients: options.clients, rate: options.rate });
  const zero = workload.startedAt;
  const records: StatementRecord[] = [];
  let failed: Rehearsal['failed'];
  let migrationsStart = 0;
  let migrationsEnd = 0;
  try {
    const walPerMs = await withSession(copyTarget, {}, (client) => workloadWalRate(client, WARM_UP_MS));
    migrationsStart = performance.now() - zero;
    const rehearsing: Direction<void> = {
      policy: 'up',
      select: (state) => state.pending.map((file) => file.name),
      nothing: (state) => `the copy has nothing pending (${plural(state.applied.length, 'migration')} applied)`,
      where: () => 'the copy',
      lock: 'session',
      begin: (client) => ensureBookkeeping(client),
      each: async (client, { migration, shorthands }, progress) => {
        const mine: StatementRecord[] = [];
        let index = 0;
        try {
          await applyWithRetries(
            client,
            migration,
            'up',
            {
              shorthands,
              progress,
              indexWaitMs: options.indexWaitMs,
              measure: async (sql, transactional, run) => {
                const statement = { migration: migration.file.name, index: ++index, sql, transactional };
                try {
                  mine.push(await measureStatement(client, monitor, statement, run, { zero, walPerMs }));
                } catch (error) {
                  // The statement that failed is in the report, with its error.
                  const record = (error as { record?: StatementRecord }).record;
                  if (record) mine.push(record);
                  throw error;
                }
              },
              committed: () => {
                const at = performance.now() - zero;
                for (const record of mine) if (record.transactional) record.heldUntil = at;
              },
            },
            {
              count: options.lockRetries,
              firstDelayMs: FIRST_RETRY_DELAY_MS,
              warn: (line) => {
                // A retry starts the migration over: its statements are measured again.
                mine.length = 0;
                index = 0;
                options.warn(line);
              },
            },
          );
        } catch (error) {
          failed = { migration: migration.file.name, error: (error as Error).message };
          throw error;
        } finally {
          records.push(...mine);
        }
      },
      stopped: () => undefined,
      finished: () => undefined,
    };
    try {
      await runMigrations(rehearsing, {
        target: copyTarget,
        migrations: options.migrations,
        allowEdited: options.allowEdited,
        lockTimeoutMs: options.lockTimeoutMs,
        say: () => {},
        warn: options.warn,
      });
    } catch (error) {
      if (!failed) throw error;
    }
    migrationsEnd = performance.now() - zero;
    await new Promise((resolve) => setTimeout(resolve, TAIL_MS));
  } finally {
    await workload.stop();
    await monitor.close();
  }
  const samples = workload.samples.sort((a, b) => a.due - b.due);
  return {
    copy,
    target: options.target.label,
    migrations: [...new Set(records.map((r) => r.migration))],
    ...(failed ? { failed } : {}),
    statements: records.map((record) => ({
      ...record,
      workload: {
        ...workloadDuring(samples, record.start, record.heldUntil),
        byStatement: Object.fromEntries(statements.map((s, i) => [s.label, workloadDuring(samples, record.start, record.heldUntil, i)])),
      },
    })),
    workload: {
      description: setup.description,
      clients: options.clients,
      rate: options.rate,
      statements: statements.map((s) => s.label),
      baseline: workloadDuring(samples, 0, migrationsStart, undefined, true),
      total: workloadDuring(samples, 0, Infinity, undefined, true),
      samples,
      skipped: setup.skipped,
    },
    migrationsMs: Math.round(migrationsEnd - migrationsStart),
    durationMs: Math.round(performance.now() - zero),
  };
}

/** Rehearses the pending migrations of `options.target` (see the top); undefined when nothing is pending. */
export async function rehearse(options: RehearseOptions): Promise<Rehearsal | undefined> {
  const { target } = options;
  // Judged on the target, read-only, as migrate up would judge it: no copy is made for nothing.
  const state = await withSession(target, {}, (client) => inspect(client, options.migrations));
  enforce('up', state, { where: target.label, migrationsDir: options.migrations.path, allowEdited: options.allowEdited }, options.warn);
  if (state.pending.length === 0) return undefined;
  if (options.on) {
    if (options.samplePercent !== undefined)
      throw new UserError('--sample makes the copy; with --on the copy is yours (make it as you need)');
    const copy = await givenCopy(target, options.on);
    return rehearseOn(options.on, copy, options);
  }
  return withScratchCopy(
    { target, rows: options.samplePercent ?? 'all', interrupted: `the rehearsal of ${target.label} stopped; the target was not touched` },
    (scratch, made) => rehearseOn(scratch.target, made, options),
  );
}
