/**
 * Each stack's dependency lock file (the provider versions and package hashes `terraform init`
 * verifies), kept where a reviewer sees it and git keeps it: locks/<stack>.terraform.lock.hcl in
 * the app's directory. Terraform reads and writes the lock file only in its working directory
 * (the stack's, under the git-ignored cdktf.out), so the app's synth puts the kept one there before
 * any command's init, and takes back a newer one an init wrote (the next synth, or npm run deploy
 * right after its init): the first init on any machine verifies what it downloads against the
 * reviewed hashes instead of trusting whatever it got first, and a change of them shows in git.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCKS_DIR = 'locks';
/** What Terraform calls it in its working directory. */
export const TERRAFORM_LOCK_FILE = '.terraform.lock.hcl';

export function keptLockFile(appDir: string, stack: string): string {
  return path.join(appDir, LOCKS_DIR, `${stack}.terraform.lock.hcl`);
}

function read(file: string): { text: string; mtimeMs: number } | undefined {
  try {
    return { text: fs.readFileSync(file, 'utf8'), mtimeMs: fs.statSync(file).mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export type LockSync = 'none' | 'same' | 'into-stack' | 'kept';

/**
 * The stack's lock file and the kept one made the same: the newer wins (an init that added hashes
 * or moved a version is newer than the kept file; a checkout that changed the kept file is newer
 * than the stack's). Returns which way it copied.
 */
export function syncLockFile(appDir: string, stack: string, stackDir: string): LockSync {
  const kept = keptLockFile(appDir, stack);
  const inStack = path.join(stackDir, TERRAFORM_LOCK_FILE);
  const a = read(kept);
  const b = read(inStack);
  if (!a && !b) return 'none';
  if (a && b && a.text === b.text) return 'same';
  if (a && (!b || a.mtimeMs >= b.mtimeMs)) {
    fs.writeFileSync(inStack, a.text);
    return 'into-stack';
  }
  fs.mkdirSync(path.dirname(kept), { recursive: true });
  fs.writeFileSync(kept, b!.text);
  return 'kept';
}
