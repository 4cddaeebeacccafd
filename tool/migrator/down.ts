/**
 * `migrate down`: revert the newest applied migrations, newest first, each in its own
 * transaction (its down, then its bookkeeping rows removed).
 */
import { interruptible } from '../base/interruption';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { applyWithRetries, FIRST_RETRY_DELAY_MS } from './apply';
import { ensureBookkeeping } from './bookkeeping';
import { isNamed, type MigrationsDirectory } from './directory';
import { inspect } from './inspect';
import { migrationsInOrder, preloadLibrary } from './load';
import { withMigrationLock } from './migration-lock';
import { enforce } from './policy';
import { position } from './report';
import { formatDuration, plural, type Say } from '../base/text';
import { withSession } from '../db/session';
import type { MigrationState } from './state';

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
  const started = performance.now();
  const { target, say } = options;
  let applied: MigrationState['applied'] | undefined;
  const reverted: string[] = [];
  const run = { current: undefined as string | undefined, progress: { committing: false } };
  const remaining = () => ({ applied: applied!.slice(0, applied!.length - reverted.length) });
  const describe = (): string => {
    if (!applied) return `migrate down had changed nothing yet`;
    const where = `${target.label} is ${position(remaining())}`;
    if (!run.current) return `migrate down had reverted ${plural(reverted.length, 'migration')}; ${where}`;
    if (run.progress.committing)
      return `the revert of ${run.current} was being committed: it is reverted or not (migrate status tells); before it, ${where}`;
    return `${run.current} was not reverted (the server rolls back its transaction when the connection closes); ${where}`;
  };

  return interruptible({ describe }, async () => {
    return withSession(target, {}, async (client) => {
      preloadLibrary();
      // What would go is decided, and confirmed, before the migration lock is taken: a person
      // reading the question must not hold up every deploy. Under the lock it is decided again,
      // and must be the same.
      const chosen = chooseReverts(await inspect(client, options.migrations), options, options.warn);
      if (chosen.length === 0) {
        const { count } = options;
        say(
          typeof count === 'object'
            ? `${target.label} is at ${count.to} already; nothing to revert`
            : `${target.label} has no applied migration; nothing to revert`,
        );
        return { reverted: [] };
      }
      await options.confirm?.(
        `revert ${plural(chosen.length, 'migration')} of ${target.label}, newest first: ${chosen.join(', ')} (each down undoes its migration, dropping what it created)`,
      );
      return await withMigrationLock(client, { target, timeoutMs: options.lockTimeoutMs, warn: options.warn }, async () => {
        const state = await inspect(client, options.migrations);
        const toRevert = chooseReverts(state, options);
        if (toRevert.join() !== chosen.join()) {
          throw new UserError(
            `the applied migrations of ${target.label} changed while this waited (another run); nothing was reverted: run migrate down again`,
          );
        }
        await ensureBookkeeping(client);
        applied = state.applied;

        const files = new Map(state.files.map((file) => [file.name, file]));
        try {
          run.current = toRevert[0];
          for await (const { migration } of migrationsInOrder(toRevert.map((name) => files.get(name)!))) {
            run.current = migration.file.name;
            const ms = await applyWithRetries(
              client,
              migration,
              'down',
              {
                watch: { target, client, warn: options.warn },
                progress: run.progress,
              },
              { count: options.lockRetries, firstDelayMs: FIRST_RETRY_DELAY_MS, warn: options.warn },
            );
            reverted.push(migration.file.name);
            run.current = undefined;
            say(`reverted ${migration.file.name} (${formatDuration(ms)})`);
          }
        } catch (error) {
          say(
            `stopped after reverting ${plural(reverted.length, 'migration')} of ${toRevert.length}; ${target.label} is ${position(remaining())}`,
          );
          throw error;
        }
        say(
          `reverted ${plural(reverted.length, 'migration')} of ${target.label} in ${formatDuration(performance.now() - started)}; now ${position(remaining())}`,
        );
        return { reverted };
      });
    });
  });
}

/** The names to revert, newest first, after every refusal (so a refused run changes nothing). */
function chooseReverts(state: MigrationState, options: DownOptions, warn?: Say): string[] {
  const newestFirst = [...state.applied].reverse().map((m) => m.name);
  const { count } = options;
  let toRevert: string[];
  if (count === 'all') toRevert = newestFirst;
  else if (typeof count === 'number') toRevert = newestFirst.slice(0, count);
  else {
    const at = newestFirst.findIndex((name) => isNamed(name, count.to));
    if (at < 0) {
      throw new UserError(
        `${count.to} is not an applied migration of ${options.target.label}; migrate down --to takes one that stays applied (migrate status lists them)`,
      );
    }
    toRevert = newestFirst.slice(0, at);
  }
  enforce(
    'down',
    state,
    { where: options.target.label, migrationsDir: options.migrations.path, allowEdited: options.allowEdited, reverting: toRevert },
    warn,
  );
  if (typeof count === 'number' && count > newestFirst.length) {
    throw new UserError(
      `--count ${count} is more than the ${plural(newestFirst.length, 'applied migration')} of ${options.target.label}; nothing was reverted (--all reverts every one)`,
    );
  }
  return toRevert;
}
