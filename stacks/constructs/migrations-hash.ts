/**
 * The checksums of a migrations directory, taken at synth: the migration hook's
 * triggers_replace, one entry per file, so that the plan of a pull request names what changed:
 * `+ "20261201090000_add_x.ts" = "…"` for an added migration, `~ "…_seed_widgets.ts" = "…" -> "…"`
 * for an edited one. Each value is the sha256 of the file's bytes, the same checksum the migrator
 * records in pgmigrations_checksums. Same files and bytes give the same map on any machine and
 * checkout path, so unchanged migrations plan no change; any added, renamed or edited file
 * changes it.
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

/** File (relative POSIX path) -> sha256 of its bytes, for every file, in name order. */
export function migrationChecksums(dir: string): Record<string, string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ConfigError(`migrations directory ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new ConfigError(`migrations directory ${dir} is not a directory`);
  const checksums: Record<string, string> = {};
  for (const [rel, file] of filesUnder(dir)) checksums[rel] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  return checksums;
}
