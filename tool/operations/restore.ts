/**
 * `restore FILE [--force]`: pg_restore of a custom-format archive, in ONE transaction, so that a
 * failure (a truncated file, a conflicting object) leaves the database as it was.
 *
 * Without --force it writes only into a database with no tables: restoring over existing data
 * would mix two states. --force adds --clean --if-exists: every object the archive holds is
 * dropped (with its data) and re-created from the archive; objects the archive does not hold are
 * left alone.
 *
 * FILE may be `-` (stdin) and either may be gzip-compressed (backup-input.ts). --create makes
 * the target database first (refusing one that exists) and drops it again if the restore fails.
 */
import fs from 'node:fs';
import { UserError } from '../base/errors';
import { type Say, formatDuration, formatBytes } from '../base/text';
import { withBackupInput, type BackupInput } from './backup-input';
import { interruptible } from '../base/interruption';
import { invocation, runTool, toolErrorLine } from './client-tools';
import { watchToolLockWaits } from './lock-bound';
import { waitedTooLong } from '../db/lock-wait';
import { routeToDatabase, type ClientRoute } from './route';
import { queryValue } from './route-query';
import { USER_TABLE_COUNT_SQL } from '../db/user-tables';

export interface RestoreOptions {
  route: ClientRoute;
  file: string;
  force: boolean;
  /** Create the route's database first (it must not exist). */
  create?: boolean;
  /** How long each of pg_restore's statements may wait for a lock (--force drops tables that
   * an application may be reading): see lock-bound.ts. */
  lockTimeoutMs: number;
  /** Resolves when the user agrees to replace what the question says; throws otherwise. */
  confirm?: (question: string) => Promise<void>;
  say: Say;
}

function databaseOf(route: ClientRoute): string {
  return route.kind === 'local' ? route.target.database : route.database;
}

/** A SQL literal / identifier for a database name (names come from the user's URL). */
const literal = (name: string) => `'${name.replace(/'/g, "''")}'`;
const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** --create: the route's database made on the same server (through its `postgres` database). */
async function createDatabase(route: ClientRoute): Promise<() => Promise<void>> {
  const name = databaseOf(route);
  const maintenance = routeToDatabase(route, 'postgres');
  if ((await queryValue(maintenance, `SELECT count(*) AS value FROM pg_database WHERE datname = ${literal(name)}`)) !== '0') {
    throw new UserError(
      `database ${name} already exists; restore --create makes a new one (without --create, restore writes into ${name} if it has no tables); nothing was changed`,
    );
  }
  await queryValue(maintenance, `CREATE DATABASE ${identifier(name)}`);
  return async () => {
    await queryValue(maintenance, `DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`);
  };
}

export async function restore(options: RestoreOptions): Promise<void> {
  // The file first: a bad file is refused before the database is even contacted.
  await withBackupInput(options.file, async (input) => {
    const dropCreated = options.create ? await createDatabase(options.route) : undefined;
    try {
      await restoreInto(input, options, dropCreated !== undefined);
    } catch (error) {
      if (!dropCreated) throw error;
      // As before: the database --create made goes again (it holds nothing: the restore rolled back).
      await dropCreated().catch(() => {});
      throw error instanceof UserError ? new UserError(`${error.message}; the database --create made was dropped again`) : error;
    }
  });
}

async function restoreInto(input: BackupInput, options: RestoreOptions, created: boolean): Promise<void> {
  const started = performance.now();
  const { route, force } = options;
  const { label, size, format } = input;
  const tables = Number(await queryValue(route, USER_TABLE_COUNT_SQL));
  if (tables > 0 && !force) {
    throw new UserError(
      `${route.label} already has ${tables} table${tables === 1 ? '' : 's'}; restore writes only into an empty database. --force replaces the archive's objects (pg_restore --clean --if-exists, one transaction); nothing was changed`,
    );
  }
  if (tables > 0) {
    await options.confirm?.(
      format === 'custom'
        ? `replace the objects of ${label} in ${route.label}, which has ${tables} tables: each table the archive holds is dropped with its data and restored from the archive`
        : `run the plain SQL dump ${label} in ${route.label}, which has ${tables} tables (what the dump drops, if made with --clean, goes with its data)`,
    );
  }
  // A plain dump is SQL: psql runs it, in one transaction, stopping at the first error.
  const tool = format === 'custom' ? 'pg_restore' : 'psql';
  const args =
    format === 'custom'
      ? [
          ...(force ? ['--clean', '--if-exists'] : []),
          '--single-transaction',
          '--exit-on-error',
          '--no-password',
          `--dbname=${databaseOf(route)}`,
        ]
      : ['-X', '-q', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '--no-password', '-f', '-'];
  const fd = fs.openSync(input.file, 'r');
  if (process.stderr.isTTY)
    process.stderr.write(
      `usualstore-db: restoring ${label} into ${route.label} with ${tool} (${route.why}); Ctrl-C stops it and restores nothing\n`,
    );
  // Interrupted: pg_restore stops with us, and its one transaction rolls back.
  const step = {
    describe: () =>
      `restore of ${label} into ${route.label} stopped; ${tool}'s single transaction is rolled back, nothing was restored${
        created ? ` (the database --create made stays, empty: drop it, or restore into it without --create)` : ''
      }`,
  };
  // Its own application name: how the lock bound finds its session.
  const applicationName = `usualstore-db restore ${process.pid}`;
  const bound = watchToolLockWaits(route, applicationName, { cancelAfterMs: options.lockTimeoutMs });
  let result;
  try {
    result = await interruptible(step, () =>
      // Read from stdin: the same command works inside the container, where the file is not.
      runTool(invocation(route, tool, args, { applicationName }), { stdin: fd }),
    );
  } finally {
    fs.closeSync(fd);
  }
  const cancelled = await bound.stop();
  if (result.code !== 0) {
    const why = cancelled ? waitedTooLong(cancelled, options.lockTimeoutMs) : toolErrorLine(tool, result.stderr);
    throw new UserError(`${tool} into ${route.label} failed and was rolled back (nothing was restored): ${why}`);
  }
  options.say(
    `restored ${label} (${formatBytes(size)}${input.gzip ? ' gzip' : ''}) into ${route.label}${created ? ' (created by --create)' : ''} in ${formatDuration(performance.now() - started)}${
      force && tables > 0 ? `, replacing the archive's objects (--force; it had ${tables} tables)` : ''
    } (${route.why})`,
  );
}
