/**
 * A content hash of a migrations directory, taken at synth: the migration hook's
 * triggers_replace. Same files and bytes give the same hash on any machine and checkout path, so
 * unchanged migrations plan no change; any added, renamed or edited file changes it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config/database';

/** Every file under `dir` as [relative POSIX path, absolute path], sorted by relative path. */
function filesUnder(dir: string, prefix = ''): [string, string][] {
  const found: [string, string][] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    // Dotfiles (.DS_Store, editor swap files) are not migrations (the migrator skips them too)
    // and differ between machines: they must not make a deploy re-run the hook.
    if (entry.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...filesUnder(dir, rel));
    else found.push([rel, path.join(dir, rel)]);
  }
  // Code-unit order, not localeCompare: the same on every machine whatever its locale.
  return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * sha256 over (name, length, bytes) of every file, in name order. The length prefix keeps the
 * boundaries unambiguous: moving bytes from one file to the next changes the hash.
 */
export function migrationsHash(dir: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ConfigError(`migrations directory ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new ConfigError(`migrations directory ${dir} is not a directory`);
  const hash = createHash('sha256');
  for (const [rel, file] of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    hash.update(`${rel}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
