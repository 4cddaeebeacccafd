/**
 * Recognising a pg_dump custom-format archive before anything is touched: it starts with the
 * five bytes "PGDMP" (pg_backup_archiver.c). A plain SQL dump, a tar archive or a stray file is
 * refused with a message, rather than handed to pg_restore after the database was checked.
 */
import fs from 'node:fs';
import { UserError } from '../base/errors';

const MAGIC = Buffer.from('PGDMP');

export function isCustomArchiveHeader(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** The archive's size in bytes; throws UserError when `file` is missing or not an archive. */
export function checkArchive(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`);
  }
  if (!stat.isFile()) throw new UserError(`${file} is not a file`);
  let head: Buffer;
  try {
    head = readHead(file);
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!isCustomArchiveHeader(head)) {
    throw new UserError(`${file} is not a pg_dump custom-format archive (it does not start with PGDMP; usualstore-db backup makes them); nothing was changed`);
  }
  return stat.size;
}
