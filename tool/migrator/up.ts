/**
 * `migrate up`: apply every pending migration, each in its own transaction.
 *
 * Our own small runner on node-pg-migrate's building blocks rather than its runner(), because
 * the deploy needs what runner() does not offer: per-migration timing and progress, errors
 * naming the migration, the checksum committed with the migration, a readiness wait, a lock
 * that waits (bounded) instead of failing, and a no-op path that loads no migration at all.
 */
import type { ColumnDefinitions } from 'node-pg-migrate';
import { disconnect, type DatabaseTarget } from '../db';
import { applyMigration, MigrationFailedError } from './apply';
import { ensureBookkeeping, type Queryable } from './bookkeeping';
import { open } from './connection';
import { inspect } from './inspect';
import { loadInOrder, preloadLibrary } from './load';
import { withMigrationLock } from './lock';
import { refuseEdited, refuseOutOfOrder } from './policy';
import { formatDuration, plural, position, positionOf, type Say } from './report';
import { refuseUnadopted } from './soda';
import type { MigrationState } from './state';

export interface UpOptions {
  target: DatabaseTarget;
  migrationsDir: string;
  /** --wait: how long to wait for the server to accept connections; undefined = not at all. */
  waitMs?: number;
  lockTimeoutMs: number;
  allowEdited: boolean;
  say: Say;
  warn: Say;
}

export interface UpResult {
  /** Names of the migrations this run applied, in order. */
  applied: string[];
}

async function check(client: Queryable, state: MigrationState, options: UpOptions): Promise<void> {
  // First: a soda database not adopted has every migration pending, and running them would
  // re-run its history (failing on the first table that exists); refuse before creating any
  // bookkeeping, so the database stays exactly as migrate adopt expects it.
  await refuseUnadopted(client, state, options.target.label);
  refuseEdited(state.edited, options);
  refuseOutOfOrder(state);
}

function warnAboutHistory(state: MigrationState, options: UpOptions): void {
  if (state.edited.length > 0) options.warn(`warning: running despite edited applied migrations (--allow-edited): ${state.edited.join(', ')}`);
  if (state.missing.length > 0) options.warn(`warning: applied migrations with no file in ${options.migrationsDir}: ${state.missing.join(', ')}`);
}

function positionAfter(before: MigrationState, applied: string[]): string {
  return positionOf(before.applied.length + applied.length, applied.at(-1) ?? before.applied.at(-1)?.name);
}

export async function migrateUp(options: UpOptions): Promise<UpResult> {
  const started = performance.now();
  const { target, say } = options;
  const client = await open(target, { ms: options.waitMs });
  try {
    // The no-op path (every deploy takes it): two queries, a readdir and hashing the applied
    // files. node-pg-migrate is not imported and no migration file is loaded. The soda check
    // rides on those queries (soda's table is read only when it exists and nothing is applied).
    let state = await inspect(client, options.migrationsDir);
    await check(client, state, options);
    if (state.pending.length === 0) {
      say(`${target.label} is up to date, ${position(state)}; nothing to migrate`);
      return { applied: [] };
    }

    preloadLibrary();
    return await withMigrationLock(client, options.lockTimeoutMs, target.label, async () => {
      await ensureBookkeeping(client);
      // Another run may have applied some or all of them while we waited for the lock.
      state = await inspect(client, options.migrationsDir);
      await check(client, state, options);
      warnAboutHistory(state, options);
      if (state.pending.length === 0) {
        say(`${target.label} is up to date, ${position(state)} (applied by another run while this one waited); nothing to migrate`);
        return { applied: [] };
      }
      const applied: string[] = [];
      let shorthands: ColumnDefinitions = {};
      try {
        const loads = loadInOrder(state.pending);
        for (const [index, file] of state.pending.entries()) {
          const migration = await loads[index];
          // As in node-pg-migrate, shorthands exported by a migration apply to the later ones
          // (here: the later ones of this run; this project's migrations use none).
          shorthands = { ...shorthands, ...migration.actions.shorthands };
          const ms = await applyMigration(client, migration, 'up', {
            shorthands,
            // Commits of all but the last migration skip the WAL flush: a server crash could
            // lose only whole trailing migrations (each with its own bookkeeping, so the
            // database stays consistent and the next `up` re-applies them), and the last,
            // durable, commit flushes the WAL up to and including all earlier ones.
            synchronousCommit: index === state.pending.length - 1,
          });
          applied.push(file.name);
          say(`applied ${file.name} (${formatDuration(ms)})`);
        }
      } catch (error) {
        if (error instanceof MigrationFailedError) {
          say(`stopped after ${plural(applied.length, 'migration')} of ${state.pending.length} pending; ${target.label} is ${positionAfter(state, applied)}`);
        }
        throw error;
      }
      say(`migrated ${target.label}: ${plural(applied.length, 'migration')} applied in ${formatDuration(performance.now() - started)}; now ${positionAfter(state, applied)}`);
      return { applied };
    });
  } finally {
    await disconnect(client);
  }
}
