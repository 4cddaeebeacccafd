/**
 * What one statement of a rehearsed migration does, measured on the copy while it runs: the lock
 * modes it took on which relations (its own session's locks, read before and after inside its
 * transaction; for one outside a transaction, what a second session sees it hold while it runs),
 * when it started and ended and until when its locks were held (a transaction's locks stay until
 * its COMMIT), whether it rewrote a table (a new relfilenode), the rows it wrote, the bytes it
 * wrote to relations (a rewritten relation's new file whole, otherwise what a relation grew by),
 * WAL (the server's, less the workload's own rate measured before the run), and the temporary
 * space in use at its peak (pg_ls_tmpdir, sampled).
 */
import type { Client } from 'pg';
import type { DatabaseTarget } from '../../db';
import { backendPid, poll, Stop } from '../../db/lock-wait';
import { openSession } from '../../db/session';
import { measureInTransaction, strongestFirst } from '../../migrator/verify/lock-report';

export interface StatementRecord {
  migration: string;
  /** 1-based, within its migration. */
  index: number;
  sql: string;
  transactional: boolean;
  /** ms since the workload's start. */
  start: number;
  end: number;
  /** Until when its locks were held: its transaction's COMMIT, or its own end. */
  heldUntil: number;
  locks: { relation: string; mode: string }[];
  /** Blocking locks an earlier statement of its transaction already holds (it asks for nothing new
   * there, yet the application waits all the same). */
  held: { relation: string; mode: string }[];
  rewrote: string[];
  rows: number | null;
  bytesWritten: number;
  walBytes: number;
  tempBytesPeak: number;
  /** What failed, when the statement did. */
  error?: string;
}

interface Relation {
  file: string;
  size: number;
  name: string;
  kind: string;
}

const RELATIONS_SQL = `SELECT c.oid::text AS oid, c.relfilenode::text AS file, pg_relation_size(c.oid)::float8 AS size, c.oid::regclass::text AS name, c.relkind::text AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname <> 'information_schema' AND (n.nspname !~ '^pg_' OR n.nspname = 'pg_toast') AND c.relkind IN ('r', 'i', 't', 'm', 'p')`;

async function relations(db: Pick<Client, 'query'>): Promise<Map<string, Relation>> {
  const { rows } = await db.query<Relation & { oid: string }>(RELATIONS_SQL);
  return new Map(rows.map((r) => [r.oid, { file: r.file, size: Number(r.size), name: r.name, kind: r.kind }]));
}

async function walPosition(db: Pick<Client, 'query'>): Promise<string> {
  return (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
}

async function walSince(db: Pick<Client, 'query'>, lsn: string): Promise<number> {
  return Number(
    (await db.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [lsn])).rows[0].bytes,
  );
}

/** A second session on the copy, looking at the migration's session while a statement runs: the
 * locks it holds (outside a transaction nothing else shows them) and the temporary space in use. */
export interface Monitor {
  /** Starts looking at `pid` until the returned stop; resolves what was seen (modes as pg_locks names them). */
  watch(pid: number): { stop(): Promise<{ locks: { relation: string; mode: string }[]; tempBytesPeak: number }> };
  close(): Promise<void>;
}

const LOOK = { firstMs: 5, maxMs: 10 };

export async function openMonitor(copy: DatabaseTarget): Promise<Monitor> {
  const session = await openSession(copy);
  const { client } = session;
  // pg_ls_tmpdir needs pg_monitor (or a superuser): without it the peak is not measured.
  const tmp = await client
    .query('SELECT coalesce(sum(size), 0)::float8 AS bytes FROM pg_ls_tmpdir()')
    .then(() => true)
    .catch(() => false);
  return {
    watch: (pid) => {
      const seen = new Map<string, string>();
      let peak = 0;
      const stop = new Stop();
      const looking = poll(
        async () => {
          const { rows } = await client.query<{ relation: string; mode: string; bytes: number }>(
            `SELECT c.oid::regclass::text AS relation, l.mode, ${tmp ? '(SELECT coalesce(sum(size), 0)::float8 FROM pg_ls_tmpdir())' : '0'} AS bytes
               FROM (SELECT 1) one LEFT JOIN pg_locks l ON l.pid = $1 AND l.locktype = 'relation' AND l.granted
               LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE l.pid IS NULL OR (n.nspname <> 'information_schema' AND n.nspname !~ '^pg_')`,
            [pid],
          );
          for (const row of rows) {
            peak = Math.max(peak, Number(row.bytes));
            if (row.relation) seen.set(`${row.mode}\t${row.relation}`, row.mode);
          }
          return false;
        },
        LOOK,
        { stop },
      );
      return {
        stop: async () => {
          stop.stop();
          await looking.catch(() => {});
          return {
            locks: [...seen.keys()].map((key) => {
              const [mode, relation] = key.split('\t');
              return { relation, mode };
            }),
            tempBytesPeak: peak,
          };
        },
      };
    },
    close: () => session.close(),
  };
}

/** The workload's WAL per ms, measured before the migrations run: what to take off each statement's. */
export async function workloadWalRate(db: Pick<Client, 'query'>, ms: number): Promise<number> {
  const before = await walPosition(db);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await walSince(db, before)) / Math.max(1, performance.now() - started);
}

/**
 * Runs `run` (one statement on `client`, the migration's session) and records it. Times are ms
 * since `zero`; `heldUntil` is set to `end` here and moved to the COMMIT by the caller for a
 * statement inside a transaction.
 */
export async function measureStatement(
  client: Client,
  monitor: Monitor,
  statement: { migration: string; index: number; sql: string; transactional: boolean },
  run: () => Promise<{ rowCount: number | null }>,
  context: { zero: number; walPerMs: number },
): Promise<StatementRecord> {
  const before = await relations(client);
  const existed = new Set([...before.values()].map((r) => r.name));
  const wal = await walPosition(client);
  const watch = monitor.watch(backendPid(client));
  const start = performance.now() - context.zero;
  let rows: number | null = null;
  let error: unknown;
  let own: { locks: { relation: string; mode: string }[]; held?: { relation: string; mode: string }[] } | undefined;
  try {
    if (statement.transactional) own = await measureInTransaction(client, async () => (rows = (await run()).rowCount));
    else rows = (await run()).rowCount;
  } catch (failure) {
    error = failure;
  }
  const end = performance.now() - context.zero;
  const seen = await watch.stop();
  const record: StatementRecord = {
    ...statement,
    start,
    end,
    heldUntil: end,
    // What the second session saw, but for relations the statement itself created.
    locks: own?.locks ?? strongestFirst(seen.locks.filter((l) => existed.has(l.relation))),
    held: own?.held ?? [],
    rewrote: [],
    rows,
    bytesWritten: 0,
    walBytes: 0,
    tempBytesPeak: seen.tempBytesPeak,
    ...(error ? { error: (error as Error).message } : {}),
  };
  if (error) {
    throw Object.assign(error as object, { record });
  }
  const after = await relations(client);
  record.walBytes = Math.max(0, Math.round((await walSince(client, wal)) - context.walPerMs * (end - start)));
  for (const [oid, now] of after) {
    const was = before.get(oid);
    if (!was) record.bytesWritten += now.size;
    else if (was.file !== now.file) {
      record.bytesWritten += now.size;
      if (now.kind === 'r' || now.kind === 'm' || now.kind === 'p') record.rewrote.push(now.name);
    } else record.bytesWritten += Math.max(0, now.size - was.size);
  }
  record.rewrote.sort();
  // A rewrite writes every row; reltuples (the copy was analyzed) says how many.
  if (record.rows === null && record.rewrote.length > 0) {
    const { rows: counts } = await client.query<{ rows: number }>(
      `SELECT coalesce(sum(greatest(reltuples, 0)), 0)::float8 AS rows FROM pg_class WHERE oid = ANY ($1::regclass[])`,
      [record.rewrote],
    );
    record.rows = Math.round(Number(counts[0].rows));
  }
  return record;
}
