/**
 * A change's migrations judged against the history its base commit holds: the base's migration
 * files stand for what every database at the base has applied (with their checksums), so the
 * policy (policy.ts) says what `migrate up` would say of the change on such a database: an edited
 * or deleted file, a new migration older than the newest of the base. What lint and review report
 * without a database.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { git, gitBytes, mergeBase, workTreeOf } from '../../base/git';
import type { AppliedMigration } from './bookkeeping';
import { checksumOf, compareMigrations, MIGRATION_EXTENSIONS, versionOf, type MigrationsDirectory } from '../directory';
import { isUnfilledTemplate } from '../directory/create';
import { judge, type Verdict } from './policy';
import { compareState, type MigrationState } from './state';

export interface History {
  /** The ref compared with and its merge base. */
  ref: string;
  commit: string;
  state: MigrationState;
  /** What migrate up would say of the change on a database at the base. */
  verdict: Verdict;
}

/** Git's blob id of a file's bytes: equal ids, equal bytes (no need to read the base's copy). */
function blobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * The history of `migrations` at the merge base with `base` (else origin/main, else main), or
 * why there is none to compare with (not in git, no such branch).
 */
export function historyAtBase(migrations: MigrationsDirectory, base?: string): History | { unavailable: string } {
  const top = workTreeOf(migrations.path);
  if (!top) return { unavailable: `${migrations.path} is not in a git work tree` };
  const found = mergeBase(top, base);
  if (!found) return { unavailable: `no ${base ?? 'origin/main or main'} to compare with` };
  const rel = path.relative(top, migrations.path).split(path.sep).join('/');
  // "<mode> blob <id>\t<path>", one line per file of the directory at the base.
  const listing = git(top, ['ls-tree', found.commit, '--', rel === '' ? '.' : `${rel}/`])
    .split('\n')
    .filter(Boolean);
  const files = migrations.files();
  const local = new Map(files.map((file) => [path.basename(file.path), file]));
  const applied: AppliedMigration[] = [];
  for (const line of listing) {
    const [meta, filePath] = line.split('\t');
    const [, type, id] = meta.split(' ');
    const fileName = path.posix.basename(filePath);
    if (type !== 'blob' || !MIGRATION_EXTENSIONS.includes(path.extname(fileName)) || /\.d\.[cm]?ts$/.test(fileName)) continue;
    const name = fileName.slice(0, -path.extname(fileName).length);
    if (versionOf(name) === undefined) continue;
    const mine = local.get(fileName);
    // Unchanged bytes: the base's checksum is the file's own; otherwise the base's copy is hashed.
    const same = mine !== undefined && blobId(fs.readFileSync(mine.path)) === id;
    applied.push({
      name,
      runOn: new Date(0),
      checksum: same ? migrations.checksum(mine) : checksumOf(gitBytes(top, ['cat-file', 'blob', id])),
    });
  }
  applied.sort((a, b) => compareMigrations({ name: a.name, version: versionOf(a.name)! }, { name: b.name, version: versionOf(b.name)! }));
  const state = compareState(files, applied, (file) => migrations.checksum(file), {
    superseded: migrations.superseded(),
    isUnfilled: isUnfilledTemplate,
  });
  return {
    ref: found.ref,
    commit: found.commit,
    state,
    verdict: judge('up', state, { where: `a database at ${found.ref}`, migrationsDir: migrations.path }),
  };
}
