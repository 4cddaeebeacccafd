/**
 * `migrate plan` (and the review's lock report) that never runs a migration statement on a live
 * database. A development database (on this machine, not named like production:
 * db/resolve.ts's isDevelopmentDatabase) keeps today's verification in place, in a transaction
 * that is rolled back. A live one (any other, or --live) is verified on a schema-only scratch copy
 * on its own server (copy.ts: its schema and its migration bookkeeping, no rows), where lock modes
 * and rewrites are what they would be there and durations are not; where no database may be
 * created, the SQL is printed only. The plan's first line says which it did.
 */
import { isDevelopmentDatabase, type DatabaseTarget } from '../../db';
import { ScratchDatabaseRefused } from '../../db/scratch-database';
import { withSession } from '../../db/session';
import { enforce } from '../../migrator/history/policy';
import { position } from '../../migrator/history/report';
import { inspect } from '../../migrator/history/state';
import { planMigrations, type PlanOptions } from '../../migrator/verify/plan';
import { withScratchCopy } from './copy';

export interface VerifyOptions extends PlanOptions {
  /** --live: treat the target as live whatever its address says. */
  live?: boolean;
}

/** Why `target` is live, or undefined for a development database. */
export function liveBecause(target: DatabaseTarget, live = false): string | undefined {
  if (live) return '--live';
  const development = isDevelopmentDatabase(target);
  return development === true ? undefined : development;
}

export async function verifyPending(options: VerifyOptions): Promise<{ pending: string[] }> {
  const { target, say } = options;
  const why = liveBecause(target, options.live);
  if (why === undefined || options.printOnly) return planMigrations(options);
  // Judged on the target, read-only: no copy is made for nothing, and the refusals are its own.
  const state = await withSession(target, {}, (client) => inspect(client, options.migrations));
  enforce('up', state, { where: target.label, migrationsDir: options.migrations.path, allowEdited: options.allowEdited }, options.warn);
  if (state.pending.length === 0) {
    say(`${target.label} is up to date, ${position(state)}; nothing pending`);
    return { pending: [] };
  }
  try {
    return await withScratchCopy(
      { target, rows: 'none', interrupted: `migrate plan of ${target.label} stopped; it was not touched` },
      (copy) => {
        say(
          `-- verified on a schema-only copy of ${target.label} on its own server, not on it (it is live: ${why}): lock modes and rewrites are as they would be there; durations are not (the copy has no rows)`,
        );
        // Named as the target, so that the plan reads the same whatever the copy is called.
        return planMigrations({ ...options, target: { ...copy.target, label: `${target.label} (copy)` }, warn: () => {} });
      },
    );
  } catch (error) {
    if (!(error instanceof ScratchDatabaseRefused)) throw error;
    say(`-- printed only, not verified: ${target.label} is live (${why}) and no copy of it could be made there (${error.message})`);
    return planMigrations({ ...options, printOnly: true });
  }
}
