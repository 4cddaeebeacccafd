/**
 * Recognising a backup before anything is touched: a pg_dump custom-format archive starts with
 * the five bytes "PGDMP" (pg_backup_archiver.c); a plain SQL dump (the seed's `pg_dump >
 * backup.sql`) begins with pg_dump's "-- PostgreSQL database dump" comment. A tar archive or a
 * stray file is refused with a message, rather than handed to a tool after the database was checked.
 */
import fs from 'node:fs';
import { UserError } from '../base/errors';

const MAGIC = Buffer.from('PGDMP');

export function isCustomArchiveHeader(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

export type BackupFormat = 'custom' | 'plain';

/** pg_dump writes its header comment within the first lines of a plain dump. */
export function isPlainDumpHeader(head: Buffer): boolean {
  return /^--[^\n]*\n(--[^\n]*\n)*-- PostgreSQL database dump/.test(head.toString('utf8'));
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** The backup's size and format; throws UserError when `file` is missing or not a backup. */
/** `file`'s stat, or one line: missing, unreadable, not a file. */
export function statBackup(file: string, label = file): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${label} does not exist` : `cannot read ${label}: ${(error as Error).message}`);
  }
  if (!stat.isFile()) throw new UserError(`${label} is not a file`);
  return stat;
}

export function checkArchive(file: string, label = file): { size: number; format: BackupFormat } {
  const stat = statBackup(file, label);
  let head: Buffer;
  try {
    head = readHead(file);
  } catch (error) {
    throw new UserError(`cannot read ${label}: ${(error as Error).message}`);
  }
  if (isCustomArchiveHeader(head)) return { size: stat.size, format: 'custom' };
  if (isPlainDumpHeader(head)) return { size: stat.size, format: 'plain' };
  throw new UserError(
    `${label} is neither a pg_dump custom-format archive (usualstore-db backup makes them) nor a plain SQL dump (pg_dump > file.sql); nothing was changed`,
  );
}
