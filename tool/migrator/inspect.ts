/**
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * This is all that `migrate up` does when nothing is pending, so it only reads the directory,
 * runs two small queries and hashes the applied files; it never loads a migration. The same
 * queries tell whether soda's bookkeeping exists (refuseUnadopted in soda.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { CHECKSUMS_TABLE, existingTables, MIGRATIONS_TABLE, readBookkeeping, type Queryable } from './bookkeeping';
import { fileChecksum } from './checksum';
import { CACHE_FROM_FILES, checksumCacheFile, directoryStamp, openChecksumCache, rememberDigest, rememberedDigest, type DirectoryDigest } from './checksum-cache';
import { listMigrationFiles, readSupersededChecksums, type MigrationFile } from './files';
import { compareState, type MigrationState } from './state';

export async function inspect(db: Queryable, migrationsDir: string): Promise<MigrationState> {
  // The query goes out first, and the directory is read while the server answers.
  const reading = readBookkeeping(db);
  let files: MigrationFile[];
  try {
    files = listMigrationFiles(migrationsDir);
  } finally {
    await reading.catch(() => {}); // never leave the query's rejection unhandled
  }
  const books = await reading;
  // A long history's checksums come from the cache (checksum-cache.ts).
  const cache = books.applied.length >= CACHE_FROM_FILES ? openChecksumCache(checksumCacheFile(migrationsDir)) : undefined;
  const checksum = (file: MigrationFile) => (cache ? cache.checksum(file.path) : fileChecksum(file.path));
  const state = compareState(files, books.applied, checksum, books.soda, readSupersededChecksums(migrationsDir));
  cache?.save();
  return state;
}

const digestOf = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

/** Every recorded name and checksum, one per line in byte order, as one digest (and a count). */
const RECORDED_DIGEST_SQL = `SELECT count(*)::int AS count,
  encode(sha256(convert_to(coalesce(string_agg(name || ':' || coalesce(sha256, ''), E'\\n' ORDER BY name COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
  FROM (SELECT DISTINCT ON (m.name) m.name, c.sha256 FROM ${MIGRATIONS_TABLE} m LEFT JOIN ${CHECKSUMS_TABLE} c ON c.name = m.name) recorded`;

/** The digest of the directory's migrations: names and checksums (from the cache), one per line
 * in byte order, as the server computes its own. */
function digestOfFiles(migrationsDir: string): DirectoryDigest {
  const files = listMigrationFiles(migrationsDir);
  const cache = openChecksumCache(checksumCacheFile(migrationsDir));
  const lines = files.map((file) => `${file.name}:${cache.checksum(file.path)}`);
  cache.save();
  // The server's order is COLLATE "C" (bytes); for ASCII names, JavaScript's own order is the same.
  if (lines.every((line) => /^[\x00-\x7f]*$/.test(line))) lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  else lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return { digest: digestOf(lines), count: files.length, newest: files.at(-1)?.name ?? '' };
}

/** The same digest, remembered under the directory's stamp (checksum-cache.ts), and remembered
 * anew only when the stamp did not change while it was computed. */
function localDigest(migrationsDir: string, names: string[]): DirectoryDigest {
  const stamp = directoryStamp(migrationsDir, names);
  const remembered = stamp === undefined ? undefined : rememberedDigest(migrationsDir, stamp);
  if (remembered) return remembered;
  const computed = digestOfFiles(migrationsDir);
  if (stamp !== undefined && directoryStamp(migrationsDir, fs.readdirSync(migrationsDir)) === stamp) rememberDigest(migrationsDir, stamp, computed);
  return computed;
}

/**
 * For a long history, the no-op question of every deploy ("is every file applied, unchanged, and
 * nothing else recorded?") answered without reading thousands of bookkeeping rows: the server
 * returns one digest of its names and checksums, compared with the same digest of the files.
 * Equal: up to date, with `count` applied, the newest being the last file. Anything else, or a
 * short history: undefined, and the caller inspects in full (which also says what is wrong with
 * a directory that cannot be read).
 */
export async function upToDateQuickly(db: Queryable, migrationsDir: string): Promise<{ count: number; newest: string } | undefined> {
  let names: string[];
  try {
    names = fs.readdirSync(migrationsDir);
  } catch {
    return undefined;
  }
  if (names.length < CACHE_FROM_FILES) return undefined;
  const tables = await existingTables(db);
  if (!tables.migrations || !tables.checksums) return undefined;
  // The query goes out first; the directory is stamped while the server answers.
  const recorded = db.query<{ count: number; digest: string }>(RECORDED_DIGEST_SQL);
  let local: DirectoryDigest;
  try {
    local = localDigest(migrationsDir, names);
  } finally {
    await recorded.catch(() => {});
  }
  const { count, digest } = (await recorded).rows[0];
  return count === local.count && digest === local.digest ? { count, newest: local.newest } : undefined;
}
