/**
 * Files on disk against bookkeeping in the database: what is applied, pending, edited since it
 * was applied, or applied but gone from disk. Pure (the checksum function is passed in), so
 * that the rules are unit-tested without a server.
 */
import type { AppliedMigration } from './bookkeeping';
import { compareMigrations, type MigrationFile, type SupersededChecksums, versionOf } from '../directory';
import { CHECKSUMS_TABLE, existingTables, MIGRATIONS_TABLE, NOT_BOOKKEEPING, readBookkeeping, type Queryable } from './bookkeeping';
import { FROM, USER_TABLES } from '../../db/user-tables';
import type { MigrationsDirectory } from '../directory';
import { unadoptedSodaVersions } from './soda';
import { isUnfilledTemplate } from '../directory/create';

export interface MigrationState {
  files: MigrationFile[];
  /** Ordered by version and name (not by when they ran). */
  applied: AppliedMigration[];
  /** Not applied yet, oldest first. */
  pending: MigrationFile[];
  /** Applied, but the file's checksum differs from the one recorded then. */
  edited: string[];
  /** Applied, but no file of that name in the migrations directory. */
  missing: string[];
  /** Applied with no checksum recorded (by node-pg-migrate's own CLI, say): cannot be verified. */
  unrecorded: string[];
  /** Pending migrations older than the newest applied one: applying them would run history out
   * of order (node-pg-migrate refuses this too). */
  outOfOrder: { name: string; newestApplied: string }[];
  /** Versions soda recorded in a database usualstore-db records nothing about (see soda.ts):
   * migrating it would re-run that history. 0 when there is nothing to adopt. */
  unadoptedSoda: number;
  /** Indexes left invalid ("schema.index on table") by a CREATE INDEX CONCURRENTLY that failed or
   * was stopped, and not being built now: IF NOT EXISTS would skip them and leave them unusable. */
  invalidIndexes: string[];
  /** Pending migrations still the template migrate create wrote: empty. */
  unfilled: string[];
  /** Tables of a database with no migration history (soda's neither): built by hand or from
   * schema.sql, which migrating from zero would collide with. Empty where there is a history. */
  untrackedTables: string[];
}

/** What the database says beside its bookkeeping, and the reviewed superseded checksums. */
export interface StateFacts {
  unadoptedSoda?: number;
  invalidIndexes?: string[];
  untrackedTables?: string[];
  /** Which pending files are still a template (create.ts), asked only of pending ones. */
  isUnfilled?: (file: MigrationFile) => boolean;
  superseded?: SupersededChecksums;
}

/** `checksum` is called only for applied migrations whose file exists (the no-op path hashes
 * what it must and loads nothing). */
export function compareState(
  files: MigrationFile[],
  applied: AppliedMigration[],
  checksum: (file: MigrationFile) => string,
  facts: StateFacts = {},
): MigrationState {
  const superseded = facts.superseded ?? {};
  const byName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set(applied.map((m) => m.name));
  const edited: string[] = [];
  const missing: string[] = [];
  const unrecorded: string[] = [];
  for (const migration of applied) {
    const file = byName.get(migration.name);
    if (!file) missing.push(migration.name);
    else if (migration.checksum === null) unrecorded.push(migration.name);
    else if (
      checksum(file) !== migration.checksum &&
      !(Object.hasOwn(superseded, migration.name) && superseded[migration.name].sha256.includes(migration.checksum))
    ) {
      edited.push(migration.name);
    }
  }
  const pending = files.filter((file) => !appliedNames.has(file.name));

  let newest: { name: string; version: bigint } | undefined;
  for (const { name } of applied) {
    const candidate = { name, version: versionOf(name) ?? 0n };
    if (!newest || compareMigrations(candidate, newest) > 0) newest = candidate;
  }
  const latest = newest;
  const outOfOrder = latest
    ? pending.filter((file) => compareMigrations(file, latest) < 0).map((file) => ({ name: file.name, newestApplied: latest.name }))
    : [];
  return {
    files,
    applied,
    pending,
    edited,
    missing,
    unrecorded,
    outOfOrder,
    unadoptedSoda: facts.unadoptedSoda ?? 0,
    invalidIndexes: facts.invalidIndexes ?? [],
    untrackedTables: facts.untrackedTables ?? [],
    unfilled: pending.filter((file) => facts.isUnfilled?.(file)).map((file) => file.name),
  };
}

/** The newest applied migration's name (what "where the database is" means in messages). */
export function currentMigration(state: Pick<MigrationState, 'applied'>): string | undefined {
  return state.applied.at(-1)?.name;
}

/*
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * `migrate up` with nothing pending stops at the digest comparison (upToDateQuickly); the full
 * comparison reads the directory, runs two small queries and hashes the applied files; it never
 * loads a migration.
 */
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

/** The user tables, but the migration bookkeeping and soda's. */
const USER_TABLES_SQL = `SELECT format('%I.%I', n.nspname, c.relname) AS name ${FROM} WHERE ${USER_TABLES} AND ${NOT_BOOKKEEPING} ORDER BY 1`;

async function untrackedTables(db: Queryable): Promise<string[]> {
  return (await db.query<{ name: string }>(USER_TABLES_SQL)).rows.map((row) => row.name);
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
  const unadoptedSoda = await unadoptedSodaVersions(db, books);
  // Asked only of a database with no history at all: a first deploy's empty one answers none.
  const untracked = books.applied.length === 0 && unadoptedSoda === 0 ? await untrackedTables(db) : [];
  // Tables, after a history of none: a run elsewhere may have committed its first migration in
  // between (its tables and its record in one transaction). Then read everything again.
  if (untracked.length > 0 && (await readBookkeeping(db)).applied.length > 0) return inspect(db, migrations);
  const state = compareState(migrations.files(), books.applied, (file) => migrations.checksum(file), {
    unadoptedSoda,
    invalidIndexes: await invalidIndexes(db),
    untrackedTables: untracked,
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
