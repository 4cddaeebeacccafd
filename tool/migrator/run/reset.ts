/**
 * `reset`: a development database made anew, in ONE transaction: the public schema dropped with
 * everything in it and created again, every migration applied from zero (a pgm.noTransaction()
 * one in the form that runs in a transaction: CONCURRENTLY changes how an index is built, not what
 * it is), recorded as `migrate up` records it, then the seeds. Killed or failed at any point, the
 * transaction rolls back and the database is exactly as it was; the command says which.
 *
 * `seed`: the seeds alone, in one transaction, on a database whose migrations are all applied.
 *
 * Both refuse a database that is not clearly a development one (isDevelopmentDatabase) unless its
 * name is typed out (--confirm-database NAME), and reset, which destroys data, asks first (a
 * terminal) or takes --yes.
 */
import { interruptible } from '../../base/interruption';
import { UserError } from '../../base/errors';
import { formatDuration, plural, type Say } from '../../base/text';
import { isDevelopmentDatabase, type DatabaseTarget } from '../../db';
import { failureCause, runSteps } from './apply';
import { appliedSql, ensureBookkeepingInTransaction } from '../history/bookkeeping';
import type { MigrationsDirectory } from '../directory';
import { inspect } from '../history/state';
import { buildSql, migrationsInOrder, preloadLibrary } from '../directory/load';
import { applySeeds, seedFiles } from './seeds';
import { commit, inTransaction, withSession, type Queryable } from '../../db/session';
import { MIGRATION_LOCK } from './migration-lock';
import { inTransactionForm } from '../directory/statements';

export interface ResetOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  seedsDir: string;
  /** --confirm-database: the target's name, typed out, for one that is not clearly a development database. */
  confirmDatabase?: string;
  /** Bounds the wait for every lock (an application holding a table). */
  lockTimeoutMs: number;
  /** Resolves when the user agrees to what the question says; throws otherwise (reset only). */
  confirm: (question: string) => Promise<void>;
  say: Say;
  warn: Say;
}

/** One line, and nothing changed, for a database that is not clearly a development one. */
export function guardDevelopment(options: Pick<ResetOptions, 'target' | 'confirmDatabase'>, what: string): void {
  const { target, confirmDatabase } = options;
  if (confirmDatabase !== undefined && confirmDatabase !== target.database) {
    throw new UserError(
      `--confirm-database ${confirmDatabase} does not name the target's database (${target.database}); nothing was changed`,
    );
  }
  const reason = isDevelopmentDatabase(target);
  if (reason !== true && confirmDatabase === undefined) {
    throw new UserError(
      `refusing to ${what} ${target.label}: it is not clearly a development database (${reason}); if it is one to ${what} all the same, type its name: --confirm-database ${target.database}; nothing was changed`,
    );
  }
}

export async function reset(options: ResetOptions): Promise<void> {
  const started = performance.now();
  const { target, say } = options;
  guardDevelopment(options, 'reset');
  const seeds = seedFiles(options.seedsDir);
  const files = options.migrations.files();
  preloadLibrary();
  let committing = false;
  const describe = () =>
    committing
      ? `the reset of ${target.label} was being committed: it is reset or not (migrate status tells)`
      : `the reset of ${target.label} was stopped; its one transaction rolls back: the database is as it was`;
  // Connected first: the question is asked only of a server that answers, and says what it holds.
  await withSession(target, {}, async (client) => {
    await options.confirm(
      `reset ${target.label}: drop the public schema with ${plural(await countTables(client), 'table')} and every row in it, apply ${plural(files.length, 'migration')} from zero, then ${plural(seeds.length, 'seed')}`,
    );
    await interruptible({ describe }, async () => {
      const dropped = await inTransaction(
        client,
        target,
        { lockTimeoutMs: options.lockTimeoutMs, lock: { lock: MIGRATION_LOCK, warn: options.warn } },
        async () => {
          const dropped = await countTables(client);
          // The schema as PostgreSQL 15 creates it: owned by the database's owner, usable by all.
          await client.query(
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC; COMMENT ON SCHEMA public IS 'standard public schema'",
          );
          await ensureBookkeepingInTransaction(client);
          for await (const { migration, shorthands } of migrationsInOrder(files)) {
            try {
              const { steps, transactional } = await buildSql(client, migration, 'up', shorthands);
              const runnable = transactional ? steps : steps.map(inTransactionForm).filter((step): step is string => step !== undefined);
              await runSteps(client, runnable);
              await client.query(appliedSql(migration.file.name, migration.checksum));
            } catch (error) {
              throw new UserError(
                `reset of ${target.label} stopped at ${migration.file.name}: ${failureCause(error)}; its one transaction rolled back: the database is as it was`,
              );
            }
          }
          await applySeeds(client, seeds);
          committing = true;
          await commit(client);
          committing = false;
          return dropped;
        },
      );
      const state = await inspect(client, options.migrations);
      say(
        `reset ${target.label} in ${formatDuration(performance.now() - started)}: dropped ${plural(dropped, 'table')}, applied ${plural(state.applied.length, 'migration')} from zero${state.applied.length ? ` (now at ${state.applied.at(-1)!.name})` : ''}, ${plural(seeds.length, 'seed')}; one transaction`,
      );
    });
  });
}

/** The tables in the public schema (what a reset drops). */
async function countTables(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`,
  );
  return rows[0].n;
}

export async function seed(options: Omit<ResetOptions, 'confirm'>): Promise<void> {
  const started = performance.now();
  const { target, say } = options;
  guardDevelopment(options, 'seed');
  const seeds = seedFiles(options.seedsDir);
  if (seeds.length === 0) {
    say(`no seeds in ${options.seedsDir}; nothing to do`);
    return;
  }
  await withSession(target, {}, async (client) => {
    const state = await inspect(client, options.migrations);
    if (state.pending.length > 0) {
      throw new UserError(
        `${target.label} has ${plural(state.pending.length, 'pending migration')} (${state.pending[0].name}…): run migrate up first, the seeds are written for the whole schema; nothing was changed`,
      );
    }
    await inTransaction(client, target, { lockTimeoutMs: options.lockTimeoutMs }, async () => {
      await applySeeds(client, seeds);
      await commit(client);
    });
  });
  say(
    `seeded ${target.label} with ${plural(seeds.length, 'seed')} (${seeds.map((s) => s.name).join(', ')}) in ${formatDuration(performance.now() - started)}; one transaction, applying them again changes nothing`,
  );
}
