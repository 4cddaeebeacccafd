/**
 * Only `migrate up` has --wait, so only its connection errors suggest it; every other command
 * that connects says the same thing without that advice (one wording, tool/db/errors.ts).
 */
import net from 'node:net';
import { runCli } from '../support/cli';
import { expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';

/** A port on which nothing listens: connections to it are refused. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

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
