/**
 * What a statement really locks, measured: the lock modes it took on which relations, and whether
 * it rewrote a table (its relfilenode changed). `migrate plan` runs each pending statement in its
 * rolled-back transaction and asks the server before and after (pg_locks of its own session,
 * pg_class.relfilenode), so the report is PostgreSQL's answer for this database, not a guess from
 * the SQL's text (squawk's, which plan prints beside it, flagging where the two disagree).
 *
 * A statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) is measured on a copy:
 * the tables' definitions copied (empty) into a scratch schema, a second session holding them
 * ACCESS EXCLUSIVE so that the statement must wait, and pg_locks read while it waits: the mode it
 * asks for is the one it would take here. The scratch schema is dropped at once.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseTarget } from '../../db';
import { backendPid } from '../../db/lock-wait';
import { poll } from '../../db/lock-wait';
import { inTransaction, lockTimeoutSql, withSession } from '../../db/session';
import type { Queryable } from '../history/bookkeeping';

export interface StatementLocks {
  /** The strongest mode it took on each relation ("ACCESS EXCLUSIVE" on "users"), strongest
   * first; relations created by the statement itself are left out. */
  locks: { relation: string; mode: string }[];
  /** Locks an earlier statement of the same transaction already holds: a statement asking for
   * one of them again (or a weaker one) shows nothing new, yet the application waits all the same. */
  held?: { relation: string; mode: string }[];
  /** Tables whose data was rewritten (a new relfilenode). */
  rewrote: string[];
  /** How it was measured, or why not. */
  measured: 'in its transaction' | 'on a scratch copy' | { not: string };
}

/** PostgreSQL's lock modes, weakest first, as the docs name them. */
const MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];

/** "AccessExclusiveLock" -> "ACCESS EXCLUSIVE". */
export function modeName(mode: string): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** What a mode ("SHARE", as modeName writes it) keeps the application from doing while held. */
export function modeEffect(mode: string): string {
  const strength = MODES.map(modeName).indexOf(mode);
  if (strength >= MODES.indexOf('AccessExclusiveLock')) return 'blocks reads and writes';
  if (strength >= MODES.indexOf('ShareLock')) return 'blocks writes';
  return 'reads and writes go on';
}

/** Relations of the user's schemas (not the catalogs, not TOAST). */
const USER_RELATION = `n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;

const OWN_LOCKS_SQL = `SELECT c.oid::regclass::text AS relation, l.mode
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND ${USER_RELATION}`;

const RELATIONS_SQL = `SELECT c.oid::text AS oid, c.relfilenode::text AS file, c.relkind::text AS kind, c.oid::regclass::text AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE ${USER_RELATION}`;

async function ownLocks(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ relation: string; mode: string }>(OWN_LOCKS_SQL);
  return new Set(rows.map((row) => `${row.mode}\t${row.relation}`));
}

interface Relation {
  file: string;
  kind: string;
  name: string;
}

async function relations(db: Queryable): Promise<Map<string, Relation>> {
  const { rows } = await db.query<Relation & { oid: string }>(RELATIONS_SQL);
  return new Map(rows.map((row) => [row.oid, { file: row.file, kind: row.kind, name: row.name }]));
}

/** The strongest mode on each relation, strongest first, with PostgreSQL's mode names. */
export function strongestFirst(locks: { relation: string; mode: string }[]): { relation: string; mode: string }[] {
  const strongest = new Map<string, string>();
  for (const { relation, mode } of locks) {
    const known = strongest.get(relation);
    if (known === undefined || MODES.indexOf(mode) > MODES.indexOf(known)) strongest.set(relation, mode);
  }
  return [...strongest]
    .map(([relation, mode]) => ({ relation, mode }))
    .sort((a, b) => MODES.indexOf(b.mode) - MODES.indexOf(a.mode) || (a.relation < b.relation ? -1 : 1))
    .map((l) => ({ relation: l.relation, mode: modeName(l.mode) }));
}

const parse = (locks: Iterable<string>) =>
  [...locks].map((lock) => {
    const [mode, relation] = lock.split('\t');
    return { mode, relation };
  });

/**
 * Runs `run` (one statement, in the caller's transaction) and says what it locked and rewrote:
 * the locks this session holds after it and did not before (a mode it already held does not
 * count again), and the tables whose relfilenode changed.
 */
export async function measureInTransaction(db: Queryable, run: () => Promise<unknown>): Promise<StatementLocks> {
  const relationsBefore = await relations(db);
  const before = await ownLocks(db);
  await run();
  const after = await ownLocks(db);
  const relationsAfter = await relations(db);
  // A relation the statement created is no one else's to wait for.
  const existed = new Set([...relationsBefore.values()].map((relation) => relation.name));
  const taken = parse([...after].filter((lock) => !before.has(lock))).filter((lock) => existed.has(lock.relation));
  const rewrote = [...relationsBefore]
    .filter(([oid, r]) => (r.kind === 'r' || r.kind === 'm') && relationsAfter.has(oid) && relationsAfter.get(oid)!.file !== r.file)
    .map(([, r]) => r.name);
  // What the transaction holds that keeps the application from writing (the bookkeeping's reads
  // aside): the locks an earlier statement took.
  const tablesBefore = new Set(
    [...relationsBefore.values()].filter((r) => r.kind === 'r' || r.kind === 'p' || r.kind === 'm').map((r) => r.name),
  );
  const held = parse(before).filter(
    (lock) =>
      MODES.indexOf(lock.mode) >= MODES.indexOf('ShareLock') && tablesBefore.has(lock.relation) && !/^pgmigrations/.test(lock.relation),
  );
  return { locks: strongestFirst(taken), held: strongestFirst(held), rewrote: rewrote.sort(), measured: 'in its transaction' };
}

/** Looking for the statement's wait: every 20 ms, for at most two seconds. */
const WAIT_LOOK = { firstMs: 20, maxMs: 20 };
const WAIT_LOOK_MS = 2000;

/**
 * The statements of a migration that cannot run in a transaction, measured in order on one scratch
 * copy (see above): its tables as the live database has them now, so what a pending migration
 * before it changes is not there; a statement that then fails is "not measured", saying why, and
 * so are the ones after it.
 */
export async function measureOnScratchCopy(target: DatabaseTarget, statements: string[]): Promise<StatementLocks[]> {
  const scratch = `usualstore_probe_${randomBytes(4).toString('hex')}`;
  return withSession(target, {}, (runner) =>
    withSession(target, {}, async (holder) => {
      const results: StatementLocks[] = [];
      try {
        // The copy: every table of public, its columns, defaults, constraints and indexes, no rows.
        await runner.query(`CREATE SCHEMA ${scratch}`);
        const { rows: copies } = await runner.query<{ sql: string }>(
          `SELECT format('CREATE TABLE ${scratch}.%I (LIKE public.%I INCLUDING ALL)', relname, relname) AS sql FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
        );
        for (const { sql } of copies) await runner.query(sql);
        await runner.query(`SET search_path = ${scratch}; ${lockTimeoutSql('none', 'session')}`);
        const runnerPid = backendPid(runner);
        for (const statement of statements) {
          if (results.some((result) => typeof result.measured === 'object')) {
            results.push({ locks: [], rewrote: [], measured: { not: 'a statement before it could not be measured' } });
            continue;
          }
          let running: Promise<Error | undefined> = Promise.resolve(undefined);
          let waitedFor: { relation: string; mode: string }[] = [];
          // The holder takes every table of the copy, so the statement must wait, asking for its mode.
          await inTransaction(holder, target, {}, async () => {
            const { rows: tablesOfCopy } = await holder.query<{ name: string }>(
              `SELECT format('%I.%I', nspname, relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = $1 AND relkind = 'r'`,
              [scratch],
            );
            for (const { name } of tablesOfCopy) await holder.query(`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
            let finished = false;
            running = runner.query(statement).then(
              () => void (finished = true),
              (error: Error) => ((finished = true), error),
            );
            await poll(
              async () => {
                const { rows } = await holder.query<{ relation: string; mode: string }>(
                  `SELECT c.relname AS relation, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = $1 AND NOT l.granted AND l.locktype = 'relation'`,
                  [runnerPid],
                );
                waitedFor = rows;
                // Waiting, or finished (or failed) without waiting: it locks nothing of the copy.
                return rows.length > 0 || finished;
              },
              WAIT_LOOK,
              { deadlineMs: performance.now() + WAIT_LOOK_MS },
            );
          });
          const failed = await running;
          results.push(
            failed
              ? {
                  locks: [],
                  rewrote: [],
                  measured: { not: `it fails on a copy of today's tables (${failed.message}): a pending migration before it changes them` },
                }
              : { locks: strongestFirst(waitedFor), rewrote: [], measured: 'on a scratch copy' },
          );
        }
        return results;
      } finally {
        await runner.query(`RESET search_path; DROP SCHEMA IF EXISTS ${scratch} CASCADE`).catch(() => {});
      }
    }),
  );
}
