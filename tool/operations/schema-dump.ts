/**
 * `schema dump [FILE]`: the schema the migrations build, as SQL a reviewer reads in a pull request
 * (schema.sql at the project root, as dbmate keeps one): pg_dump of the public schema, structure
 * only, without owners, privileges and the migration bookkeeping, and without what differs from
 * one pg_dump or server to the next (the version lines, the session SET lines, pg_dump 15.14+'s
 * random \restrict key), then the applied migrations by name. The same schema gives the same
 * bytes; the tests check that the committed schema.sql is what the migrations build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { formatBytes, plural, type Say } from '../base/text';
import type { DatabaseTarget } from '../db';
import type { MigrationsDirectory } from '../migrator/directory';
import { inspect } from '../migrator/history/state';
import { withSession } from '../db/session';
import { invocation, runTool, toolErrorLine } from './client-tools';
import type { ClientRoute } from './route';

export const SCHEMA_FILE = 'schema.sql';

/** pg_dump's plain output with what does not belong to the schema taken out. */
export function normalizedDump(dump: string): string {
  const kept = dump
    .split('\n')
    .filter((line) => !/^-- Dumped (from database|by pg_dump) version /.test(line))
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .filter((line) => !/^SET [a-z_]+ = /.test(line) && !/^SELECT pg_catalog\.set_config\('search_path'/.test(line));
  return `${kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** Relative when under the working directory (schema.sql), else as absolute. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export interface SchemaDumpOptions {
  route: ClientRoute;
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  /** Where to write it; '-' for stdout. */
  file: string;
  say: Say;
}

/** The schema.sql text of the database at `route`. */
export async function schemaSql(options: Omit<SchemaDumpOptions, 'file' | 'say'>): Promise<string> {
  const state = await withSession(options.target, {}, (client) => inspect(client, options.migrations));
  const args = [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '--schema=public',
    '--exclude-table=public.pgmigrations*',
    '--no-password',
  ];
  const result = await runTool(invocation(options.route, 'pg_dump', args));
  if (result.code !== 0) throw new UserError(`pg_dump of ${options.route.label} failed: ${toolErrorLine('pg_dump', result.stderr)}`);
  const migrations = state.applied.map((m) => `--   ${m.name}`);
  return `${normalizedDump(result.stdout)}\n-- Built by ${plural(state.applied.length, 'migration')} (usualstore-db schema dump):\n${migrations.join('\n')}\n`;
}

export async function schemaDump(options: SchemaDumpOptions): Promise<void> {
  const text = await schemaSql(options);
  if (options.file === '-') {
    process.stdout.write(text);
    return;
  }
  const file = path.resolve(options.file);
  const temp = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new UserError(`cannot write ${file}: ${(error as Error).message}`);
  }
  options.say(`wrote the schema of ${options.route.label} to ${shownPath(file)} (${formatBytes(Buffer.byteLength(text))})`);
}
