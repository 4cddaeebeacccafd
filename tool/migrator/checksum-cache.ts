/**
 * Checksums of applied migration files, remembered between runs for long histories: a file whose
 * size, inode, mtime and ctime are all unchanged has the checksum it had (ctime changes with every
 * write and cannot be set back, which is why git's index trusts the same fields). Editing a file
 * changes them, so edited-migration detection still rests on the file's bytes. Below
 * CACHE_FROM_FILES files, hashing is cheaper than the cache; above it, reading 5000 files was
 * ~50 ms of every deploy's no-op run, stat-ing them ~10 ms.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checksumOf } from './checksum';
import { cacheDir, writeCacheFile } from './files';

export const CACHE_FROM_FILES = 500;

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

export const checksumCacheFile = (migrationsDir: string) => cacheFileOf('checksums', migrationsDir);

export function openChecksumCache(cacheFile: string): ChecksumCache {
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
 * checksums (as inspect.ts computes it), how many there are and the newest. */
export interface DirectoryDigest {
  digest: string;
  count: number;
  newest: string;
}

/**
 * A stamp of every entry of a directory: name, size, inode, mtime and ctime, hashed. Every entry,
 * migrations or not, so an added stray file changes it too. `names`: the entries when the caller
 * has read them already. Undefined when the directory or an entry cannot be read (a dangling
 * link): no stamp, no shortcut.
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

/**
 * The no-op run, without reading the files or parsing a cache entry per file (5000 for a long
 * history): the directory's digest remembered under its stamp. The same stamp means the same
 * files with the same bytes (the reasoning above, for all of them at once), so the digest holds.
 * Only stat-ing every entry remains (~10-20 ms for 5000).
 */
export function rememberedDigest(migrationsDir: string, stamp: string): DirectoryDigest | undefined {
  try {
    const { stamp: rememberedStamp, ...digest } = JSON.parse(fs.readFileSync(cacheFileOf('digest', migrationsDir), 'utf8')) as DirectoryDigest & { stamp: string };
    return rememberedStamp === stamp ? digest : undefined;
  } catch {
    return undefined;
  }
}

export function rememberDigest(migrationsDir: string, stamp: string, digest: DirectoryDigest): void {
  writeCacheFile(cacheFileOf('digest', migrationsDir), JSON.stringify({ stamp, ...digest }));
}
