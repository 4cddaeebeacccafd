/**
 * Checksums of applied migration files, remembered between runs for long histories: a file whose
 * size, inode, mtime and ctime are all unchanged has the checksum it had (ctime changes with every
 * write and cannot be set back, which is why git's index trusts the same fields). Editing a file
 * changes them, so edited-migration detection still rests on the file's bytes. Below
 * CACHE_FROM_FILES files, hashing is cheaper than the cache; above it, reading 5000 files was
 * ~50 ms of every deploy's no-op run, stat-ing them ~10 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checksumOf } from './checksum';
import { cacheDir } from './files';

export const CACHE_FROM_FILES = 500;

type Entry = [size: number, ino: number, mtimeMs: number, ctimeMs: number, sha256: string];

export interface ChecksumCache {
  checksum(file: string): string;
  /** Writes the cache back if it learned anything (best effort: a read-only tree is fine). */
  save(): void;
}

/** The cache file of one migrations directory (one per directory keeps each small). */
export function checksumCacheFile(migrationsDir: string): string {
  return cacheDir(`checksums-${checksumOf(path.resolve(migrationsDir)).slice(0, 16)}.json`);
}

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
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        const temp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(temp, JSON.stringify(entries));
        fs.renameSync(temp, cacheFile);
      } catch {
        // Not writable (a read-only checkout): the next run hashes again.
      }
    },
  };
}
