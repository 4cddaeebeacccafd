/**
 * `copy --to URL`: the seed's "Migration to Production" (pg_dump, import, check) as one command.
 * The source (the local database, by default) is dumped to an owner-only temporary archive,
 * restored into the target in one transaction (a target with tables is refused: nothing is ever
 * overwritten), and then every table's row count is compared on both sides. The archive is
 * removed however the copy ends. No password is printed: databases are named by their labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { formatDuration, plural, type Say } from '../base/text';
import { backup } from './backup';
import { restore } from './restore';
import type { ClientRoute } from './route';
import { queryValue } from './route-query';
import { USER_TABLE_COUNT_SQL } from '../db/user-tables';
import { tempDir } from '../base/temp';
import type { DatabaseTarget } from '../db';

export interface CopyOptions {
  /** The database `from` reaches. */
  source: DatabaseTarget;
  from: ClientRoute;
  to: ClientRoute;
  lockTimeoutMs: number;
  say: Say;
}

/** Exact row counts of every user table, as JSON {"schema.table": count}, in one query. */
const ROW_COUNTS_SQL = `SELECT coalesce(json_object_agg(t.name, t.rows ORDER BY t.name), '{}')::text AS value FROM (
  SELECT format('%I.%I', table_schema, table_name) AS name,
         (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint AS rows
    FROM information_schema.tables
   WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%') t`;

async function rowCounts(route: ClientRoute): Promise<Record<string, number>> {
  return JSON.parse(await queryValue(route, ROW_COUNTS_SQL)) as Record<string, number>;
}

export async function copyDatabase(options: CopyOptions): Promise<void> {
  const started = performance.now();
  const { from, to, say } = options;
  if (from.label === to.label) throw new UserError(`copy needs two databases; --to names the source itself (${from.label})`);
  const tables = Number(await queryValue(to, USER_TABLE_COUNT_SQL));
  if (tables > 0) {
    throw new UserError(
      `${to.label} already has ${plural(tables, 'table')}; copy writes only into a database with none (do not migrate it first: the copy brings the schema and its migration history); nothing was changed`,
    );
  }
  const work = tempDir('copy');
  const archive = path.join(work, 'copy.dump');
  try {
    await backup({ route: from, target: options.source, file: archive, force: false, lockTimeoutMs: options.lockTimeoutMs, say: () => {} });
    await restore({ route: to, file: archive, force: false, lockTimeoutMs: options.lockTimeoutMs, say: () => {} });
    const [source, target] = await Promise.all([rowCounts(from), rowCounts(to)]);
    const tables = [...new Set([...Object.keys(source), ...Object.keys(target)])].sort();
    const mismatched = tables.filter((table) => source[table] !== target[table]);
    if (mismatched.length > 0) {
      const detail = mismatched.map((table) => `${table} ${source[table] ?? 'absent'} -> ${target[table] ?? 'absent'}`).join(', ');
      throw new UserError(`copied ${from.label} into ${to.label}, but the row counts differ: ${detail}; check the target before using it`);
    }
    const rows = tables.reduce((sum, table) => sum + source[table], 0);
    say(
      `copied ${from.label} into ${to.label} in ${formatDuration(performance.now() - started)}: ${plural(tables.length, 'table')}, ${plural(rows, 'row')}, every table's row count equal on both sides`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
