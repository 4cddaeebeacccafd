/**
 * usualstore-db shell against a real PostgreSQL 15, non-interactively: SQL piped on stdin, as a
 * script would. The URL's password reaches psql through PGPASSWORD (the test server demands it).
 */
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectOneLine } from './migrator-fixtures';

describe('shell', () => {
  let db: TestDatabase;
  const shell = (input: string, ...args: string[]) =>
    runCli(['shell', ...args], { env: { DATABASE_URL: db.url, PGPASSWORD: undefined }, input });

  beforeAll(async () => {
    db = await createTestDatabase('ops_shell');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs piped SQL in the database named by the URL', async () => {
    const result = await shell(
      "CREATE TABLE notes (body text);\nINSERT INTO notes VALUES ('hello');\nSELECT current_database() AS db, body FROM notes;\n",
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE');
    expect(result.stdout).toMatch(new RegExp(`^ ${db.name} \\| hello$`, 'm'));
  });

  it('passes arguments after -- to psql, and exits with its status', async () => {
    const answer = await shell('', '--', '-A', '-t', '-c', 'SELECT 40 + 2');
    expect(answer.stdout).toBe('42\n');
    expect(answer.code).toBe(0);
    const failed = await shell('SELECT 1/0;\n', '--', '-v', 'ON_ERROR_STOP=1');
    expect(failed.code).toBe(3); // psql: a script error with ON_ERROR_STOP
    expect(failed.stderr).toMatch(/division by zero/);
  });

  it('an unreachable server is one line, before psql starts', async () => {
    const result = await runCli(['shell'], { env: { DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/usualstore' } });
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe('usualstore-db: nothing is listening on 127.0.0.1:1 (connection refused)');
  });
});
