/**
 * Reading the current state: the migrations directory and the database's bookkeeping, compared.
 * `migrate up` with nothing pending stops at the digest comparison (upToDateQuickly); the full
 * comparison only reads the directory, runs two small queries and hashes the applied files; it
 * never loads a migration. The same queries tell whether soda's bookkeeping exists
 * (refuseUnadopted in soda.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { CHECKSUMS_TABLE, existingTables, MIGRATIONS_TABLE, readBookkeeping, type Queryable } from './bookkeeping';
import { fileChecksum } from './checksum';
import { CACHE_FROM_FILES, checksumCacheFile, directoryStamp, openChecksumCache, rememberDigest, rememberedDigest, type ChecksumCache, type DirectoryDigest } from './checksum-cache';
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
  const checksums = checksumsOf(migrationsDir, books.applied.length);
  const state = compareState(files, books.applied, (file) => checksums.checksum(file.path), books.soda, readSupersededChecksums(migrationsDir));
  checksums.save();
  return state;
}

/** Checksums of a directory's files: a long history's from the cache (checksum-cache.ts), a
 * short one's hashed (cheaper than the cache below CACHE_FROM_FILES). */
function checksumsOf(migrationsDir: string, count: number): ChecksumCache {
  return count >= CACHE_FROM_FILES ? openChecksumCache(checksumCacheFile(migrationsDir)) : { checksum: fileChecksum, save() {} };
}

const digestOf = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

/** Every recorded name and checksum, one per line in byte order, as one digest (and a count). */
const RECORDED_DIGEST_SQL = `SELECT count(*)::int AS count,
  encode(sha256(convert_to(coalesce(string_agg(name || ':' || coalesce(sha256, ''), E'\\n' ORDER BY name COLLATE "C"), ''), 'UTF8')), 'hex') AS digest
  FROM (SELECT DISTINCT ON (m.name) m.name, c.sha256 FROM ${MIGRATIONS_TABLE} m LEFT JOIN ${CHECKSUMS_TABLE} c ON c.name = m.name) recorded`;

/** The digest of the directory's migrations: names and checksums, one per line in byte order, as
 * the server computes its own. */
function digestOfFiles(migrationsDir: string): DirectoryDigest {
  const files = listMigrationFiles(migrationsDir);
  const checksums = checksumsOf(migrationsDir, files.length);
  const lines = files.map((file) => `${file.name}:${checksums.checksum(file.path)}`);
  checksums.save();
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
  if (stamp !== undefined && directoryStamp(migrationsDir) === stamp) rememberDigest(migrationsDir, stamp, computed);
  return computed;
}

/**
 * The no-op question of every deploy ("is every file applied, unchanged, and nothing else
 * recorded?") answered without reading the bookkeeping rows or the files: the server returns one
 * digest of its names and checksums, compared with the same digest of the files (remembered
 * under the directory's stamp). Equal: up to date, with `count` applied, the newest being the
 * last file; nothing else (edited, missing, soda's history) can then be the case. Anything else:
 * undefined, and the caller inspects in full (which also says what is wrong with a directory that
 * cannot be read).
 */
export async function upToDateQuickly(db: Queryable, migrationsDir: string): Promise<{ count: number; newest: string } | undefined> {
  let names: string[];
  try {
    names = fs.readdirSync(migrationsDir);
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
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
