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

  it('migrate plan into a reader that has stopped (as head does) ends quietly with 141, and the database is as it was', async () => {
    // The reader closes the pipe at once, long before the plan is written (the plan of the project's
    // migrations is ~30 kB, less than a pipe buffer, so with `head -1` whether a write still finds
    // the pipe open would be a race).
    const script = `"${process.execPath}" "${CLI}" migrate plan | { exec 0<&-; sleep 1; }; echo "status=\${PIPESTATUS[0]}"`;
    const result = await runProcess('bash', ['-c', script], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('status=141\n');
    const tables = await withClient(db.url, (c) => c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`));
    expect(tables.rows[0].n).toBe(0);
  });
});
