/**
 * `migrate adopt`: takes over a database that soda migrated. Every migration whose version is in
 * soda's schema_migration is recorded as applied (pgmigrations, with its checksum, exactly as
 * `migrate up` records it) without being run, after checking that the schema really holds what
 * those migrations create. soda's table stays: the applications' tooling may still read it.
 *
 * "What they create" is not a hand-written list that could drift from the migrations: they are
 * run, inside a savepoint, in a scratch schema (search_path), its catalog is read and compared
 * with public's, and the savepoint is rolled back. Everything happens in one transaction holding
 * the migration lock, so a refusal changes nothing and `migrate up` cannot interleave.
 */
import type { Client } from 'pg';
import { UserError } from '../base/errors';
import type { DatabaseTarget } from '../db';
import { ensureBookkeepingInTransaction, readBookkeeping, recordApplied } from './bookkeeping';
import type { MigrationFile, MigrationsDirectory } from './directory';
import { inspect } from './inspect';
import { position } from './report';
import { type Say, shortList, plural } from '../base/text';
import { readSodaVersions } from './soda';
import { missingFrom, readShape, shapeBuiltBy } from './schema-shape';
import { inTransaction, withSession } from './session';

export interface AdoptOptions {
  target: DatabaseTarget;
  migrations: MigrationsDirectory;
  lockTimeoutMs: number;
  say: Say;
  warn: Say;
}

const list = (items: string[]) => shortList(items, 5, '; ');

/** The project's migration for each soda version; refuses versions it does not know. */
function filesForVersions(versions: string[], migrations: MigrationsDirectory): MigrationFile[] {
  const migrationsDir = migrations.path;
  const byVersion = new Map<string, MigrationFile[]>();
  for (const file of migrations.files()) {
    const key = file.version.toString();
    byVersion.set(key, [...(byVersion.get(key) ?? []), file]);
  }
  // BigInt normalises leading zeros; anything not made of digits cannot match a migration.
  const matches = (version: string) => (/^\d+$/.test(version) ? byVersion.get(BigInt(version).toString()) : undefined);
  const unknown = versions.filter((v) => !matches(v));
  if (unknown.length > 0) {
    throw new UserError(
      `refusing to adopt: schema_migration holds ${unknown.length === 1 ? 'version' : 'versions'} ${list(unknown.map((v) => JSON.stringify(v)))} that no migration in ${migrationsDir} has (a newer checkout of the project, or another application's migrations?); nothing was changed`,
    );
  }
  const ambiguous = versions.filter((v) => matches(v)!.length > 1);
  if (ambiguous.length > 0)
    throw new UserError(
      `refusing to adopt: several migrations in ${migrationsDir} share version ${ambiguous.join(', ')}; nothing was changed`,
    );
  return versions.map((v) => matches(v)![0]);
}

/** Runs the migrations in a scratch schema and lists what public lacks of what they made. */
async function checkSchema(client: Client, files: MigrationFile[]): Promise<string[]> {
  const built = await shapeBuiltBy(
    client,
    files,
    (name, cause) => `refusing to adopt: cannot tell what ${name} creates (it fails in a scratch schema: ${cause}); nothing was changed`,
  );
  return missingFrom(built, await readShape(client, 'public'));
}

export async function adopt(options: AdoptOptions): Promise<{ adopted: string[] }> {
  const { target, say } = options;
  return withSession(target, {}, async (client) => {
    // One transaction holding the migration lock: a refusal changes nothing, and migrate up
    // cannot interleave.
    const adopted = await inTransaction(
      client,
      target,
      { lockTimeoutMs: options.lockTimeoutMs, migrationLock: { warn: options.warn } },
      async () => {
        const books = await readBookkeeping(client);
        if (!books.soda) {
          if (books.ours) {
            say(`${target.label} has no soda bookkeeping (schema_migration) and is managed by usualstore-db already; nothing to adopt`);
            return undefined;
          }
          throw new UserError(
            `${target.label} has no soda bookkeeping (public.schema_migration): nothing to adopt; a new database needs only migrate up`,
          );
        }
        const versions = await readSodaVersions(client);
        const sodaFiles = filesForVersions(versions, options.migrations);
        const recorded = new Set(books.applied.map((m) => m.name));
        const toRecord = sodaFiles.filter((file) => !recorded.has(file.name));
        if (toRecord.length === 0) {
          say(
            `${target.label} is already adopted: the ${plural(versions.length, 'migration')} soda applied ${versions.length === 1 ? 'is' : 'are'} recorded; nothing to do`,
          );
          return undefined;
        }
        const problems = await checkSchema(client, sodaFiles);
        if (problems.length > 0) {
          throw new UserError(
            `refusing to adopt ${target.label}: the schema lacks what the migrations soda applied create: ${list(problems)}; nothing was changed`,
          );
        }
        await ensureBookkeepingInTransaction(client);
        // Oldest first, in one statement each: run_on is the same for all, and the serial id keeps
        // their order (node-pg-migrate orders by run_on, then id).
        for (const file of toRecord) await recordApplied(client, file.name, options.migrations.checksum(file));
        await client.query('COMMIT');
        return toRecord;
      },
    );
    if (!adopted) return { adopted: [] };
    const state = await inspect(client, options.migrations);
    say(
      `adopted ${target.label}: recorded ${plural(adopted.length, 'migration')} soda applied as applied (not run; schema checked against what they create); now ${position(state)}, ${state.pending.length} pending${state.pending.length ? ': run migrate plan, then migrate up' : ''}`,
    );
    return { adopted: adopted.map((file) => file.name) };
  });
}
