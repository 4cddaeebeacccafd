/**
 * `migrate down`: revert the newest applied migrations, newest first, each in its own
 * transaction (its down, then its bookkeeping rows removed).
 */
import { interruptible } from '../base/interruption';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { applyMigration } from './apply';
import { ensureBookkeeping } from './bookkeeping';
import { withSession } from './connection';
import { inspect } from './inspect';
import { loadInOrder, preloadLibrary } from './load';
import { withMigrationLock } from './lock';
import { refuseEdited, refuseForeignDirectory } from './policy';
import { position } from './report';
import { type Say } from '../base/text';
import { formatDuration, plural } from '../base/text';
import type { MigrationState } from './state';

export interface DownOptions {
  target: DatabaseTarget;
  migrationsDir: string;
  /** How many to revert; 'all' reverts every applied migration. */
  count: number | 'all';
  lockTimeoutMs: number;
  allowEdited: boolean;
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
    if (run.progress.committing) return `the revert of ${run.current} was being committed: it is reverted or not (migrate status tells); before it, ${where}`;
    return `${run.current} was not reverted (the server rolls back its transaction when the connection closes); ${where}`;
  };

  return interruptible({ describe }, async () => {
    return withSession(target, undefined, async (client) => {
      preloadLibrary();
      return await withMigrationLock(client, { target, timeoutMs: options.lockTimeoutMs, warn: options.warn }, async () => {
        const state = await inspect(client, options.migrationsDir);
        refuseForeignDirectory(state, options.migrationsDir, target.label);
        const newestFirst = [...state.applied].reverse();
        const toRevert = options.count === 'all' ? newestFirst : newestFirst.slice(0, options.count);
        if (toRevert.length === 0) {
          say(`${target.label} has no applied migration; nothing to revert`);
          return { reverted: [] };
        }
        // Every refusal before the first change, so a refused run changes nothing.
        const names = new Set(toRevert.map((m) => m.name));
        const missing = state.missing.filter((name) => names.has(name));
        if (missing.length > 0) {
          throw new UserError(`cannot revert ${missing.join(', ')}: no such file in ${options.migrationsDir} (its down is in the file); restore it or pass --migrations-dir`);
        }
        // Reverting an edited migration would run a down that may not match what was applied.
        refuseEdited(state.edited.filter((name) => names.has(name)), options);
        await ensureBookkeeping(client);
        applied = state.applied;

        const files = new Map(state.files.map((file) => [file.name, file]));
        const loads = loadInOrder(toRevert.map(({ name }) => files.get(name)!));
        try {
          for (const [index, { name }] of toRevert.entries()) {
            run.current = name;
            const migration = await loads[index];
            const ms = await applyMigration(client, migration, 'down', { watch: { target, client, warn: options.warn }, progress: run.progress });
            reverted.push(name);
            run.current = undefined;
            say(`reverted ${name} (${formatDuration(ms)})`);
          }
        } catch (error) {
          say(`stopped after reverting ${plural(reverted.length, 'migration')} of ${toRevert.length}; ${target.label} is ${position(remaining())}`);
          throw error;
        }
        say(`reverted ${plural(reverted.length, 'migration')} of ${target.label} in ${formatDuration(performance.now() - started)}; now ${position(remaining())}`);
        return { reverted };
      });
    });
  });
}
