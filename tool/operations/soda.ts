/**
 * Databases migrated by soda (gobuffalo/pop) before usualstore-db: they have soda's
 * `schema_migration(version)` and none of our bookkeeping. status, plan and adopt all need to
 * tell them apart from a new, empty database.
 */
import type { Queryable } from '../migrator/bookkeeping';

export const SODA_TABLE = 'public.schema_migration';

export interface Bookkeeping {
  /** soda's schema_migration exists. */
  soda: boolean;
  /** node-pg-migrate's pgmigrations exists. */
  ours: boolean;
  /** ...and records at least one migration (a failed `migrate up` leaves it empty). */
  recorded: boolean;
}

export async function readBookkeeping(db: Queryable): Promise<Bookkeeping> {
  const { rows } = await db.query<{ soda: boolean; ours: boolean }>(
    `SELECT to_regclass('${SODA_TABLE}') IS NOT NULL AS soda, to_regclass('public.pgmigrations') IS NOT NULL AS ours`,
  );
  const { soda, ours } = rows[0];
  const recorded = ours && (await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM public.pgmigrations) AS any')).rows[0].any;
  return { soda, ours, recorded };
}

/** The versions soda recorded, trimmed (the column is varchar(14)), in order. */
export async function readSodaVersions(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>(`SELECT DISTINCT btrim(version) AS version FROM ${SODA_TABLE} ORDER BY 1`);
  return rows.map((r) => r.version);
}

/** Whether the database is soda's and not adopted yet: migrating it would re-run history. */
export function needsAdoption(state: Bookkeeping): boolean {
  return state.soda && !state.recorded;
}
