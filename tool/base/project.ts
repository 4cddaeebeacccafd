/**
 * Where this project is on disk, for everything that must find its own files whatever the working
 * directory (the deploy hook runs from cdktf.out/stacks/<stack>): the project root, and the
 * project's cache under node_modules/.cache (git-ignored with node_modules). Base layer: imports
 * nothing of ours.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The package name that marks the root (package.json's "name"). */
const PACKAGE_NAME = 'usualstore-db';

let root: string | undefined;

/** The project root: walks up from this file to our package.json, which works from the compiled
 * dist/tool/base/, from the bundle in dist/, and from the sources (tool/base/, the stacks' tsx);
 * the working directory when none is found. */
export function projectRoot(): string {
  root ??= findProjectRoot(__dirname);
  return root;
}

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // Not ours (or unreadable): keep walking up.
      }
    }
    if (path.dirname(dir) === dir) return path.resolve('.');
  }
}

/** A path in the project's own cache directory (node_modules/.cache/usualstore-db), or in
 * USUALSTORE_CACHE_DIR when set (the tests keep theirs apart from the checkout's). */
export function cacheDir(...parts: string[]): string {
  const dir = process.env.USUALSTORE_CACHE_DIR || path.join(projectRoot(), 'node_modules', '.cache', 'usualstore-db');
  return path.join(dir, ...parts);
}

/** Writes a file of that cache atomically (a reader never sees half of it), best effort: in a
 * read-only tree the command runs without the cache and computes again next time. */
export function writeCacheFile(cacheFile: string, text: string | Uint8Array): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, cacheFile);
  } catch {
    // Not writable.
  }
}
