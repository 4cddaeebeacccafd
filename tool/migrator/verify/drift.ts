/**
 * `migrate drift`: the live schema against what its applied migrations build. The applied
 * migrations run in a scratch schema inside a transaction that is rolled back (adopt's
 * comparison, made both ways): every table, column (type, NOT NULL, default), constraint and
 * index that public lacks, has differently, or has in addition (a hotfix made by hand) is
 * listed. It changes nothing and leaves nothing behind; its locks are bounded.
 *
 * Why not a schema-diff library (@pgkit/migra): it compares two databases, so it needs a
 * second one built from the migrations (CREATE DATABASE, which a managed database's role may
 * lack), and its output is DDL to apply, not a finding to review. This comparison covers what
 * the migrations of this project make; views, functions, triggers, grants are not compared.
 */
import { UserError } from '../../base/errors';
import { formatSeconds, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { BOOKKEEPING_TABLES } from '../history/bookkeeping';
import type { MigrationsDirectory } from '../directory';
import { inspect } from '../history/state';
import { positionOf } from '../history/report';
import { extraIn, missingFrom, readShape, shapeBuiltBy } from './schema-shape';
import { inTransaction, withSession } from '../../db/session';

export interface DriftOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** Bounds every lock wait (building the scratch schema reads the catalogs only). */
  lockTimeoutMs: number;
  warn: Say;
}

export interface DriftReport {
  database: string;
  /** Where the database is: the newest applied migration, and how many are applied. */
  current: string | null;
  applied: number;
  differences: string[];
}

const BOOKKEEPING = new Set(BOOKKEEPING_TABLES.map((table) => table.replace(/^public\./, '')));

export async function driftOf(options: DriftOptions): Promise<DriftReport> {
  const { target, migrations } = options;
  return withSession(target, {}, async (client) => {
    const state = await inspect(client, migrations);
    if (state.missing.length > 0) {
      throw new UserError(
        `cannot judge drift: applied migrations ${state.missing.join(', ')} have no file in ${migrations.path}, so what they built is unknown`,
      );
    }
    const byName = new Map(state.files.map((file) => [file.name, file]));
    try {
      return await inTransaction(client, target, { lockTimeoutMs: options.lockTimeoutMs }, async () => {
        const built = await shapeBuiltBy(
          client,
          state.applied.map((m) => byName.get(m.name)!),
          (name, cause) => `cannot judge drift: applied migration ${name} fails in a scratch schema (${cause}); nothing was changed`,
        );
        const live = await readShape(client, 'public');
        return {
          database: target.label,
          current: state.applied.at(-1)?.name ?? null,
          applied: state.applied.length,
          differences: [
            ...missingFrom(built, live),
            ...extraIn(live, built, BOOKKEEPING),
            ...state.invalidIndexes.map(
              (index) => `index ${index} is invalid (a CREATE INDEX CONCURRENTLY failed or was stopped): drop it and build it again`,
            ),
          ],
        };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '55P03')
        throw new UserError(`drift check of ${target.label} waited more than ${formatSeconds(options.lockTimeoutMs)} for a lock; retry`);
      throw error;
    }
  });
}

export function describeDrift(report: DriftReport): string[] {
  const where = `${report.database} (${positionOf(report.applied, report.current ?? undefined)})`;
  if (report.differences.length === 0) return [`no drift: ${where} has exactly the schema its applied migrations build`];
  return [
    ...report.differences.map((difference) => `drift: ${difference}`),
    `${report.differences.length} difference${report.differences.length === 1 ? '' : 's'} between ${where} and what its applied migrations build`,
  ];
}
