/**
 * The container's password file (config/deploy-password.ts): written by the deploy's checks
 * from the one password setting, owner-only, under the git-ignored .secrets/, and beside it the
 * generation, a random id that changes exactly when the password does. Terraform uploads the file
 * into a new container and keeps only its path and the generation (source_hash) in the state: a
 * changed password replaces the container (the data volume stays), and the state reveals nothing
 * (not even a digest anyone could test guesses against).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { PASSWORD_FILE, PASSWORD_GENERATION_FILE, SECRETS_DIR } from '../../config/deploy-password';

/** What the checks did: first written, left as it was, or replaced (a new password). */
export type PasswordFileChange = 'written' | 'unchanged' | 'changed';

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`cannot read ${path.basename(path.dirname(file))}/${path.basename(file)}: ${(error as Error).message}`);
  }
}

/** Whole or not at all: a temporary file, owner-only, renamed over `file`. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(temp, text, { mode: 0o600, flag: 'w' });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export function writePasswordFile(projectDir: string, password: string): PasswordFileChange {
  const dir = path.join(projectDir, SECRETS_DIR);
  const file = path.join(projectDir, PASSWORD_FILE);
  const generationFile = path.join(projectDir, PASSWORD_GENERATION_FILE);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    const current = readIfThere(file);
    const generation = readIfThere(generationFile)?.trim();
    if (current === password && generation) {
      for (const f of [file, generationFile]) if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
      return 'unchanged';
    }
    // The password first: a generation never names a file that is not there yet.
    writeAtomically(file, password);
    writeAtomically(generationFile, `${randomBytes(16).toString('hex')}\n`);
    return current === undefined ? 'written' : 'changed';
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot write the container's password file ${PASSWORD_FILE}: ${(error as Error).message}`);
  }
}
