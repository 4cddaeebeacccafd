/** The tests' one way to make a throw-away directory outside the project: $TMPDIR/usualstore-LABEL-XXXXXX. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `usualstore-${label}-`));
}

let emptyProject: string | undefined;
/** A project directory holding nothing (no terraform.tfvars, no .secrets/): for code that reads
 * the project's files, so that it never reads the checkout's own (user-files.ts). */
export function emptyProjectDir(): string {
  emptyProject ??= tempDir('empty-project');
  return emptyProject;
}
