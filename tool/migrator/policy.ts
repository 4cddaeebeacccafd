/**
 * The conditions under which the migrator refuses to change anything, checked before any
 * migration runs (so that a refusal never leaves a half-done run behind).
 */
import { shortList } from '../base/text';
import { UserError } from '../base/errors';
import type { MigrationState } from './state';

export interface PolicyOptions {
  /** --allow-edited: run even though applied migrations were edited since. */
  allowEdited: boolean;
}

const list = (names: string[]) => shortList(names);

/** Edited applied migrations: the database no longer matches what the files say it is. */
export function refuseEdited(edited: string[], options: PolicyOptions): void {
  if (edited.length === 0 || options.allowEdited) return;
  throw new UserError(
    `refusing to migrate: applied migration${edited.length === 1 ? '' : 's'} ${list(edited)} changed since applied (checksum differs); restore the file${edited.length === 1 ? '' : 's'} and put changes in a new migration (migrate create); or, after review, record the edit with migrate accept (--allow-edited passes this run only)`,
  );
}

/** Pending migrations older than the newest applied one would run history out of order. */
export function refuseOutOfOrder(state: MigrationState): void {
  if (state.outOfOrder.length === 0) return;
  const names = state.outOfOrder.map((m) => m.name);
  throw new UserError(
    `refusing to migrate: pending ${list(names)} ${names.length === 1 ? 'is' : 'are'} older than the applied ${state.outOfOrder[0].newestApplied}; give ${names.length === 1 ? 'it' : 'them'} a newer version (migrate create makes one)`,
  );
}

/**
 * Applied migrations none of which has a file here: an empty or wrong --migrations-dir. Saying
 * "up to date" (or applying another project's files) would hide the mistake.
 */
export function refuseForeignDirectory(state: MigrationState, migrationsDir: string, where: string): void {
  if (state.applied.length === 0 || state.missing.length < state.applied.length) return;
  const newest = state.applied.at(-1)!.name;
  const found = state.files.length === 0 ? 'has no migration files' : `has none of them (${state.files.length} other files)`;
  throw new UserError(
    `${where} has ${state.applied.length} applied migrations (newest ${newest}), but ${migrationsDir} ${found}; is --migrations-dir right? nothing was changed`,
  );
}
