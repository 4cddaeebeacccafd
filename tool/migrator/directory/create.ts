/**
 * `migrate create NAME`: a new migration file, <14-digit UTC version>_<name>.ts, whose version
 * sorts after every existing one. (node-pg-migrate's default prefix, a 13-digit millisecond
 * timestamp, would sort before the 14-digit versions inherited from soda.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../base/errors';
import type { MigrationFile, MigrationsDirectory } from './index';

/** Lower-case words joined by underscores, like every existing migration name. The length
 * keeps `<version>_<name>` well inside pgmigrations.name (varchar(255)). */
const NAME_PATTERN = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 120;

export function validateName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new UserError(
      `invalid migration name "${name.slice(0, 60)}": use lower-case letters, digits and single underscores, starting with a letter, at most ${MAX_NAME_LENGTH} characters (e.g. add_index_to_orders)`,
    );
  }
}

/** YYYYMMDDHHMMSS in UTC. */
export function versionAt(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/\D/g, '');
}

function dateOf(version: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) || versionAt(date) !== version ? undefined : date;
}

/** Now, or one second after the newest existing version when the clock is behind it. */
export function nextVersion(existing: bigint[], now: Date): string {
  const candidate = versionAt(now);
  const newest = existing.reduce<bigint | undefined>((max, v) => (max === undefined || v > max ? v : max), undefined);
  if (newest === undefined || BigInt(candidate) > newest) return candidate;
  const newestDate = dateOf(newest.toString());
  // A version that is not a valid date (hand-made) still gets a strictly greater successor.
  return newestDate ? versionAt(new Date(newestDate.getTime() + 1000)) : (newest + 1n).toString();
}

const TEMPLATE = (name: string) => `/** ${name}: what this migration changes, and why. */
import type { MigrationBuilder } from 'node-pg-migrate';

// Runs in one transaction, each lock wait at most 5 s and each statement at most 5 min (say
// pgm.sql("SET LOCAL lock_timeout = '1min'") to change them). For CREATE INDEX CONCURRENTLY call
// pgm.noTransaction() first: the statements then run outside a transaction, one by one.
export function up(pgm: MigrationBuilder): void {
  pgm.sql(\`
  \`);
}

/** The exact inverse of up: after up then down, the schema is as it was before. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql(\`
  \`);
}
`;

const SQL_TEMPLATE = (name: string) => `-- ${name}: what this migration changes, and why.
-- Up Migration

-- Down Migration
-- The exact inverse of up: after up then down, the schema is as it was before.
`;

export function createMigration(name: string, migrations: MigrationsDirectory, options: { sql?: boolean; now?: Date } = {}): string {
  const now = options.now ?? new Date();
  validateName(name);
  const migrationsDir = migrations.path;
  const existing = fs.existsSync(migrationsDir) ? migrations.files() : [];
  const version = nextVersion(
    existing.map((file) => file.version),
    now,
  );
  const file = path.join(migrationsDir, `${version}_${name}.${options.sql ? 'sql' : 'ts'}`);
  try {
    fs.mkdirSync(migrationsDir, { recursive: true });
    fs.writeFileSync(file, (options.sql ? SQL_TEMPLATE : TEMPLATE)(name), { flag: 'wx' });
  } catch (error) {
    throw new UserError(`cannot write ${file}: ${(error as Error).message}`);
  }
  return file;
}

/** The text without comments and white space: what a template says once its prose is gone. */
function code(text: string, sql: boolean): string {
  const withoutComments = sql ? text.replace(/--[^\n]*/g, '') : text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  return withoutComments.replace(/\s+/g, '');
}

/**
 * Whether a migration file is still the template `migrate create` wrote (comments and spacing
 * aside, so an older template counts too): an empty migration, which would be recorded as applied
 * having done nothing. Reads the file.
 */
export function isUnfilledTemplate(file: MigrationFile): boolean {
  const sql = file.path.endsWith('.sql');
  let text: string;
  try {
    text = fs.readFileSync(file.path, 'utf8');
  } catch {
    return false; // the listing or the loading says what is wrong with it
  }
  return code(text, sql) === code((sql ? SQL_TEMPLATE : TEMPLATE)(file.name), sql);
}
