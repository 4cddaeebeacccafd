/**
 * One PostgreSQL 15 for the whole test run (each test file creates its own databases on it, see
 * database.ts). TEST_DATABASE_URL points the tests at a server you already run instead.
 */
import { startTestServer, TestServer } from './test-server';

declare global {
  // eslint-disable-next-line no-var
  var __usualstoreTestServer: TestServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const server = await startTestServer();
  globalThis.__usualstoreTestServer = server;
  process.env.TEST_DATABASE_URL = server.url;
}
