/**
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * This is all that `migrate up` does when nothing is pending, so it only reads the directory,
 * runs two small queries and hashes the applied files; it never loads a migration. The same
 * queries tell whether soda's bookkeeping exists (refuseUnadopted in soda.ts).
 */
import { readBookkeeping, type Queryable } from './bookkeeping';
import { fileChecksum } from './checksum';
import { listMigrationFiles, readSupersededChecksums } from './files';
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
  return compareState(files, books.applied, (file) => fileChecksum(file.path), books.soda, readSupersededChecksums(migrationsDir));
}
