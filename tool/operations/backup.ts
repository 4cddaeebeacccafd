/**
 * `backup FILE`: pg_dump's custom format (compressed, restorable selectively, and checked by
 * restore), written so that FILE is either a complete archive or untouched: the dump goes to a
 * temporary file beside it, flushed to disk, and is renamed over FILE only on success.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { type Say, formatDuration, formatBytes } from '../base/text';
import { checkArchive } from './archive';
import { interruptible } from '../base/interruption';
import { invocation, lockHint, runTool, toolErrorLine } from './client-tools';
import { checkReachable } from '../db/connect';
import { watchToolLockWaits } from './lock-bound';
import type { ClientRoute } from './route';
import { verifyArchive, withExportedSnapshot } from './verify';
import type { DatabaseTarget } from '../db';

export interface BackupOptions {
  route: ClientRoute;
  /** The database the route reaches (the snapshot and the checksums of --verify read it). */
  target: DatabaseTarget;
  /** Only this table (pg_dump --table): the seed's `pg_dump -t users`. */
  table?: string;
  /** Restore the archive into a scratch database and compare every table with the source before
   * FILE is written (verify.ts). */
  verify?: boolean;
  file: string;
  /** Replace an existing FILE (atomically: the old one stays until the new one is complete). */
  force: boolean;
  /** How long pg_dump may wait for each table's lock (a migration holding one, say). */
  lockTimeoutMs: number;
  say: Say;
}

function checkDestination(file: string, force: boolean): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`directory ${dir} does not exist`);
  if (!fs.existsSync(file)) return;
  if (!fs.statSync(file).isFile()) throw new UserError(`${file} exists and is not a file`);
  if (!force) throw new UserError(`${file} already exists; pass --force to replace it (or choose another name)`);
}

/** Best effort: makes the rename itself durable (a crash right after could otherwise lose it). */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can open a directory; the data itself is already flushed.
  }
}

const partialName = (file: string, pid: number | string, suffix: string) => `.${path.basename(file)}.${pid}.${suffix}.partial`;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Partial files that an earlier backup of FILE left when it was killed (SIGKILL runs no
 * clean-up; its pg_dump died with it): removed once their process is gone. */
function removeAbandonedPartials(file: string): void {
  const prefix = partialName(file, '', '').replace(/\.\.partial$/, '');
  for (const entry of fs.readdirSync(path.dirname(file))) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.partial')) continue;
    const match = /^(\d+)\.[0-9a-f]{6}$/.exec(entry.slice(prefix.length, -'.partial'.length));
    if (match && !isRunning(Number(match[1]))) fs.rmSync(path.join(path.dirname(file), entry), { force: true });
  }
}

/** pg_dump's custom format into `fd` (or onto stdout, counted); a failure is one line. */
async function dump(options: BackupOptions, to: number | 'stdout', snapshot?: string): Promise<number> {
  // --no-password: fail at once rather than wait for a password prompt nobody answers.
  const args = [
    '--format=custom',
    '--no-password',
    `--lock-wait-timeout=${Math.max(1, Math.round(options.lockTimeoutMs))}`,
    ...(options.table ? [`--table=${options.table}`] : []),
    ...(snapshot ? [`--snapshot=${snapshot}`] : []),
  ];
  // Its own application name: how the watch finds its session, to name who held a lock it waited for.
  const applicationName = `usualstore-db backup ${process.pid}`;
  const watch = watchToolLockWaits(options.route, applicationName, {});
  let result;
  let holders;
  try {
    result = await runTool(
      invocation(options.route, 'pg_dump', args, { applicationName }),
      to === 'stdout' ? { pipeStdoutTo: process.stdout } : { stdout: to },
    );
  } finally {
    holders = await watch.stop();
  }
  if (result.code !== 0) {
    throw new UserError(
      `pg_dump of ${options.route.label} failed: ${toolErrorLine('pg_dump', result.stderr)}${lockHint(result.stderr, options.lockTimeoutMs, holders)}; nothing was written`,
    );
  }
  return result.stdoutBytes ?? 0;
}

/** `backup -`: the archive on stdout (to pipe into ssh, gzip, aws s3 cp -), never to a terminal. */
async function backupToStdout(options: BackupOptions, started: number): Promise<void> {
  if (process.stdout.isTTY)
    throw new UserError(
      'backup - writes the archive to stdout, which is a terminal here; redirect it (backup - > usualstore.dump) or pipe it',
    );
  if (options.verify)
    throw new UserError('backup --verify needs a FILE: the archive is checked before it is written, and stdout cannot be taken back');
  if (options.route.kind === 'local') await checkReachable(options.route.target);
  const bytes = await interruptible(
    { describe: () => `backup of ${options.route.label} to stdout stopped; what was written is incomplete` },
    () => dump(options, 'stdout'),
  );
  options.say(
    `backed up ${options.route.label}${options.table ? ` (table ${options.table})` : ''} to stdout: ${formatBytes(bytes)} in ${formatDuration(performance.now() - started)} (pg_dump custom format, ${options.route.why})`,
  );
}

export async function backup(options: BackupOptions): Promise<void> {
  const started = performance.now();
  const { route } = options;
  if (options.file === '-') return backupToStdout(options, started);
  const file = path.resolve(options.file);
  checkDestination(file, options.force);
  // The driver's one-line message for an unreachable server, before any file is created.
  if (route.kind === 'local') await checkReachable(route.target);

  removeAbandonedPartials(file);
  // Progress for a person waiting (a large database takes minutes); scripts see only the result.
  if (process.stderr.isTTY)
    process.stderr.write(`usualstore-db: backing up ${route.label} to ${file} (${route.why}); Ctrl-C stops it and writes nothing\n`);
  const temp = path.join(path.dirname(file), partialName(file, process.pid, randomBytes(3).toString('hex')));
  // Owner-only: a dump holds every password hash and customer record.
  const fd = fs.openSync(temp, 'wx', 0o600);
  let complete = false;
  const removeTemp = () => {
    if (!complete) fs.rmSync(temp, { force: true });
  };
  // Interrupted (Ctrl-C, kill, a CI timeout): pg_dump stops with us and no partial file stays.
  const step = { describe: () => `backup of ${route.label} stopped; nothing was written to ${file}`, cleanup: removeTemp };
  let verified = '';
  await interruptible(step, async () => {
    try {
      if (options.verify) {
        // Dumped from a snapshot this command holds, so the source's checksums are the archive's.
        const { sums } = await withExportedSnapshot(options.target, (snapshot) => dump(options, fd, snapshot));
        fs.fsyncSync(fd);
        checkArchive(temp);
        try {
          verified = await verifyArchive({ route, target: options.target, archive: temp, sums, partial: options.table !== undefined });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          throw new UserError(`backup of ${route.label} failed verification, so ${file} was not written: ${error.message}`);
        }
      } else {
        await dump(options, fd);
        fs.fsyncSync(fd);
        checkArchive(temp);
      }
      fs.renameSync(temp, file);
      complete = true;
      syncDirectory(path.dirname(file));
    } finally {
      fs.closeSync(fd);
      removeTemp();
    }
  });
  const size = fs.statSync(file).size;
  options.say(
    `backed up ${route.label}${options.table ? ` (table ${options.table})` : ''} to ${file}: ${formatBytes(size)} in ${formatDuration(performance.now() - started)} (pg_dump custom format, ${route.why})${verified ? `; ${verified}` : ''}`,
  );
}
