/**
 * `migrate down`: revert the newest applied migrations, newest first, each in its own
 * transaction (its down, then its bookkeeping rows removed).
 */
import { UserError } from '../cli/errors';
import { disconnect, type DatabaseTarget } from '../db';
import { applyMigration } from './apply';
import { ensureBookkeeping } from './bookkeeping';
import { open } from './connection';
import { inspect } from './inspect';
import { loadInOrder, preloadLibrary } from './load';
import { withMigrationLock } from './lock';
import { refuseEdited } from './policy';
import { formatDuration, plural, position, type Say } from './report';

export interface DownOptions {
  target: DatabaseTarget;
  migrationsDir: string;
  /** How many to revert; 'all' reverts every applied migration. */
  count: number | 'all';
  lockTimeoutMs: number;
  allowEdited: boolean;
  say: Say;
}

export async function migrateDown(options: DownOptions): Promise<{ reverted: string[] }> {
  const started = performance.now();
  const { target, say } = options;
  const client = await open(target);
  try {
    preloadLibrary();
    return await withMigrationLock(client, options.lockTimeoutMs, target.label, async () => {
      const state = await inspect(client, options.migrationsDir);
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

      const files = new Map(state.files.map((file) => [file.name, file]));
      const reverted: string[] = [];
      const loads = loadInOrder(toRevert.map(({ name }) => files.get(name)!));
      for (const [index, { name }] of toRevert.entries()) {
        const migration = await loads[index];
        const ms = await applyMigration(client, migration, 'down');
        reverted.push(name);
        say(`reverted ${name} (${formatDuration(ms)})`);
      }
      const remaining = state.applied.slice(0, state.applied.length - reverted.length);
      say(`reverted ${plural(reverted.length, 'migration')} of ${target.label} in ${formatDuration(performance.now() - started)}; now ${position({ applied: remaining })}`);
      return { reverted };
    });
  } finally {
    await disconnect(client);
  }
}
