/**
 * What a user's checkout holds of its own and no test may read or write: the variables files with
 * passwords, the password file a deploy writes, local Terraform state. The tests' caches live in a
 * directory of their own (USUALSTORE_CACHE_DIR, set by global-setup.ts), never the checkout's.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isLocalStateFile } from '../../config/state-backend';

/** Top-level names (in the project and in production/) that are the user's. */
export const USER_FILES = ['terraform.tfvars', 'production.tfvars', 'rds-ca-bundle.pem', '.secrets'];

export function isUserFile(name: string): boolean {
  return USER_FILES.includes(name) || isLocalStateFile(name);
}

/** Each user file under `root` (and root/production) with a hash of its content. */
export function userFilesSnapshot(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const add = (file: string) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) add(path.join(file, entry));
    else snapshot[path.relative(root, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  };
  for (const dir of [root, path.join(root, 'production')]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) if (isUserFile(name)) add(path.join(dir, name));
  }
  return snapshot;
}
