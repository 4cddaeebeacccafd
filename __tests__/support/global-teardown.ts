import fs from 'node:fs';
import { PROJECT_ROOT } from './cli';
import { userFilesSnapshot } from './user-files';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__usualstoreTestServer?.stop();
  if (globalThis.__usualstoreTestCache) fs.rmSync(globalThis.__usualstoreTestCache, { recursive: true, force: true });
  const before = globalThis.__usualstoreUserFiles ?? {};
  const after = userFilesSnapshot(PROJECT_ROOT);
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((file) => before[file] !== after[file]);
  if (changed.length > 0)
    throw new Error(`the tests changed the checkout's own files (terraform.tfvars, .secrets/, state): ${changed.sort().join(', ')}`);
}
