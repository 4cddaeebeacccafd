/**
 * Throw-away databases on the test server: every test file gets databases of its own, so files
 * can run in parallel and never see each other's schema.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: Jest global setup did not run');
  return url;
}

/** The server URL with another database name (and optionally other credentials). */
export function urlFor(database: string, credentials?: { user: string; password: string }): string {
  const url = new URL(serverUrl());
  url.pathname = `/${database}`;
  if (credentials) {
    url.username = encodeURIComponent(credentials.user);
    url.password = encodeURIComponent(credentials.password);
  }
  return url.toString();
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A throw-away database; with `template`, a copy of that database (CREATE DATABASE … TEMPLATE:
 * a file copy, far faster than building the same state again).
 */
export async function createTestDatabase(prefix = 'test', template?: string): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withClient(serverUrl(), (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return {
    name,
    url: urlFor(name),
    drop: () => withClient(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * The name of a template database in the state `build` makes, built once per test run however
 * many test files (in parallel workers) ask for it: `key` names the state (include whatever it
 * depends on). The builder's connections must be closed when it returns (a template cannot be
 * copied while in use).
 */
export async function templateDatabase(key: string, build: (url: string) => Promise<void>): Promise<string> {
  const name = `template_${key.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`.slice(0, 63);
  await withClient(serverUrl(), async (c) => {
    // One builder at a time across the workers; the others find it made.
    await c.query('SELECT pg_advisory_lock(4242)');
    try {
      const { rows } = await c.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists', [name]);
      if (rows[0].exists) return;
      const building = `${name.slice(0, 50)}_${randomBytes(3).toString('hex')}`;
      await c.query(`CREATE DATABASE "${building}"`);
      try {
        await build(urlFor(building));
        await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch (error) {
        await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        throw error;
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242)');
    }
  });
  return name;
}
