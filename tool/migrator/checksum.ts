/**
 * A migration's checksum: sha256 of the file's bytes, recorded when it is applied, so that an
 * edit to an applied migration is noticed (node-pg-migrate, Supabase and Prisma let it pass).
 * Bytes, not the transpiled code: it is cheap (no loading on the no-op path) and any edit counts,
 * even one that changes only a comment.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export function checksumOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function fileChecksum(filePath: string): string {
  return checksumOf(fs.readFileSync(filePath));
}
