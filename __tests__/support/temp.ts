/** The tests' one way to make a throw-away directory outside the project: $TMPDIR/usualstore-LABEL-XXXXXX. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `usualstore-${label}-`));
}
