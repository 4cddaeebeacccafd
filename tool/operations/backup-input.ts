/**
 * What `restore` reads: FILE, or `-` (stdin: `aws s3 cp s3://… - | usualstore-db restore -`),
 * either possibly gzip-compressed (`backup - | gzip`, `pg_dump | gzip > backup.sql.gz`). Anything
 * that is not a plain file on disk is first written to an owner-only temporary file (stdin
 * spooled, gzip inflated), so that the format is known and the archive complete before the
 * database is touched, and pg_restore's single transaction reads a file it can seek. The
 * temporary directory is removed however the restore ends, a signal included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../base/errors';
import { interruptible } from '../base/interruption';
import { tempDir } from '../base/temp';
import { checkArchive, statBackup, type BackupFormat } from './archive';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export interface BackupInput {
  /** A complete, uncompressed backup on disk. */
  file: string;
  /** How the user named it: FILE, or "stdin". */
  label: string;
  format: BackupFormat;
  /** Bytes as given (compressed, when it was). */
  size: number;
  gzip: boolean;
}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(GZIP_MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(GZIP_MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/** `stdin` into `file`, owner-only; a terminal is refused (nobody types an archive). */
async function spoolStdin(file: string, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<void> {
  if (stdin.isTTY)
    throw new UserError(
      'restore - reads the backup from stdin, which is a terminal here; pipe it in (… | usualstore-db restore -) or give a FILE',
    );
  await pipeline(stdin, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
}

async function gunzip(from: string, to: string, label: string): Promise<void> {
  try {
    await pipeline(fs.createReadStream(from), createGunzip(), fs.createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    throw new UserError(`${label} is gzip-compressed but does not decompress (${(error as Error).message}); nothing was changed`);
  }
}

/** Runs `work` with the backup FILE (or `-`) as a complete, uncompressed, recognised file. */
export async function withBackupInput<T>(
  given: string,
  work: (input: BackupInput) => Promise<T>,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
): Promise<T> {
  const label = given === '-' ? 'stdin' : given;
  let workDir: string | undefined;
  const scratch = () => (workDir ??= tempDir('restore'));
  const remove = () => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  };
  return interruptible({ cleanup: remove }, async () => {
    try {
      let file = given;
      if (given === '-') {
        file = path.join(scratch(), 'stdin');
        await spoolStdin(file, stdin);
        if (fs.statSync(file).size === 0) throw new UserError('restore - read nothing from stdin; nothing was changed');
      } else statBackup(given);
      const size = fs.statSync(file).size;
      const gzip = isGzip(file);
      if (gzip) {
        const inflated = path.join(scratch(), 'inflated');
        await gunzip(file, inflated, label);
        file = inflated;
      }
      const { format } = checkArchive(file, label);
      return await work({ file, label, format, size, gzip });
    } finally {
      remove();
    }
  });
}
