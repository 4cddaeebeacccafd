/**
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * This is all that `migrate up` does when nothing is pending, so it only reads the directory,
 * runs two small queries and hashes the applied files; it never loads a migration. The same
 * queries tell whether soda's bookkeeping exists (refuseUnadopted in soda.ts).
 */
import { readBookkeeping, type Queryable } from './bookkeeping';
import { fileChecksum } from './checksum';
import path from 'node:path';
import { CACHE_FROM_FILES, openChecksumCache } from './checksum-cache';
import { listMigrationFiles, projectRoot, readSupersededChecksums } from './files';
import { compareState, type MigrationState } from './state';

export async function inspect(db: Queryable, migrationsDir: string): Promise<MigrationState> {
  // The query goes out first, and the directory is read while the server answers.
  const reading = readBookkeeping(db);
  let files;
  try {
    files = listMigrationFiles(migrationsDir);
  } finally {
    await reading.catch(() => {}); // never leave the query's rejection unhandled
  }
  const books = await reading;
  if (books.applied.length < CACHE_FROM_FILES) {
    return compareState(files, books.applied, (file) => fileChecksum(file.path), books.soda, readSupersededChecksums(migrationsDir));
  }
  const cache = openChecksumCache(path.join(projectRoot(), 'node_modules', '.cache', 'usualstore-db', 'checksums.json'));
  const state = compareState(files, books.applied, (file) => cache.checksum(file.path), books.soda, readSupersededChecksums(migrationsDir));
  cache.save();
  return state;
}
