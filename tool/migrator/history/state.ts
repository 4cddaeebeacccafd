/**
 * Files on disk against bookkeeping in the database: what is applied, pending, edited since it
 * was applied, or applied but gone from disk. Pure (the checksum function is passed in), so
 * that the rules are unit-tested without a server.
 */
import type { AppliedMigration } from './bookkeeping';
import { compareMigrations, type MigrationFile, type SupersededChecksums, versionOf } from '../directory';

export interface MigrationState {
  files: MigrationFile[];
  /** Ordered by version and name (not by when they ran). */
  applied: AppliedMigration[];
  /** Not applied yet, oldest first. */
  pending: MigrationFile[];
  /** Applied, but the file's checksum differs from the one recorded then. */
  edited: string[];
  /** Applied, but no file of that name in the migrations directory. */
  missing: string[];
  /** Applied with no checksum recorded (by node-pg-migrate's own CLI, say): cannot be verified. */
  unrecorded: string[];
  /** Pending migrations older than the newest applied one: applying them would run history out
   * of order (node-pg-migrate refuses this too). */
  outOfOrder: { name: string; newestApplied: string }[];
  /** Versions soda recorded in a database usualstore-db records nothing about (see soda.ts):
   * migrating it would re-run that history. 0 when there is nothing to adopt. */
  unadoptedSoda: number;
  /** Indexes left invalid ("schema.index on table") by a CREATE INDEX CONCURRENTLY that failed or
   * was stopped, and not being built now: IF NOT EXISTS would skip them and leave them unusable. */
  invalidIndexes: string[];
  /** Pending migrations still the template migrate create wrote: empty. */
  unfilled: string[];
}

/** What the database says beside its bookkeeping, and the reviewed superseded checksums. */
export interface StateFacts {
  unadoptedSoda?: number;
  invalidIndexes?: string[];
  /** Which pending files are still a template (create.ts), asked only of pending ones. */
  isUnfilled?: (file: MigrationFile) => boolean;
  superseded?: SupersededChecksums;
}

/** `checksum` is called only for applied migrations whose file exists (the no-op path hashes
 * what it must and loads nothing). */
export function compareState(
  files: MigrationFile[],
  applied: AppliedMigration[],
  checksum: (file: MigrationFile) => string,
  facts: StateFacts = {},
): MigrationState {
  const superseded = facts.superseded ?? {};
  const byName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set(applied.map((m) => m.name));
  const edited: string[] = [];
  const missing: string[] = [];
  const unrecorded: string[] = [];
  for (const migration of applied) {
    const file = byName.get(migration.name);
    if (!file) missing.push(migration.name);
    else if (migration.checksum === null) unrecorded.push(migration.name);
    else if (
      checksum(file) !== migration.checksum &&
      !(Object.hasOwn(superseded, migration.name) && superseded[migration.name].sha256.includes(migration.checksum))
    ) {
      edited.push(migration.name);
    }
  }
  const pending = files.filter((file) => !appliedNames.has(file.name));

  let newest: { name: string; version: bigint } | undefined;
  for (const { name } of applied) {
    const candidate = { name, version: versionOf(name) ?? 0n };
    if (!newest || compareMigrations(candidate, newest) > 0) newest = candidate;
  }
  const latest = newest;
  const outOfOrder = latest
    ? pending.filter((file) => compareMigrations(file, latest) < 0).map((file) => ({ name: file.name, newestApplied: latest.name }))
    : [];
  return {
    files,
    applied,
    pending,
    edited,
    missing,
    unrecorded,
    outOfOrder,
    unadoptedSoda: facts.unadoptedSoda ?? 0,
    invalidIndexes: facts.invalidIndexes ?? [],
    unfilled: pending.filter((file) => facts.isUnfilled?.(file)).map((file) => file.name),
  };
}

/** The newest applied migration's name (what "where the database is" means in messages). */
export function currentMigration(state: Pick<MigrationState, 'applied'>): string | undefined {
  return state.applied.at(-1)?.name;
}
