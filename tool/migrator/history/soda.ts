/**
 * Databases migrated by soda (gobuffalo/pop) before usualstore-db: they have soda's
 * `schema_migration(version)` and none of our bookkeeping until `migrate adopt` records it.
 * The one definition of "not adopted yet"; what is refused because of it is policy.ts's.
 */
import { SODA_TABLE, type Bookkeeping, type Queryable } from './bookkeeping';

/** The versions soda recorded, trimmed (the column is varchar(14)), in order. */
export async function readSodaVersions(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>(`SELECT DISTINCT btrim(version) AS version FROM ${SODA_TABLE} ORDER BY 1`);
  return rows.map((r) => r.version);
}

/**
 * How many versions soda recorded in a database usualstore-db records nothing about
 * (pgmigrations absent, or left empty by a failed `migrate up` of an older release): migrating
 * it would re-run that history. 0 when there is nothing to adopt. Reads soda's table only in
 * that case, so a managed database pays nothing for the question.
 */
export async function unadoptedSodaVersions(db: Queryable, books: Pick<Bookkeeping, 'soda' | 'applied'>): Promise<number> {
  if (!books.soda || books.applied.length > 0) return 0;
  return (await readSodaVersions(db)).length;
}
