/**
 * What the database says has been applied.
 *
 * The list of applied migrations stays in node-pg-migrate's own table, with exactly its columns,
 * so that node-pg-migrate's CLI still agrees with us about the database. Checksums live beside it
 * in pgmigrations_checksums (the issue reserves the pgmigrations_* names for our bookkeeping).
 */
import { runAtomically, type Queryable } from '../../db/session';
import { pg } from '../../db/pg';
import { compareMigrations, versionOf } from '../directory';

export const MIGRATIONS_TABLE = '"public"."pgmigrations"';
/** soda's bookkeeping, in databases migrated before usualstore-db (see soda.ts). */
export const SODA_TABLE = 'public.schema_migration';
export const CHECKSUMS_TABLE = '"public"."pgmigrations_checksums"';

/** The subset of pg.Client used here (also satisfied by a client inside a transaction). */
export type { Queryable };

export interface AppliedMigration {
  name: string;
  runOn: Date;
  /** sha256 recorded when it was applied; null when something else applied it (e.g. node-pg-migrate's CLI). */
  checksum: string | null;
}

/** Which bookkeeping tables exist, ours and soda's (one round trip). */
export async function existingTables(db: Queryable): Promise<{ migrations: boolean; checksums: boolean; soda: boolean }> {
  const { rows } = await db.query<{ migrations: boolean; checksums: boolean; soda: boolean }>(
    `select to_regclass('public.pgmigrations') is not null as migrations, to_regclass('public.pgmigrations_checksums') is not null as checksums, to_regclass('${SODA_TABLE}') is not null as soda`,
  );
  return rows[0];
}

/** What the database records about its migrations. */
export interface Bookkeeping {
  /** soda's schema_migration exists (see soda.ts: with nothing applied, the database may need adopting). */
  soda: boolean;
  /** node-pg-migrate's pgmigrations exists (a failed `migrate up` of an older release left it empty). */
  ours: boolean;
  /** Ordered by version and name, as the files are. */
  applied: AppliedMigration[];
}

/**
 * Both bookkeepings in at most two round trips, the same as reading ours alone: whether soda's
 * table exists rides on the query that asks whether ours does, so the check costs the no-op
 * `migrate up` nothing measurable. Creates nothing: an empty or foreign database simply has none
 * applied (status and plan must leave the database exactly as they found it).
 */
export async function readBookkeeping(db: Queryable): Promise<Bookkeeping> {
  const tables = await existingTables(db);
  if (!tables.migrations) return { soda: tables.soda, ours: false, applied: [] };
  const sql = tables.checksums
    ? `select m.name, extract(epoch from m.run_on AT TIME ZONE current_setting('TimeZone'))::float8 AS run_on, c.sha256 from ${MIGRATIONS_TABLE} m left join ${CHECKSUMS_TABLE} c on c.name = m.name order by m.id`
    : `select m.name, extract(epoch from m.run_on AT TIME ZONE current_setting('TimeZone'))::float8 AS run_on, null as sha256 from ${MIGRATIONS_TABLE} m order by m.id`;
  // run_on as epoch seconds: pg parses a float far faster than a timestamp (5000 applied
  // migrations: ~60 ms of timestamp parsing on every deploy's no-op run).
  const { rows } = await db.query<{ name: string; run_on: number; sha256: string | null }>(sql);
  const seen = new Set<string>();
  const applied: AppliedMigration[] = [];
  for (const row of rows) {
    if (seen.has(row.name)) continue; // node-pg-migrate does not forbid duplicate rows; one is enough
    seen.add(row.name);
    applied.push({ name: row.name, runOn: new Date(row.run_on * 1000), checksum: row.sha256 });
  }
  // Ordered by version and name, as the files are (node-pg-migrate's contract), never by run_on:
  // a clock stepped back (a VM restored, NTP correcting) must not make an older migration the
  // "current" one, nor make `down --count 1` revert the wrong one.
  // (Keys computed once, and no sort when the rows already come in order, as they nearly always
  // do: with thousands applied, comparing BigInt versions in the comparator was ~20 ms.)
  const keyed = applied.map((migration) => ({ migration, key: { name: migration.name, version: versionOf(migration.name) ?? 0n } }));
  if (keyed.some((entry, i) => i > 0 && compareMigrations(keyed[i - 1].key, entry.key) > 0))
    keyed.sort((a, b) => compareMigrations(a.key, b.key));
  return { soda: tables.soda, ours: true, applied: keyed.map((entry) => entry.migration) };
}

/**
 * The audit trail of repairs (migrate accept, migrate forget): who changed the bookkeeping by
 * hand, when, and why. Created by the first repair; a reviewer reads it in migrate status.
 */
export const AUDIT_TABLE = '"public"."pgmigrations_audit"';

/** Every table of the migration bookkeeping, ours and soda's (schema.name, unquoted): what the
 * user's tables leave out. */
export const BOOKKEEPING_TABLES: readonly string[] = [MIGRATIONS_TABLE, CHECKSUMS_TABLE, AUDIT_TABLE, SODA_TABLE].map((table) =>
  table.replace(/"/g, ''),
);
/** SQL over pg_class c and pg_namespace n: the table is not one of them. */
export const NOT_BOOKKEEPING = `format('%s.%s', n.nspname, c.relname) NOT IN (${BOOKKEEPING_TABLES.map((table) => `'${table}'`).join(', ')})`;

export interface Repair {
  at: Date;
  action: 'accept' | 'forget' | 'baseline';
  name: string;
  by: string;
  old_sha256: string | null;
  new_sha256: string | null;
  reason: string | null;
}

export const CREATE_AUDIT_SQL = `CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL, name varchar(255) NOT NULL, by text NOT NULL DEFAULT current_user, old_sha256 char(64), new_sha256 char(64), reason text);
  COMMENT ON TABLE ${AUDIT_TABLE} IS 'usualstore-db: repairs of the migration bookkeeping (migrate accept, migrate forget)'`;

/** The repairs, oldest first; none when no repair was ever made. */
export async function readRepairs(db: Queryable): Promise<Repair[]> {
  const { rows } = await db.query<{ exists: boolean }>(`select to_regclass('${AUDIT_TABLE.replace(/"/g, '')}') is not null as exists`);
  if (!rows[0].exists) return [];
  return (await db.query<Repair>(`select at, action, name, by, old_sha256, new_sha256, reason from ${AUDIT_TABLE} order by id`)).rows;
}

/** The statements that create whichever bookkeeping tables are missing (none when both exist). */
async function missingBookkeepingSql(db: Queryable): Promise<string[]> {
  const tables = await existingTables(db);
  const sql: string[] = [];
  if (!tables.migrations) {
    // Exactly node-pg-migrate's definition (runner.ts, ensureMigrationsTable).
    sql.push(`CREATE TABLE ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)`);
  }
  if (!tables.checksums) {
    sql.push(
      `CREATE TABLE ${CHECKSUMS_TABLE} (name varchar(255) PRIMARY KEY, sha256 char(64) NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
    );
    sql.push(`COMMENT ON TABLE ${CHECKSUMS_TABLE} IS 'usualstore-db: sha256 of each applied migration file, to detect edits after apply'`);
  }
  return sql;
}

/**
 * Creates the bookkeeping tables if missing, in a transaction of its own sent as one round
 * trip. Call it holding the migration lock (two runs creating them at once would collide in the
 * catalog). The commit does not wait for the WAL flush: as three autocommit statements, each
 * waiting for its own flush, this was ~50 ms of a fresh `migrate up`. Safe for the same reason
 * as between migrations (see up.ts): a crash could only lose the empty tables, which the next
 * run creates again, and the run's last, durable commit flushes them with everything else.
 */
export async function ensureBookkeeping(db: Queryable): Promise<void> {
  const sql = await missingBookkeepingSql(db);
  if (sql.length === 0) return;
  await runAtomically(db, sql, { durable: false });
}

/** The same, inside the caller's transaction (migrate adopt records everything in one). */
export async function ensureBookkeepingInTransaction(db: Queryable): Promise<void> {
  const sql = await missingBookkeepingSql(db);
  if (sql.length > 0) await db.query(sql.join('; '));
}

/*
 * The bookkeeping writes are SQL text with quoted literals rather than parameters, so that the
 * runner can send them and the COMMIT in one round trip (a multi-statement query cannot take
 * parameters); names and checksums are quoted with pg's escapeLiteral.
 */
function literal(value: string): string {
  return pg().escapeLiteral(value);
}

/** Records (or replaces) a checksum alone. */
export function checksumSql(name: string, checksum: string): string {
  return `INSERT INTO ${CHECKSUMS_TABLE} (name, sha256) VALUES (${literal(name)}, ${literal(checksum)}) ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, recorded_at = now()`;
}

/** Marks a migration applied, with its checksum (run inside the migration's transaction). */
export function appliedSql(name: string, checksum: string): string {
  return `INSERT INTO ${MIGRATIONS_TABLE} (name, run_on) VALUES (${literal(name)}, NOW()); ${checksumSql(name, checksum)}`;
}

/** Marks a migration not applied (run inside the transaction of its down). */
export function revertedSql(name: string): string {
  return `DELETE FROM ${MIGRATIONS_TABLE} WHERE name = ${literal(name)}; DELETE FROM ${CHECKSUMS_TABLE} WHERE name = ${literal(name)}`;
}

export async function recordApplied(db: Queryable, name: string, checksum: string): Promise<void> {
  await db.query(appliedSql(name, checksum));
}
