/**
 * A backup people can trust (`backup --verify`): the archive is restored into a scratch database
 * and every table's row count and checksum of its rows are compared with the source's, as the
 * source was when pg_dump read it. The dump reads an exported snapshot (pg_dump --snapshot) that
 * this command's own repeatable-read transaction holds, and the source's checksums are taken in
 * that same transaction: a live database changing meanwhile makes no false alarm. The scratch
 * database (db/scratch-database.ts) is dropped however the check ends.
 */
import fs from 'node:fs';
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import { plural } from '../base/text';
import { withDatabase, type DatabaseTarget } from '../db';
import { withScratchDatabase } from '../db/scratch-database';
import { withSession } from '../db/session';
import { invocation, runTool, toolErrorLine } from './client-tools';
import { routeToDatabase, type ClientRoute } from './route';

/** Each user table's rows: how many, and an md5 of their md5s in order (types print the same on both sides). */
export type TableSums = Map<string, { rows: number; sum: string }>;

const TABLES_SQL = `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' ORDER BY 1`;

export async function tableSums(db: Pick<Client, 'query'>): Promise<TableSums> {
  const sums: TableSums = new Map();
  for (const { name } of (await db.query<{ name: string }>(TABLES_SQL)).rows) {
    const { rows } = await db.query<{ rows: number; sum: string }>(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS sum FROM ${name} t`,
    );
    sums.set(name, rows[0]);
  }
  return sums;
}

/** The source held at one snapshot while `dump(snapshot)` reads it; its checksums from the same. */
export async function withExportedSnapshot<T>(
  target: DatabaseTarget,
  dump: (snapshot: string) => Promise<T>,
): Promise<{ result: T; sums: TableSums }> {
  return withSession(target, { transaction: { readOnly: true, isolation: 'repeatable read' } }, async (client) => {
    const { id } = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0];
    const result = await dump(id);
    return { result, sums: await tableSums(client) };
  });
}

/** One line per table whose rows differ, and the tables only one side has. */
export function differences(source: TableSums, restored: TableSums, onlyRestored: boolean): string[] {
  const found: string[] = [];
  for (const [name, sums] of source) {
    const other = restored.get(name);
    if (!other) {
      if (!onlyRestored) found.push(`${name} is not in the archive`);
    } else if (other.rows !== sums.rows) found.push(`${name}: ${sums.rows} rows in the source, ${other.rows} restored`);
    else if (other.sum !== sums.sum) found.push(`${name}: the ${plural(sums.rows, 'row')} restored differ from the source's`);
  }
  for (const name of restored.keys()) if (!source.has(name)) found.push(`${name} is restored but not in the source`);
  return found;
}

export interface VerifyOptions {
  route: ClientRoute;
  target: DatabaseTarget;
  archive: string;
  /** The source's checksums at the archive's snapshot. */
  sums: TableSums;
  /** The archive holds only some tables (backup --table): tables it does not hold are not missing. */
  partial: boolean;
}

/** The archive restored into `scratch` (already created), compared with the source's sums. */
async function restoreAndCompare(options: VerifyOptions, scratch: string): Promise<string> {
  const route = routeToDatabase(options.route, scratch);
  // On stdin: the same command works inside the container, where the file is not.
  const fd = fs.openSync(options.archive, 'r');
  let restored;
  try {
    const args = ['--single-transaction', '--exit-on-error', '--no-owner', '--no-password', `--dbname=${scratch}`];
    restored = await runTool(invocation(route, 'pg_restore', args), { stdin: fd });
  } finally {
    fs.closeSync(fd);
  }
  if (restored.code !== 0) throw new UserError(`the archive does not restore: ${toolErrorLine('pg_restore', restored.stderr)}`);
  const sums = await withSession(withDatabase(options.target, scratch), {}, tableSums);
  const found = differences(options.sums, sums, options.partial);
  if (found.length > 0)
    throw new UserError(
      `the archive restores, but ${found.slice(0, 3).join('; ')}${found.length > 3 ? `; and ${found.length - 3} more` : ''}`,
    );
  const rows = [...sums.values()].reduce((total, table) => total + table.rows, 0);
  return `verified: restored into a scratch database, ${plural(sums.size, 'table')} and ${plural(rows, 'row')}, each table's row count and checksum equal to the source's`;
}

/** Restores `archive` into a scratch database and compares; a summary, or one line saying what differs. */
export async function verifyArchive(options: VerifyOptions): Promise<string> {
  return withScratchDatabase(
    options.target,
    {
      purpose: 'verify',
      interrupted: `backup of ${options.route.label} stopped while verifying; nothing was written`,
      needed: 'cannot verify the archive',
    },
    (scratch) => restoreAndCompare(options, scratch.name),
  );
}
