/**
 * A migration's checksum: sha256 of the file's bytes, recorded when it is applied, so that an
 * edit to an applied migration is noticed (node-pg-migrate, Supabase and Prisma let it pass).
 * Bytes, not the transpiled code: cheap (no loading on the no-op path), and any edit counts.
 *
 * For long histories two things are remembered between runs, both keyed by what git's index
 * trusts (size, inode, mtime and ctime: ctime changes with every write and cannot be set back),
 * so an edit is still caught from the bytes:
 * - each file's checksum (above CACHE_FROM_FILES files hashing costs more than the cache);
 * - the whole directory's digest, under a stamp of every entry: the no-op run of every deploy
 *   then costs a readdir and one stat per file, no file read.
 * Internal to directory/ (index.ts is the entry point).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, writeCacheFile } from '../../base/project';

export const CACHE_FROM_FILES = 500;

export function checksumOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function fileChecksum(filePath: string): string {
  return checksumOf(fs.readFileSync(filePath));
}

type Entry = [size: number, ino: number, mtimeMs: number, ctimeMs: number, sha256: string];

export interface ChecksumCache {
  checksum(file: string): string;
  /** Writes the cache back if it learned anything (best effort: a read-only tree is fine). */
  save(): void;
}

/** A cache file of one migrations directory (one per directory keeps each small). */
function cacheFileOf(kind: 'checksums' | 'digest', migrationsDir: string): string {
  return cacheDir(`${kind}-${checksumOf(path.resolve(migrationsDir)).slice(0, 16)}.json`);
}

export function openChecksumCache(migrationsDir: string): ChecksumCache {
  const cacheFile = cacheFileOf('checksums', migrationsDir);
  let entries: Record<string, Entry> = {};
  try {
    entries = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, Entry>;
  } catch {
    // No cache yet, or an unreadable one: start afresh.
  }
  // Written back: the entries of this run only, so files deleted since drop out.
  const used: Record<string, Entry> = {};
  let changed = false;
  return {
    checksum(file) {
      const stat = fs.statSync(file);
      const known = entries[file];
      if (known && known[0] === stat.size && known[1] === stat.ino && known[2] === stat.mtimeMs && known[3] === stat.ctimeMs) {
        used[file] = known;
        return known[4];
      }
      const sha256 = checksumOf(fs.readFileSync(file));
      used[file] = [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs, sha256];
      changed = true;
      return sha256;
    },
    save() {
      if (!changed && Object.keys(used).length === Object.keys(entries).length) return;
      entries = used;
      writeCacheFile(cacheFile, JSON.stringify(entries));
    },
  };
}

/** What a whole migrations directory adds up to: the digest of its migrations' names and
 * checksums, how many there are and the newest. */
export interface DirectoryDigest {
  digest: string;
  count: number;
  newest: string;
}

/** "name:sha256" lines in byte order (as the server sorts with COLLATE "C"), as one digest. */
export function digestOfLines(lines: string[]): string {
  // For ASCII names, JavaScript's own order is the byte order.
  if (lines.every((line) => /^[\x00-\x7f]*$/.test(line))) lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  else lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * A stamp of every entry of a directory: name, size, inode, mtime and ctime, hashed. Every entry,
 * migrations or not, so an added stray file changes it too. Undefined when the directory or an
 * entry cannot be read (a dangling link): no stamp, no shortcut.
 */
export function directoryStamp(migrationsDir: string, names?: string[]): string | undefined {
  const prefix = path.resolve(migrationsDir) + path.sep;
  let sorted: string[];
  let fields: Float64Array;
  try {
    sorted = [...(names ?? fs.readdirSync(migrationsDir))].sort();
    // Numbers in one typed array rather than a string per entry: fewer objects to collect.
    fields = new Float64Array(sorted.length * 4);
    for (let i = 0, at = 0; i < sorted.length; i++) {
      const stat = fs.statSync(prefix + sorted[i]);
      fields[at++] = stat.size;
      fields[at++] = stat.ino;
      fields[at++] = stat.mtimeMs;
      fields[at++] = stat.ctimeMs;
    }
  } catch {
    return undefined;
  }
  return createHash('sha256').update(sorted.join('\n')).update(fields).digest('hex');
}

/** The digest remembered under `stamp`, if it is the same stamp. */
export function rememberedDigest(migrationsDir: string, stamp: string): DirectoryDigest | undefined {
  try {
    const { stamp: rememberedStamp, ...digest } = JSON.parse(
      fs.readFileSync(cacheFileOf('digest', migrationsDir), 'utf8'),
    ) as DirectoryDigest & { stamp: string };
    return rememberedStamp === stamp ? digest : undefined;
  } catch {
    return undefined;
  }
}

export function rememberDigest(migrationsDir: string, stamp: string, digest: DirectoryDigest): void {
  writeCacheFile(cacheFileOf('digest', migrationsDir), JSON.stringify({ stamp, ...digest }));
}
