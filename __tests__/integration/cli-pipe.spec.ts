/**
 * usualstore-db piped into a reader that stops early, as a user does with `| head`: no stack
 * trace, the status a shell tool stopped by SIGPIPE has, and nothing left behind.
 */
import { CLI, PROJECT_ROOT } from '../support/cli';
import { createTestDatabase, TestDatabase, withClient } from '../support/database';
import { runProcess } from '../support/process';

describe('output piped into head', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_pipe');
  });
  afterAll(() => db.drop());

  it('migrate plan | head -1 ends quietly with 141, and the database is as it was', async () => {
    // The plan of every project migration is far more than a pipe buffer, so the writes hit the closed pipe.
    const script = `"${process.execPath}" "${CLI}" migrate plan | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
    const result = await runProcess('bash', ['-c', script], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('status=141\n');
    const tables = await withClient(db.url, (c) => c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`));
    expect(tables.rows[0].n).toBe(0);
  });
});
