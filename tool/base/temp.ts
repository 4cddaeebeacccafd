/** Owner-only temporary directories (a dump in transit holds every customer record). Base layer. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `usualstore-${label}-`));
  fs.chmodSync(dir, 0o700);
  return dir;
}
