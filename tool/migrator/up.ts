/**
 * `migrate up`: apply every pending migration, each in its own transaction.
 *
 * Our own small runner on node-pg-migrate's building blocks rather than its runner(), because
 * the deploy needs what runner() does not offer: per-migration timing and progress, errors
 * naming the migration, the checksum committed with the migration, a readiness wait, a lock
 * that waits (bounded) instead of failing, and a no-op path that loads no migration at all.
 */
import type { DatabaseTarget } from '../db';
import { interruptible } from '../base/interruption';
import { applyWithRetries, FIRST_RETRY_DELAY_MS } from './apply';
import { ensureBookkeeping } from './bookkeeping';
import { compareMigrations, isNamed, type MigrationFile, type MigrationsDirectory } from './directory';
import { UserError } from '../base/errors';
import { inspect, upToDateQuickly } from './inspect';
import { migrationsInOrder, preloadLibrary } from './load';
import { withMigrationLock } from './migration-lock';
import { enforce } from './policy';
import { position, positionOf } from './report';
import { type Say, formatDuration, plural } from '../base/text';
import { withSession } from '../db/session';
import type { MigrationState } from './state';

export interface UpOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** --wait: how long to wait for the server to accept connections; undefined = not at all. */
  waitMs?: number;
  lockTimeoutMs: number;
  /** How many times a migration that lost a lock race is tried again (apply.ts). */
  lockRetries: number;
  /** --to: apply the pending migrations up to and including this one (a version or a name). */
  to?: string;
  allowEdited: boolean;
  say: Say;
  warn: Say;
}

export interface UpResult {
  /** Names of the migrations this run applied, in order. */
  applied: string[];
}

/** The pending migrations this run applies: all, or with --to those up to and including it. */
function toApply(state: MigrationState, options: UpOptions): MigrationFile[] {
  if (options.to === undefined) return state.pending;
  const last = state.files.find((file) => isNamed(file.name, options.to!));
  if (!last) throw new UserError(`--to ${options.to}: no such migration in ${options.migrations.path} (give its version or its name)`);
  return state.pending.filter((file) => compareMigrations(file, last) <= 0);
}

/** The policy's judgement of `up` in this run's terms (refusals before any bookkeeping is made). */
const context = (options: UpOptions) => ({
  where: options.target.label,
  migrationsDir: options.migrations.path,
  allowEdited: options.allowEdited,
});

function positionAfter(before: MigrationState, applied: string[]): string {
  return positionOf(before.applied.length + applied.length, applied.at(-1) ?? before.applied.at(-1)?.name);
}

export async function migrateUp(options: UpOptions): Promise<UpResult> {
  const started = performance.now();
  const { target, say } = options;
  // What an interruption (a signal) reports: where the run was and where the database is.
  let state: MigrationState | undefined;
  const applied: string[] = [];
  const run = { current: undefined as string | undefined, progress: { committing: false } };
  const describe = (): string => {
    if (!state) return `migrate up was connecting to ${target.label}; nothing was changed`;
    const where = `${target.label} is ${positionAfter(state, applied)}`;
    if (!run.current) return `migrate up had changed nothing yet; ${where}`;
    if (run.progress.committing)
      return `${run.current} was being committed: it is applied or not (migrate status tells); before it, ${where}`;
    return `${run.current} was not applied (the server rolls back its transaction when the connection closes); ${where}`;
  };

  return interruptible({ describe }, async () => {
    return withSession(target, { wait: { ms: options.waitMs, warn: options.warn } }, async (client) => {
      // The no-op path (every deploy takes it): two small queries, a readdir and a stat of each
      // file (inspect.ts, upToDateQuickly). node-pg-migrate is not imported and no migration
      // file is read. Anything else (pending, edited, missing, soda's history) is inspected in full.
      const quick = await upToDateQuickly(client, options.migrations);
      if (quick) {
        say(`${target.label} is up to date, ${positionOf(quick.count, quick.newest)}; nothing to migrate`);
        return { applied: [] };
      }
      state = await inspect(client, options.migrations);
      enforce('up', state, context(options), options.warn);
      if (toApply(state, options).length === 0) {
        say(
          `${target.label} is ${options.to === undefined ? 'up to date' : `at or past ${options.to}`}, ${position(state)}; nothing to migrate`,
        );
        return { applied: [] };
      }

      preloadLibrary();
      return await withMigrationLock(client, { target, timeoutMs: options.lockTimeoutMs, warn: options.warn }, async () => {
        await ensureBookkeeping(client);
        // Another run may have applied some or all of them while we waited for the lock.
        const current = (state = await inspect(client, options.migrations));
        // Judged again (its warnings were said already).
        enforce('up', current, context(options));
        const selected = toApply(current, options);
        if (selected.length === 0) {
          say(`${target.label} is up to date, ${position(current)} (applied by another run while this one waited); nothing to migrate`);
          return { applied: [] };
        }
        try {
          run.current = selected[0].name;
          for await (const { migration, shorthands } of migrationsInOrder(selected)) {
            run.current = migration.file.name;
            const ms = await applyWithRetries(
              client,
              migration,
              'up',
              {
                shorthands,
                watch: { target, client, warn: options.warn },
                progress: run.progress,
              },
              { count: options.lockRetries, firstDelayMs: FIRST_RETRY_DELAY_MS, warn: options.warn },
            );
            applied.push(migration.file.name);
            run.current = undefined;
            say(`applied ${migration.file.name} (${formatDuration(ms)})`);
          }
        } catch (error) {
          // Whatever stopped the run (a migration, a lost connection, a refused statement),
          // say where the database is: every migration reported as applied is committed.
          say(
            `stopped after ${plural(applied.length, 'migration')} of ${selected.length} pending; ${target.label} is ${positionAfter(current, applied)}`,
          );
          throw error;
        }
        say(
          `migrated ${target.label}: ${plural(applied.length, 'migration')} applied in ${formatDuration(performance.now() - started)}; now ${positionAfter(current, applied)}`,
        );
        return { applied };
      });
    });
  });
}
