/**
 * Taking over a database built without usualstore-db. `migrate baseline --to VERSION`: one built
 * by hand or by another tool, whose schema must hold what the migrations up to VERSION build.
 * `migrate adopt`: one that soda migrated. Every migration whose version is in
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
import { UserError } from '../../base/errors';
import type { DatabaseTarget } from '../../db';
import { AUDIT_TABLE, CREATE_AUDIT_SQL, ensureBookkeepingInTransaction, readBookkeeping, recordApplied } from '../history/bookkeeping';
import { compareMigrations, isNamed, type MigrationFile, type MigrationsDirectory } from '../directory';
import { inspect } from '../history/state';
import { position } from '../history/report';
import { type Say, shortList, plural } from '../../base/text';
import { readSodaVersions } from '../history/soda';
import { missingFrom, readShape, shapeBuiltBy } from '../verify/schema-shape';
import { commit, inTransaction, withSession } from '../../db/session';
import { MIGRATION_LOCK } from '../run/migration-lock';

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
async function checkSchema(client: Client, files: MigrationFile[], verb: string): Promise<string[]> {
  const built = await shapeBuiltBy(
    client,
    files,
    (name, cause) => `refusing to ${verb}: cannot tell what ${name} creates (it fails in a scratch schema: ${cause}); nothing was changed`,
  );
  return missingFrom(built, await readShape(client, 'public'));
}

/** Records `files` as applied (not run), oldest first, in the caller's transaction. */
async function recordAsApplied(client: Client, files: MigrationFile[], migrations: MigrationsDirectory): Promise<void> {
  await ensureBookkeepingInTransaction(client);
  // One statement each: run_on is the same for all, and the serial id keeps their order
  // (node-pg-migrate orders by run_on, then id).
  for (const file of files) await recordApplied(client, file.name, migrations.checksum(file));
}

export interface BaselineOptions extends AdoptOptions {
  /** The newest migration the database already holds (its version or name). */
  to: string;
  /** Why, for the audit trail. */
  reason: string;
}

/**
 * `migrate baseline --to VERSION`: records the migrations up to VERSION as applied, without
 * running them, once the schema is shown to hold what they build (as adopt checks it); each is
 * kept in the audit trail. Only for a database with no migration history: one that has some is
 * migrated (up) or repaired (accept, forget), one that soda migrated is adopted.
 */
export async function baseline(options: BaselineOptions): Promise<{ recorded: string[] }> {
  const { target, say } = options;
  const files = options.migrations.files();
  const last = files.find((file) => isNamed(file.name, options.to));
  if (!last) throw new UserError(`--to ${options.to}: no such migration in ${options.migrations.path} (give its version or its name)`);
  const through = files.filter((file) => compareMigrations(file, last) <= 0);
  return withSession(target, {}, async (client) => {
    await inTransaction(
      client,
      target,
      { lockTimeoutMs: options.lockTimeoutMs, lock: { lock: MIGRATION_LOCK, warn: options.warn } },
      async () => {
        const books = await readBookkeeping(client);
        if (books.applied.length > 0) {
          throw new UserError(
            `refusing to baseline ${target.label}: it already records ${plural(books.applied.length, 'applied migration')} (newest ${books.applied.at(-1)!.name}); baseline is for a database with no migration history (migrate status shows it)`,
          );
        }
        if (books.soda)
          throw new UserError(
            `refusing to baseline ${target.label}: soda migrated it (public.schema_migration); run migrate adopt, which reads soda's history`,
          );
        const problems = await checkSchema(client, through, 'baseline');
        if (problems.length > 0) {
          throw new UserError(
            `refusing to baseline ${target.label} at ${last.name}: the schema lacks what the migrations up to it build: ${list(problems)}; nothing was changed`,
          );
        }
        await recordAsApplied(client, through, options.migrations);
        await client.query(CREATE_AUDIT_SQL);
        for (const file of through) {
          await client.query(`INSERT INTO ${AUDIT_TABLE} (action, name, new_sha256, reason) VALUES ('baseline', $1, $2, $3)`, [
            file.name,
            options.migrations.checksum(file),
            options.reason,
          ]);
        }
        await commit(client);
      },
    );
    const state = await inspect(client, options.migrations);
    say(
      `baselined ${target.label} at ${last.name}: recorded ${plural(through.length, 'migration')} as applied (not run; schema checked against what they build; kept in ${AUDIT_TABLE.replace(/"/g, '')}); now ${position(state)}, ${state.pending.length} pending${state.pending.length ? ': run migrate plan, then migrate up' : ''}`,
    );
    return { recorded: through.map((file) => file.name) };
  });
}

export async function adopt(options: AdoptOptions): Promise<{ adopted: string[] }> {
  const { target, say } = options;
  return withSession(target, {}, async (client) => {
    // One transaction holding the migration lock: a refusal changes nothing, and migrate up
    // cannot interleave.
    const adopted = await inTransaction(
      client,
      target,
      { lockTimeoutMs: options.lockTimeoutMs, lock: { lock: MIGRATION_LOCK, warn: options.warn } },
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
        const problems = await checkSchema(client, sodaFiles, 'adopt');
        if (problems.length > 0) {
          throw new UserError(
            `refusing to adopt ${target.label}: the schema lacks what the migrations soda applied create: ${list(problems)}; nothing was changed`,
          );
        }
        await recordAsApplied(client, toRecord, options.migrations);
        await commit(client);
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
