/**
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * `migrate up` with nothing pending stops at the digest comparison (upToDateQuickly); the full
 * comparison reads the directory, runs two small queries and hashes the applied files; it never
 * loads a migration.
 */
import { CHECKSUMS_TABLE, existingTables, MIGRATIONS_TABLE, readBookkeeping, type Queryable } from './bookkeeping';
import type { MigrationsDirectory } from '../directory';
import { unadoptedSodaVersions } from './soda';
import { isUnfilledTemplate } from '../directory/create';
import { compareState, type MigrationState } from './state';

/** Invalid indexes outside the system schemas, but those being built right now (a CREATE INDEX
 * CONCURRENTLY under way is invalid until it ends). */
const INVALID_INDEXES_SQL = `SELECT format('%I.%I on %I', n.nspname, c.relname, t.relname) AS name
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
   AND i.indexrelid NOT IN (SELECT index_relid FROM pg_stat_progress_create_index WHERE index_relid IS NOT NULL)
 ORDER BY 1`;

export async function invalidIndexes(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>(INVALID_INDEXES_SQL)).rows.map((row) => row.name);
}

export async function inspect(db: Queryable, migrations: MigrationsDirectory): Promise<MigrationState> {
  // The query goes out first, and the directory is read while the server answers.
  const reading = readBookkeeping(db);
  try {
    migrations.files();
  } finally {
    await reading.catch(() => {}); // never leave the query's rejection unhandled
  }
  const books = await reading;
  const state = compareState(migrations.files(), books.applied, (file) => migrations.checksum(file), {
    unadoptedSoda: await unadoptedSodaVersions(db, books),
    invalidIndexes: await invalidIndexes(db),
    isUnfilled: isUnfilledTemplate,
    superseded: migrations.superseded(),
  });
  migrations.save();
  return state;
}

/** Every recorded name and checksum, one per line in byte order, as one digest (and a count). */
const RECORDED_DIGEST_SQL = `SELECT count(*)::int AS count,
  encode(sha256(convert_to(coalesce(string_agg(name || ':' || coalesce(sha256, ''), E'\\n' ORDER BY name COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
  FROM (SELECT DISTINCT ON (m.name) m.name, c.sha256 FROM ${MIGRATIONS_TABLE} m LEFT JOIN ${CHECKSUMS_TABLE} c ON c.name = m.name) recorded`;

/**
 * The no-op question of every deploy ("is every file applied, unchanged, and nothing else
 * recorded?") answered without reading the bookkeeping rows or the files: the server returns one
 * digest of its names and checksums, compared with the same digest of the files (remembered
 * under the directory's stamp: directory/). Equal: up to date, with `count` applied, the newest
 * being the last file; nothing else (edited, missing, soda's history) can then be the case.
 * Anything else: undefined, and the caller inspects in full (which also says what is wrong with a
 * directory that cannot be read).
 */
export async function upToDateQuickly(
  db: Queryable,
  migrations: MigrationsDirectory,
): Promise<{ count: number; newest: string } | undefined> {
  const tables = await existingTables(db);
  if (!tables.migrations || !tables.checksums) return undefined;
  // The query goes out first; the directory is stamped while the server answers.
  const recorded = db.query<{ count: number; digest: string }>(RECORDED_DIGEST_SQL);
  let local;
  try {
    local = migrations.digest();
  } finally {
    await recorded.catch(() => {});
  }
  const { count, digest } = (await recorded).rows[0];
  return local && count === local.count && digest === local.digest ? { count, newest: local.newest } : undefined;
}
