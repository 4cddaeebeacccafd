/**
 * The migration files on disk: which files are migrations, their names and their order.
 *
 * Names and order agree with node-pg-migrate (name = file name without extension; sorted by the
 * numeric prefix, then by name), so its own CLI reads our bookkeeping the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';

export interface MigrationFile {
  /** File name without extension: the row in pgmigrations. */
  name: string;
  path: string;
  /** The numeric prefix (the 14-digit UTC version for ours). */
  version: bigint;
}

/** What node-pg-migrate loads: scripts through jiti, and SQL files (see load.ts). */
const MIGRATION_EXTENSIONS = new Set(['.ts', '.js', '.cjs', '.mjs', '.cts', '.mts', '.sql']);

/** Files a migrations directory may hold besides migrations: hidden files, type declarations,
 * and the reviewed list of superseded checksums. Anything else is refused, never ignored: a
 * file that is silently skipped would still change the deploy hook's trigger. */
function isMigrationFileName(fileName: string, dir: string): boolean {
  if (fileName.startsWith('.') || /\.d\.[cm]?ts$/.test(fileName) || fileName === SUPERSEDED_CHECKSUMS_FILE) return false;
  if (MIGRATION_EXTENSIONS.has(path.extname(fileName))) return true;
  throw new UserError(
    `${path.join(dir, fileName)} is not a migration (migrations are ${[...MIGRATION_EXTENSIONS].join(' ')} files); move it out of the migrations directory`,
  );
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

/** Every migration in `dir`, oldest first. Only reads the directory: no file is opened. */
export function listMigrationFiles(dir: string): MigrationFile[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`migrations directory ${dir} does not exist (--migrations-dir)`);
    if (code === 'ENOTDIR') throw new UserError(`migrations directory ${dir} is not a directory (--migrations-dir)`);
    throw new UserError(`cannot read migrations directory ${dir}: ${(error as Error).message}`);
  }
  const files: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (!(entry.isFile() || entry.isSymbolicLink()) || !isMigrationFileName(entry.name, dir)) continue;
    const name = path.basename(entry.name, path.extname(entry.name));
    const version = versionOf(name);
    if (version === undefined) {
      throw new UserError(`${path.join(dir, entry.name)} is not a migration name: it must start with a version, <14-digit UTC version>_<name> (see migrate create)`);
    }
    const other = seen.get(name);
    if (other) throw new UserError(`two files in ${dir} define migration ${name}: ${other} and ${entry.name}`);
    seen.set(name, entry.name);
    files.push({ name, path: path.join(dir, entry.name), version });
  }
  return files.sort(compareMigrations);
}

/** The project's own cache directory (git-ignored with node_modules), or a path inside it. */
export function cacheDir(...parts: string[]): string {
  return path.join(projectRoot(), 'node_modules', '.cache', 'usualstore-db', ...parts);
}

/** Writes a file of that cache, atomically (a reader never sees half of it), and on a best-effort
 * basis: in a read-only tree the command runs without the cache and computes again next time. */
export function writeCacheFile(cacheFile: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, cacheFile);
  } catch {
    // Not writable.
  }
}

let root: string | undefined;
/** The project (package) root: walks up to our package.json, which works both from the
 * compiled dist/tool/... and from the sources; the working directory when none is found. */
export function projectRoot(): string {
  root ??= findProjectRoot();
  return root;
}

function findProjectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'usualstore-db') return dir;
      } catch {
        // Not ours (or unreadable): keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('.');
    dir = parent;
  }
}

/** The package's own migrations/ directory: the default, so that the installed command
 * migrates UsualStore's schema from any working directory (the deploy hook runs from
 * cdktf.out/stacks/...). */
export function defaultMigrationsDir(): string {
  return path.join(projectRoot(), 'migrations');
}

/** Checksums that a reviewed edit of an applied migration superseded, by migration name: a
 * database that recorded one of them is not "edited". Kept in the migrations directory's
 * superseded-checksums.json, beside the migrations, where a pull request shows it. */
export type SupersededChecksums = Record<string, { sha256: string[] }>;

/** The migrations directory's superseded-checksums.json, or none. */
export function readSupersededChecksums(dir: string): SupersededChecksums {
  const file = path.join(dir, SUPERSEDED_CHECKSUMS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const valid =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) &&
      Object.values(parsed).every((entry) => Array.isArray((entry as { sha256?: unknown }).sha256) && (entry as { sha256: unknown[] }).sha256.every((sum) => typeof sum === 'string'));
    if (!valid) throw new Error('expected { "<migration>": { "sha256": ["<hex>", ...], "why": "..." } }');
    return parsed as SupersededChecksums;
  } catch (error) {
    throw new UserError(`${file} is not valid: ${(error as Error).message}`);
  }
}

export const SUPERSEDED_CHECKSUMS_FILE = 'superseded-checksums.json';
