/**
 * Only `migrate up` has --wait, so only its connection errors suggest it; every other command
 * that connects says the same thing without that advice (one wording, tool/db/errors.ts).
 */
import { runCli } from '../support/cli';
import { closedPort } from '../support/ports';
import { expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';

describe('the --wait advice in connection errors', () => {
  let dir: string;
  let url: string;
  let refused: string;
  beforeAll(async () => {
    dir = makeMigrationsDir([]);
    const port = await closedPort();
    url = `postgres://postgres:pw@127.0.0.1:${port}/usualstore`;
    refused = `usualstore-db: nothing is listening on 127.0.0.1:${port} (connection refused)`;
  });
  afterAll(() => removeDir(dir));

  const run = (args: string[]) => runCli(args, { env: { DATABASE_URL: url } });

  it('--wait says what it waits for, on stderr, while it waits', async () => {
    const result = await run(['migrate', 'up', '--wait', '2', '--migrations-dir', dir]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^usualstore-db: waiting for postgres@127\.0\.0\.1:\d+\/usualstore to accept connections \(1(\.\d)? s of up to 2 s\): nothing is listening on 127\.0\.0\.1:\d+ \(connection refused\)$/,
    );
    expect(lines.at(-1)).toMatch(
      /^usualstore-db: PostgreSQL at 127\.0\.0\.1:\d+ was not ready within 2 s; last error: nothing is listening/,
    );
  });

  it('migrate up, which has --wait, suggests it', async () => {
    const result = await run(['migrate', 'up', '--migrations-dir', dir]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(`${refused}; is PostgreSQL running? (--wait SECONDS waits for it)`);
  });

  it.each([
    ['migrate', 'down', '--all'],
    ['migrate', 'status'],
    ['migrate', 'plan'],
    ['migrate', 'adopt'],
  ])('%s %s, which has no --wait, does not', async (...args) => {
    const result = await run([...args, '--migrations-dir', dir]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toBe(refused);
  });
});
