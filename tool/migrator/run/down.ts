/**
 * `migrate down`: revert the newest applied migrations, newest first, each in its own
 * transaction (its down, then its bookkeeping rows removed).
 */
import { UserError } from '../../base/errors';
import { formatDuration, plural, type Say } from '../../base/text';
import type { DatabaseTarget } from '../../db';
import { isNamed, type MigrationsDirectory } from '../directory';
import { preloadLibrary } from '../directory/load';
import { ensureBookkeeping } from '../history/bookkeeping';
import { position } from '../history/report';
import type { MigrationState } from '../history/state';
import { applyWithRetries, FIRST_RETRY_DELAY_MS } from './apply';
import { runMigrations, type Direction } from './runner';

export interface DownOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** How many to revert; 'all' reverts every applied migration. */
  /** How many to revert ('all': every one), or down to which migration (it stays applied). */
  count: number | 'all' | { to: string };
  lockTimeoutMs: number;
  /** How many times a migration that lost a lock race is tried again (apply.ts). */
  lockRetries: number;
  allowEdited: boolean;
  /** Resolves when the user agrees to revert what the question says; throws otherwise. */
  confirm?: (question: string) => Promise<void>;
  say: Say;
  warn: Say;
}

export async function migrateDown(options: DownOptions): Promise<{ reverted: string[] }> {
  const { target } = options;
  const remaining = (state: MigrationState, reverted: string[]) => ({
    applied: state.applied.slice(0, state.applied.length - reverted.length),
  });
  const down: Direction<number> = {
    policy: 'down',
    select: (state) => chooseReverts(state, options),
    check: (state) => checkCount(state, options),
    nothing: () =>
      typeof options.count === 'object'
        ? `${target.label} is at ${options.count.to} already; nothing to revert`
        : `${target.label} has no applied migration; nothing to revert`,
    where: (state, reverted) => `${target.label} is ${position(remaining(state, reverted))}`,
    confirm: options.confirm && {
      ask: (chosen) =>
        options.confirm!(
          `revert ${plural(chosen.length, 'migration')} of ${target.label}, newest first: ${chosen.map((f) => f.name).join(', ')} (each down undoes its migration, dropping what it created)`,
        ),
      changed: `the applied migrations of ${target.label} changed while this waited (another run); nothing was reverted: run migrate down again`,
    },
    lock: 'session',
    prepare: preloadLibrary,
    begin: (client) => ensureBookkeeping(client),
    each: (client, { migration }, progress) =>
      applyWithRetries(
        client,
        migration,
        'down',
        { watch: { target, client, warn: options.warn }, progress },
        { count: options.lockRetries, firstDelayMs: FIRST_RETRY_DELAY_MS, warn: options.warn },
      ),
    after: (name, ms) => `reverted ${name} (${formatDuration(ms)})`,
    stopped: (reverted, chosen, state) =>
      `stopped after reverting ${plural(reverted.length, 'migration')} of ${chosen.length}; ${target.label} is ${position(remaining(state, reverted))}`,
    finished: (reverted, state, ms) =>
      `reverted ${plural(reverted.length, 'migration')} of ${target.label} in ${formatDuration(ms)}; now ${position(remaining(state, reverted))}`,
    interrupted: {
      connecting: 'migrate down had changed nothing yet',
      between: (reverted, where) => `migrate down had reverted ${plural(reverted, 'migration')}; ${where}`,
      committing: (name, where) =>
        `the revert of ${name} was being committed: it is reverted or not (migrate status tells); before it, ${where}`,
      running: (name, where) => `${name} was not reverted (the server rolls back its transaction when the connection closes); ${where}`,
    },
  };
  const { done } = await runMigrations(down, {
    target,
    migrations: options.migrations,
    allowEdited: options.allowEdited,
    lockTimeoutMs: options.lockTimeoutMs,
    say: options.say,
    warn: options.warn,
  });
  return { reverted: done };
}

/** The names to revert, newest first (the policy judges them; checkCount after it). */
function chooseReverts(state: MigrationState, options: DownOptions): string[] {
  const newestFirst = [...state.applied].reverse().map((m) => m.name);
  const { count } = options;
  if (count === 'all') return newestFirst;
  if (typeof count === 'number') return newestFirst.slice(0, count);
  const at = newestFirst.findIndex((name) => isNamed(name, count.to));
  if (at < 0) {
    throw new UserError(
      `${count.to} is not an applied migration of ${options.target.label}; migrate down --to takes one that stays applied (migrate status lists them)`,
    );
  }
  return newestFirst.slice(0, at);
}

function checkCount(state: MigrationState, options: DownOptions): void {
  const { count } = options;
  if (typeof count === 'number' && count > state.applied.length) {
    throw new UserError(
      `--count ${count} is more than the ${plural(state.applied.length, 'applied migration')} of ${options.target.label}; nothing was reverted (--all reverts every one)`,
    );
  }
}
