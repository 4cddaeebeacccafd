/**
 * `migrate up`: apply every pending migration (or those up to --to), each in its own transaction:
 * the run loop (runner.ts) in the up direction.
 *
 * Our own small runner on node-pg-migrate's building blocks rather than its runner(), because
 * the deploy needs what runner() does not offer: per-migration timing and progress, errors
 * naming the migration, the checksum committed with the migration, a readiness wait, a lock
 * that waits (bounded) instead of failing, and a no-op path that loads no migration at all.
 */
import { UserError } from '../../base/errors';
import { formatDuration, plural, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { compareMigrations, isNamed, type MigrationsDirectory } from '../directory';
import { preloadLibrary } from '../directory/load';
import { ensureBookkeeping } from '../history/bookkeeping';
import { upToDateQuickly } from '../history/state';
import { position, positionOf } from '../history/report';
import type { MigrationState } from '../history/state';
import { applyWithRetries, FIRST_RETRY_DELAY_MS } from './apply';
import { runMigrations, type Direction } from './runner';

export interface UpOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** --wait: how long to wait for the server to accept connections; undefined = not at all. */
  waitMs?: number;
  lockTimeoutMs: number;
  /** How many times a migration that lost a lock race is tried again (apply.ts). */
  lockRetries: number;
  /** How long a CREATE INDEX CONCURRENTLY may wait for older transactions (apply.ts). @default CONCURRENT_INDEX_WAIT_MS */
  indexWaitMs?: number;
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
function toApply(state: MigrationState, options: UpOptions): string[] {
  const last = options.to === undefined ? undefined : state.files.find((file) => isNamed(file.name, options.to!));
  if (options.to !== undefined && !last)
    throw new UserError(`--to ${options.to}: no such migration in ${options.migrations.path} (give its version or its name)`);
  return state.pending.filter((file) => !last || compareMigrations(file, last) <= 0).map((file) => file.name);
}

function positionAfter(before: MigrationState, applied: string[]): string {
  return positionOf(before.applied.length + applied.length, applied.at(-1) ?? before.applied.at(-1)?.name);
}

export async function migrateUp(options: UpOptions): Promise<UpResult> {
  const { target } = options;
  const up: Direction<number> = {
    policy: 'up',
    select: (state) => toApply(state, options),
    nothing: (state, raced) =>
      raced
        ? `${target.label} is up to date, ${position(state)} (applied by another run while this one waited); nothing to migrate`
        : `${target.label} is ${options.to === undefined ? 'up to date' : `at or past ${options.to}`}, ${position(state)}; nothing to migrate`,
    where: (state, applied) => `${target.label} is ${positionAfter(state, applied)}`,
    lock: 'session',
    prepare: preloadLibrary,
    begin: (client) => ensureBookkeeping(client),
    each: (client, { migration, shorthands }, progress) =>
      applyWithRetries(
        client,
        migration,
        'up',
        { shorthands, watch: { target, client, warn: options.warn }, progress, indexWaitMs: options.indexWaitMs },
        { count: options.lockRetries, firstDelayMs: FIRST_RETRY_DELAY_MS, warn: options.warn },
      ),
    after: (name, ms) => `applied ${name} (${formatDuration(ms)})`,
    stopped: (applied, chosen, state) =>
      `stopped after ${plural(applied.length, 'migration')} of ${chosen.length} pending; ${target.label} is ${positionAfter(state, applied)}`,
    finished: (applied, state, ms) =>
      `migrated ${target.label}: ${plural(applied.length, 'migration')} applied in ${formatDuration(ms)}; now ${positionAfter(state, applied)}`,
    interrupted: {
      connecting: `migrate up was connecting to ${target.label}; nothing was changed`,
      between: (_done, where) => `migrate up had changed nothing yet; ${where}`,
      committing: (name, where) => `${name} was being committed: it is applied or not (migrate status tells); before it, ${where}`,
      running: (name, where) => `${name} was not applied (the server rolls back its transaction when the connection closes); ${where}`,
    },
  };
  const { done } = await runMigrations(up, {
    target,
    migrations: options.migrations,
    allowEdited: options.allowEdited,
    lockTimeoutMs: options.lockTimeoutMs,
    wait: { ms: options.waitMs },
    // The no-op path (every deploy takes it): two small queries, a readdir and a stat of each
    // file (history/state.ts, upToDateQuickly). node-pg-migrate is not imported and no migration file
    // is read. Anything else (pending, edited, missing, soda's history) is inspected in full.
    shortcut: async (client) => {
      const quick = await upToDateQuickly(client, options.migrations);
      return quick && `${target.label} is up to date, ${positionOf(quick.count, quick.newest)}; nothing to migrate`;
    },
    say: options.say,
    warn: options.warn,
  });
  return { applied: done };
}
