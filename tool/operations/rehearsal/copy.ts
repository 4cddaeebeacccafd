/**
 * The copy a rehearsal runs on, never the target itself: a scratch database on the target's own
 * server (db/scratch-database.ts: dropped however the rehearsal ends) made by pg_dump and
 * pg_restore along the target's route (operations/route.ts), with its rows (all, or a sample of
 * each table: --sample PERCENT, TABLESAMPLE BERNOULLI), or with none (the schema and the migration
 * bookkeeping only: what `migrate plan` needs against a live database); or a copy the user made
 * (--on URL: an RDS snapshot restored to a temporary instance), used as it is and left to them.
 * Reading the target takes pg_dump's locks only: ACCESS SHARE on each table it dumps (what a
 * backup takes), which no read or write of the application waits for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';
import { tempDir } from '../../base/temp';
import { withScratchDatabase, type ScratchDatabase } from '../../db/scratch-database';
import { withSession } from '../../db/session';
import type { DatabaseTarget } from '../../db';
import { NOT_BOOKKEEPING } from '../../migrator/history/bookkeeping';
import { FROM, USER_TABLES } from '../../db/user-tables';
import { invocation, runTool, toolErrorLine } from '../client-tools';
import { routeTo, routeToDatabase, type ClientRoute } from '../route';

/** What the rehearsal ran on, in words for its report. */
export interface CopyDescription {
  kind: 'scratch' | 'given' | 'schema-only';
  /** Named for the report without anything that changes from run to run. */
  label: string;
  /** With --sample: the percentage of each table's rows copied. */
  samplePercent?: number;
  /** How long making it took (ms). */
  madeMs?: number;
}

/** pg_dump -Fc of `route`'s database into `file`: one line when it fails. */
async function dump(route: ClientRoute, file: string, args: string[]): Promise<void> {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    const result = await runTool(invocation(route, 'pg_dump', ['--format=custom', '--no-password', ...args]), { stdout: fd });
    if (result.code !== 0)
      throw new UserError(`cannot copy ${route.label} for the rehearsal: pg_dump failed: ${toolErrorLine('pg_dump', result.stderr)}`);
  } finally {
    fs.closeSync(fd);
  }
}

async function restore(route: ClientRoute, file: string): Promise<void> {
  const fd = fs.openSync(file, 'r');
  try {
    const args = [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      `--dbname=${route.kind === 'local' ? route.target.database : route.database}`,
    ];
    const result = await runTool(invocation(route, 'pg_restore', args), { stdin: fd });
    if (result.code !== 0)
      throw new UserError(`cannot make the rehearsal's copy: pg_restore failed: ${toolErrorLine('pg_restore', result.stderr)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The user tables of the target (schema-qualified, quoted), but the migration bookkeeping. */
async function userTables(target: DatabaseTarget): Promise<{ name: string; columns: string }[]> {
  return withSession(target, {}, async (client) => {
    const { rows } = await client.query<{ name: string; columns: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name,
              string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns
         ${FROM} JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE ${USER_TABLES} AND ${NOT_BOOKKEEPING}
        GROUP BY 1 ORDER BY 1`,
    );
    return rows;
  });
}

/** A sample of each table's rows, through a file: COPY out of the target, COPY into the copy. */
async function copySample(
  from: ClientRoute,
  to: ClientRoute,
  tables: { name: string; columns: string }[],
  percent: number,
  work: string,
): Promise<void> {
  for (const [i, table] of tables.entries()) {
    const file = path.join(work, `sample-${i}.copy`);
    const out = fs.openSync(file, 'w', 0o600);
    try {
      const read = await runTool(
        invocation(from, 'psql', [
          '-X',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `COPY (SELECT ${table.columns} FROM ${table.name} TABLESAMPLE BERNOULLI (${percent})) TO STDOUT`,
        ]),
        { stdout: out },
      );
      if (read.code !== 0) throw new UserError(`cannot sample ${table.name} of ${from.label}: ${toolErrorLine('psql', read.stderr)}`);
    } finally {
      fs.closeSync(out);
    }
    const input = fs.openSync(file, 'r');
    try {
      const write = await runTool(
        invocation(to, 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${table.name} (${table.columns}) FROM STDIN`]),
        { stdin: input },
      );
      if (write.code !== 0) throw new UserError(`cannot copy the sample of ${table.name}: ${toolErrorLine('psql', write.stderr)}`);
    } finally {
      fs.closeSync(input);
      fs.rmSync(file, { force: true });
    }
  }
}

export interface CopyRequest {
  target: DatabaseTarget;
  /** 'all' rows, a percentage of each table's, or 'none' (the schema and the bookkeeping only). */
  rows: 'all' | 'none' | number;
  /** What the command was doing, for an interruption's line. */
  interrupted: string;
}

/**
 * Makes the scratch copy of `request.target` on its server and hands it to `work`, dropping it
 * afterwards (also when interrupted; a signal that cannot wait names it). Refuses in one line
 * where no database may be created there.
 */
export async function withScratchCopy<T>(
  request: CopyRequest,
  work: (copy: ScratchDatabase, made: CopyDescription) => Promise<T>,
): Promise<T> {
  const { target, rows } = request;
  const started = performance.now();
  return withScratchDatabase(
    target,
    { purpose: 'rehearsal', interrupted: request.interrupted, needed: `cannot make a copy of ${target.label} to rehearse on` },
    async (scratch) => {
      const from = routeTo(target);
      const to = routeToDatabase(from, scratch.name);
      const files = tempDir('rehearsal');
      try {
        const archive = path.join(files, 'copy.dump');
        const tables = rows === 'all' ? [] : await userTables(target);
        // Rows of the tables to sample are copied apart; the bookkeeping's always go with the schema.
        await dump(
          from,
          archive,
          tables.map((table) => `--exclude-table-data=${table.name}`),
        );
        await restore(to, archive);
        if (typeof rows === 'number') await copySample(from, to, tables, rows, files);
        // Planner statistics, and reltuples for the report's row counts.
        await withSession(scratch.target, {}, (client) => client.query('ANALYZE'));
      } finally {
        fs.rmSync(files, { recursive: true, force: true });
      }
      const made: CopyDescription = {
        kind: rows === 'none' ? 'schema-only' : 'scratch',
        label: `${rows === 'none' ? 'a schema-only copy' : 'a copy'} of ${target.label} on its own server`,
        ...(typeof rows === 'number' ? { samplePercent: rows } : {}),
        madeMs: performance.now() - started,
      };
      return work(scratch, made);
    },
  );
}

/** A copy the user made (--on URL), checked not to be the target itself. */
export async function givenCopy(target: DatabaseTarget, copy: DatabaseTarget): Promise<CopyDescription> {
  const identity = (t: DatabaseTarget) =>
    withSession(t, {}, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || (SELECT oid FROM pg_database WHERE datname = current_database())::text AS id`,
      );
      return rows[0].id;
    });
  const [a, b] = await Promise.all([identity(target), identity(copy)]);
  if (a === b)
    throw new UserError(
      `--on ${copy.label} is the target itself (the same server and database); the rehearsal runs on a copy, never on the target`,
    );
  return { kind: 'given', label: `the copy ${copy.label}` };
}
