/**
 * Which files of a migrations directory are migrations, their names and their order. Names and
 * order agree with node-pg-migrate (name = file name without extension; sorted by the numeric
 * prefix, then by name), so its own CLI reads our bookkeeping the same way. Anything that is not
 * a migration is refused, never ignored: a file silently skipped would still change the deploy
 * hook's trigger. Internal to directory/ (index.ts is the entry point).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';

export interface MigrationFile {
  /** File name without extension: the row in pgmigrations. */
  name: string;
  path: string;
  /** The numeric prefix (the 14-digit UTC version for ours). */
  version: bigint;
}

/** The reviewed list of checksums that edits of applied migrations superseded (see index.ts). */
export const SUPERSEDED_CHECKSUMS_FILE = 'superseded-checksums.json';

/** What node-pg-migrate loads: scripts through jiti, and SQL files (see load.ts). */
export const MIGRATION_EXTENSIONS = ['.ts', '.js', '.cjs', '.mjs', '.cts', '.mts', '.sql'];

/** Besides migrations a directory may hold hidden files, type declarations and the superseded list. */
function isAllowedExtra(fileName: string): boolean {
  return fileName.startsWith('.') || /\.d\.[cm]?ts$/.test(fileName) || fileName === SUPERSEDED_CHECKSUMS_FILE;
}

export function compareMigrations(a: { version: bigint; name: string }, b: { version: bigint; name: string }): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The numeric prefix of a migration name, or undefined when it has none. */
export function versionOf(name: string): bigint | undefined {
  const match = /^(\d+)/.exec(name);
  return match ? BigInt(match[1]) : undefined;
}

/** Whether a migration `name` is the one a user `wanted`: its whole name, or its version. */
export function isNamed(name: string, wanted: string): boolean {
  const trimmed = wanted.trim();
  return name === trimmed || (/^\d+$/.test(trimmed) && versionOf(name) === BigInt(trimmed));
}

/** The directory's entries, or one line saying why it cannot be read. */
export function readEntries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`migrations directory ${dir} does not exist`);
    if (code === 'ENOTDIR') throw new UserError(`migrations directory ${dir} is not a directory`);
    throw new UserError(`cannot read migrations directory ${dir}: ${(error as Error).message}`);
  }
}

/** Every migration among `entries` of `dir`, oldest first. Opens no file. */
export function migrationFiles(dir: string, entries: fs.Dirent[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const where = path.join(dir, entry.name);
    if (entry.isDirectory() || isAllowedExtra(entry.name)) continue;
    if (!MIGRATION_EXTENSIONS.includes(path.extname(entry.name))) {
      throw new UserError(
        `${where} is not a migration (migrations are ${MIGRATION_EXTENSIONS.join(' ')} files); move it out of the migrations directory`,
      );
    }
    if (entry.isSymbolicLink() && !fs.existsSync(where)) {
      throw new UserError(
        `${where} is a link to ${fs.readlinkSync(where)}, which does not exist; restore what it points to or remove the link`,
      );
    }
    const name = path.basename(entry.name, path.extname(entry.name));
    const version = versionOf(name);
    if (version === undefined) {
      throw new UserError(
        `${where} is not a migration name: it must start with a version, <14-digit UTC version>_<name> (see migrate create)`,
      );
    }
    const other = seen.get(name);
    if (other) throw new UserError(`two files in ${dir} define migration ${name}: ${other} and ${entry.name}`);
    seen.set(name, entry.name);
    files.push({ name, path: where, version });
  }
  return files.sort(compareMigrations);
}
