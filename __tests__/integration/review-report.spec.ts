/**
 * `usualstore-db review` on a fixture change, in a checkout of its own with its own git history
 * (main, then a branch that adds a migration, edits a configured number and adds a bad index):
 * the report names the resource that changes, shows the new migrations' SQL, the lint finding,
 * and the drift of a database when one is given; it is the same on every run and holds no path
 * of this machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { type TestDatabase } from '../support/database';
import { query, writeMigration } from './migrator-fixtures';
import { migratedDatabase } from './operations-fixtures';

describe('usualstore-db review', () => {
  let dir: string;
  const git = async (...args: string[]) => {
    const result = await run('git', args, {
      cwd: dir,
      env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
    if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  const review = (env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, ['bin/usualstore-db.js', 'review'], { cwd: dir, env: { DATABASE_URL: '', ...env }, timeoutMs: 120000 });

  beforeAll(async () => {
    dir = makeCheckout('review');
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-qm', 'main');
    await git('checkout', '-qb', 'change');
    writeMigration(path.join(dir, 'migrations'), {
      name: '29990101000001_add_nickname',
      up: 'ALTER TABLE users ADD COLUMN nickname varchar(50)',
      down: 'ALTER TABLE users DROP COLUMN nickname',
    });
    writeMigration(path.join(dir, 'migrations'), {
      name: '29990101000002_index_nickname',
      up: 'CREATE INDEX users_nickname ON users (nickname)',
      down: 'DROP INDEX users_nickname',
    });
    const config = path.join(dir, 'config', 'database.ts');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('maxConnections: 200', 'maxConnections: 300'));
    await git('add', '-A');
    await git('commit', '-qm', 'change');
  }, 60000);
  afterAll(() => removeCheckout(dir));

  it('says what the change will do, deterministically, with no path of this machine', async () => {
    const first = await review();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = first.stdout;
    expect(report).toMatch(/^Compared with `main` \(merge base `[0-9a-f]{12}`\)\.$/m);
    expect(report).toContain(
      '- `usualstore-database`: `docker_container.database` **replaced** (`command`): the provider replaces a container for `command`',
    );
    // The hook is replaced by a new migration (so it runs), never "changed".
    expect(report).toContain(
      '- `usualstore-database`: `terraform_data.migrations` **replaced** (`triggers_replace`): its triggers_replace changes',
    );
    // The change as HCL, resource by resource.
    expect(report).toMatch(
      /```diff\n# usualstore-database: docker_container\.database \(replaced\)\n resource "docker_container" "database" \{\n[^`]*\n-    "max_connections=200",?\n\+    "max_connections=300",?\n/,
    );
    expect(report).toMatch(/\n\+    "29990101000001_add_nickname\.ts" += "[0-9a-f]{64}"\n/);
    expect(report).toContain('2 migrations will run on the next deploy, in this order:');
    expect(report).toContain('### 29990101000001_add_nickname\n\n```sql\nALTER TABLE users ADD COLUMN nickname varchar(50);\n```');
    expect(report).toMatch(
      /^- `29990101000002_index_nickname`: \*\*require-concurrent-index-creation\*\*: .*\(in `CREATE INDEX users_nickname ON users \(nickname\);`\)$/m,
    );
    expect(report).not.toContain('## Drift');
    for (const machinePath of [dir, os.tmpdir(), os.homedir(), process.cwd()]) expect(report).not.toContain(machinePath);
    expect((await review()).stdout).toBe(report);
    // The worktree and the synth it compared are gone.
    expect(fs.existsSync(path.join(dir, '.review'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.review-synth'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.review-hcl'))).toBe(false);
  }, 120000);

  it("adds a database's drift when one is given", async () => {
    const db: TestDatabase = await migratedDatabase('review_report');
    try {
      await query(db.url, 'ALTER TABLE users ADD COLUMN hotfix int');
      const result = await review({ DATABASE_URL: db.url });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('## Drift\n\n- drift: column users.hotfix (integer) is not made by any migration\n');
      // What the pending migrations lock there, measured by migrate plan, and the same on every run.
      expect(result.stdout).toContain(
        '```sql\n-- 1/2 29990101000001_add_nickname\nALTER TABLE users ADD COLUMN nickname varchar(50);\n--   locks: ACCESS EXCLUSIVE on users (blocks reads and writes); no rewrite\n',
      );
      expect(result.stdout).toContain(
        'CREATE INDEX users_nickname ON users (nickname);\n--   locks: SHARE on users (blocks writes); no rewrite\n--   squawk: require-concurrent-index-creation (warning)\n```\n',
      );
      expect((await review({ DATABASE_URL: db.url })).stdout).toBe(result.stdout);
      expect(result.stdout).not.toContain(new URL(db.url).password);
    } finally {
      await db.drop();
    }
  }, 120000);

  it('is written all the same when the drift of the database given cannot be judged, saying why', async () => {
    const db: TestDatabase = await migratedDatabase('review_not_judged');
    try {
      await query(db.url, "INSERT INTO pgmigrations (name, run_on) VALUES ('20990101000000_from_another_branch', now())");
      const result = await review({ DATABASE_URL: db.url });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^# usualstore-db review$/m);
      expect(result.stdout).toContain(
        '## Drift\n\n- not judged: cannot judge drift: applied migrations 20990101000000_from_another_branch have no file',
      );
    } finally {
      await db.drop();
    }
  }, 120000);

  it('writes its checks as a JUnit report with --junit', async () => {
    const file = path.join(dir, '.test-junit.xml');
    const result = await run(process.execPath, ['bin/usualstore-db.js', 'review', '--junit', file], {
      cwd: dir,
      env: { DATABASE_URL: '' },
      timeoutMs: 120000,
    });
    expect(result.code).toBe(0);
    const xml = fs.readFileSync(path.join(dir, '.test-junit.xml'), 'utf8');
    fs.rmSync(file);
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="usualstore-db review" tests="3" failures="1" skipped="0">/,
    );
    expect(xml).toContain('<testcase classname="history" name="migrate up on a database at main"/>');
    expect(xml).toContain('<testcase classname="lint" name="29990101000001_add_nickname"/>');
    expect(xml).toMatch(
      /<testcase classname="lint" name="29990101000002_index_nickname">\n +<failure message="require-concurrent-index-creation \(warning\)">/,
    );
  }, 120000);
});
