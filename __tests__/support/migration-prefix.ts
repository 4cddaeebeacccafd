/**
 * A migrations directory holding only the first N of the project's migrations (copies, so that
 * their checksums match the originals). `migrate up` applies everything pending, so this is how a
 * test brings a database to exactly version N.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MIGRATIONS_DIR, PROJECT_ROOT } from './cli';

/** The project's migration file names, oldest first (their 14-digit versions sort as text). */
export function migrationFileNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{14}_\w+\.ts$/.test(f))
    .sort();
}

/** The project's migrations by name, oldest first: what tests count and name instead of literals, so
 * that a new migration breaks only the schema spec. */
export const PROJECT_MIGRATIONS = migrationFileNames().map((f) => f.replace(/\.ts$/, ''));
export const NEWEST_MIGRATION = PROJECT_MIGRATIONS[PROJECT_MIGRATIONS.length - 1];

/** How many migrations soda applied in the original project (SEED.md's 24 pairs): the history a
 * soda database has, whatever is added after it. */
export const SODA_HISTORY = 24;

export interface MigrationPrefix {
  dir: string;
  /** Makes the directory hold the first `count` migrations (it only ever grows). */
  extendTo(count: number): void;
  remove(): void;
}

export function migrationPrefix(): MigrationPrefix {
  // Inside the project (.test-out is git-ignored), so the files resolve the project's modules.
  const dir = path.join(PROJECT_ROOT, '.test-out', `migrations-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  const names = migrationFileNames();
  return {
    dir,
    extendTo(count) {
      for (const name of names.slice(0, count)) fs.copyFileSync(path.join(MIGRATIONS_DIR, name), path.join(dir, name));
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
