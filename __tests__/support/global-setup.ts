/**
 * One PostgreSQL 15 for the whole test run (each test file creates its own databases on it, see
 * database.ts). TEST_DATABASE_URL points the tests at a server you already run instead. The
 * tests' caches go to a directory of their own (USUALSTORE_CACHE_DIR), and what the checkout
 * holds of the user's (user-files.ts) is recorded, for global-teardown.ts to check that no test
 * changed it.
 */
import { PROJECT_ROOT } from './cli';
import { tempDir } from './temp';
import { startTestServer, TestServer } from './test-server';
import { userFilesSnapshot } from './user-files';

declare global {
  // eslint-disable-next-line no-var
  var __usualstoreTestServer: TestServer | undefined;
  // eslint-disable-next-line no-var
  var __usualstoreUserFiles: Record<string, string> | undefined;
  // eslint-disable-next-line no-var
  var __usualstoreTestCache: string | undefined;
}

export default async function globalSetup(): Promise<void> {
  globalThis.__usualstoreUserFiles = userFilesSnapshot(PROJECT_ROOT);
  if (!process.env.USUALSTORE_CACHE_DIR) {
    globalThis.__usualstoreTestCache = tempDir('cache');
    process.env.USUALSTORE_CACHE_DIR = globalThis.__usualstoreTestCache;
  }
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startTestServer();
  globalThis.__usualstoreTestServer = server;
  process.env.TEST_DATABASE_URL = server.url;
}
