/**
 * `backup FILE`: pg_dump's custom format (compressed, restorable selectively, and checked by
 * restore), written so that FILE is either a complete archive or untouched: the dump goes to a
 * temporary file beside it, flushed to disk, and is renamed over FILE only on success.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../cli/errors';
import { formatDuration, type Say } from '../migrator/report';
import { checkArchive } from './archive';
import { invocation, runTool, toolErrorLine } from './client-tools';
import { formatBytes } from './format';
import { checkReachable } from './reach';
import type { ClientRoute } from './route';

export interface BackupOptions {
  route: ClientRoute;
  file: string;
  /** Replace an existing FILE (atomically: the old one stays until the new one is complete). */
  force: boolean;
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

export async function backup(options: BackupOptions): Promise<void> {
  const started = performance.now();
  const { route } = options;
  const file = path.resolve(options.file);
  checkDestination(file, options.force);
  // The driver's one-line message for an unreachable server, before any file is created.
  if (route.kind === 'local') await checkReachable(route.target);

  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(3).toString('hex')}.partial`);
  // Owner-only: a dump holds every password hash and customer record.
  const fd = fs.openSync(temp, 'wx', 0o600);
  let complete = false;
  const removeTemp = () => {
    if (!complete) fs.rmSync(temp, { force: true });
  };
  // Interrupted (Ctrl-C, a CI timeout): no partial file may stay behind.
  const onSignal = (signal: NodeJS.Signals) => {
    removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // --no-password: fail at once rather than wait for a password prompt nobody answers.
    const result = await runTool(invocation(route, 'pg_dump', ['--format=custom', '--no-password']), { stdout: fd });
    if (result.code !== 0) throw new UserError(`pg_dump of ${route.label} failed: ${toolErrorLine('pg_dump', result.stderr)}; nothing was written`);
    fs.fsyncSync(fd);
    checkArchive(temp);
    fs.renameSync(temp, file);
    complete = true;
    syncDirectory(path.dirname(file));
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    fs.closeSync(fd);
    removeTemp();
  }
  const size = fs.statSync(file).size;
  options.say(`backed up ${route.label} to ${file}: ${formatBytes(size)} in ${formatDuration(performance.now() - started)} (pg_dump custom format, ${route.why})`);
}
