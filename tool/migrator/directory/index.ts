/**
 * A migrations directory: the one entry point for everything read from it, by the migrator (which
 * files are migrations, their checksums, the digest of the no-op check, the reviewed superseded
 * checksums) and by the stacks (the deploy hook's triggers). One object per command run: the
 * directory is listed once, and the checksum and digest caches of long histories are used and
 * saved in one place. Imports only the base layer, so the stacks can use it too.
 */
import fs, { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';
import { projectRoot } from '../../base/project';
import {
  CACHE_FROM_FILES,
  digestOfLines,
  directoryStamp,
  fileChecksum,
  openChecksumCache,
  rememberDigest,
  rememberedDigest,
  type ChecksumCache,
  type DirectoryDigest,
} from './checksums';

export { checksumOf, type DirectoryDigest } from './checksums';

/** Checksums that a reviewed edit of an applied migration superseded, by migration name: a
 * database that recorded one of them is not "edited". Kept in the directory's
 * superseded-checksums.json, beside the migrations, where a pull request shows it. */
export type SupersededChecksums = Record<string, { sha256: string[] }>;

export class MigrationsDirectory {
  private entries?: fs.Dirent[];
  private listed?: MigrationFile[];
  private cache?: ChecksumCache;
  private supersededChecksums?: SupersededChecksums;

  constructor(readonly path: string) {}

  /** The project's own migrations/: the default, so that the command migrates UsualStore's schema
   * from any working directory (the deploy hook runs from cdktf.out/stacks/...). */
  static ofProject(): MigrationsDirectory {
    return new MigrationsDirectory(path.join(projectRoot(), 'migrations'));
  }

  /** The entries, read once; one line (UserError) when the directory cannot be read. */
  private dirents(): fs.Dirent[] {
    this.entries ??= readEntries(this.path);
    return this.entries;
  }

  /** Every migration, oldest first; refuses anything that is not one (below). */
  files(): MigrationFile[] {
    this.listed ??= migrationFiles(this.path, this.dirents());
    return this.listed;
  }

  /** sha256 of a migration file's bytes (remembered across runs for a long history). */
  checksum(file: MigrationFile): string {
    if (this.files().length < CACHE_FROM_FILES) return fileChecksum(file.path);
    this.cache ??= openChecksumCache(this.path);
    return this.cache.checksum(file.path);
  }

  /** superseded-checksums.json, or none. */
  superseded(): SupersededChecksums {
    this.supersededChecksums ??= readSuperseded(path.join(this.path, SUPERSEDED_CHECKSUMS_FILE));
    return this.supersededChecksums;
  }

  /**
   * The digest of every migration's name and checksum (as the server computes its own, see
   * history/state.ts), remembered under the directory's stamp, and remembered anew only when the stamp
   * did not change while it was computed. Undefined when the directory cannot be read: the caller
   * then inspects in full, which says why.
   */
  digest(): DirectoryDigest | undefined {
    let names: string[];
    try {
      // Names only (the stamp stats each entry anyway): a listing with file types costs twice as
      // much on a long history, and only the slow path below needs one.
      names = fs.readdirSync(this.path);
    } catch {
      return undefined;
    }
    if (names.length === 0) return undefined;
    const stamp = directoryStamp(this.path, names);
    const remembered = stamp === undefined ? undefined : rememberedDigest(this.path, stamp);
    if (remembered) return remembered;
    const files = this.files();
    const computed = {
      digest: digestOfLines(files.map((file) => `${file.name}:${this.checksum(file)}`)),
      count: files.length,
      newest: files.at(-1)?.name ?? '',
    };
    this.save();
    if (stamp !== undefined && directoryStamp(this.path) === stamp) rememberDigest(this.path, stamp, computed);
    return computed;
  }

  /**
   * The deploy hook's triggers: each migration file (by file name, extension included) and the
   * superseded list with the sha256 of its bytes, the checksum the migrator records. The same files
   * and bytes give the same map on any machine and checkout path, so unchanged migrations plan no
   * change, and a plan names each file that is added, edited or deleted.
   */
  triggers(): Record<string, string> {
    const entries: [string, string][] = this.files().map((file) => [path.basename(file.path), this.checksum(file)]);
    const superseded = path.join(this.path, SUPERSEDED_CHECKSUMS_FILE);
    if (this.dirents().some((entry) => entry.name === SUPERSEDED_CHECKSUMS_FILE))
      entries.push([SUPERSEDED_CHECKSUMS_FILE, fileChecksum(superseded)]);
    // Code-unit order, not localeCompare: the same on every machine whatever its locale.
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Writes back what the checksum cache learned (best effort). */
  save(): void {
    this.cache?.save();
  }
}

function readSuperseded(file: string): SupersededChecksums {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const valid =
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every(
        (entry) =>
          Array.isArray((entry as { sha256?: unknown }).sha256) &&
          (entry as { sha256: unknown[] }).sha256.every((sum) => typeof sum === 'string'),
      );
    if (!valid) throw new Error('expected { "<migration>": { "sha256": ["<hex>", ...], "why": "..." } }');
    return parsed as SupersededChecksums;
  } catch (error) {
    throw new UserError(`${file} is not valid: ${(error as Error).message}`);
  }
}

export interface MigrationFile {
  /** File name without extension: the row in pgmigrations. */
  name: string;
  path: string;
  /** The numeric prefix (the 14-digit UTC version for ours). */
  version: bigint;
}

/*
 * Which files of a migrations directory are migrations, their names and their order. Names and
 * order agree with node-pg-migrate (name = file name without extension; sorted by the numeric
 * prefix, then by name), so its own CLI reads our bookkeeping the same way. Anything that is not
 * a migration is refused, never ignored: a file silently skipped would still change the deploy
 * hook's trigger.
 */
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
