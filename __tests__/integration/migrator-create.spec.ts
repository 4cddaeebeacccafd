/**
 * migrate create: a new .ts migration that sorts after every existing one, refused by plan and up
 * while it is still the template (an empty migration), and run once filled in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from '../support/cli';
import { createTestDatabase } from '../support/database';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, removeDir } from './migrator-fixtures';

describe('migrate create', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeMigrationsDir(BASIC);
  });
  afterEach(() => removeDir(dir));

  const created = (stdout: string) => /^created (.+)\n$/.exec(stdout)![1];

  it('writes <14-digit UTC version>_<name>.ts, after the existing ones, refused until filled in, then applied and reverted', async () => {
    const before = new Date()
      .toISOString()
      .replace(/\.\d+Z$/, '')
      .replace(/\D/g, '');
    const result = await runCli(['migrate', 'create', 'add_index_to_things', '--migrations-dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = path.resolve(PROJECT_ROOT, created(result.stdout)); // printed relative to the working directory
    expect(path.dirname(file)).toBe(dir);
    const [, version] = /^(\d{14})_add_index_to_things\.ts$/.exec(path.basename(file))!;
    expect(BigInt(version)).toBeGreaterThanOrEqual(BigInt(before));
    expect(fs.readFileSync(file, 'utf8')).toMatch(
      /export function up\(pgm: MigrationBuilder\)[\s\S]*export function down\(pgm: MigrationBuilder\)/,
    );

    const db = await createTestDatabase('migrator_create');
    try {
      const env = { env: { DATABASE_URL: db.url } };
      // Never filled in: refused by plan and up alike, in one line, before anything runs.
      const empty = `usualstore-db: refusing to migrate: ${version}_add_index_to_things is still the template migrate create wrote (an empty migration): write its up and down, or delete the file\n`;
      for (const command of ['up', 'plan']) {
        const refused = await runCli(['migrate', command, '--migrations-dir', dir], env);
        expect(refused).toMatchObject({ code: 1, stderr: empty });
      }
      const template = fs.readFileSync(file, 'utf8');
      const filled = template
        .replace(/pgm\.sql\(`\s*`\)/, "pgm.sql('CREATE TABLE gizmos (id int)')")
        .replace(/pgm\.sql\(`\s*`\)/, "pgm.sql('DROP TABLE gizmos')");
      expect(filled).not.toBe(template);
      fs.writeFileSync(file, filled);
      expect((await runCli(['migrate', 'up', '--migrations-dir', dir], env)).code).toBe(0);
      expect((await appliedNames(db.url)).at(-1)).toBe(`${version}_add_index_to_things`);
      expect((await runCli(['migrate', 'down', '--count', '1', '--yes', '--migrations-dir', dir], env)).code).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('sorts after an existing version from the future (the clock is behind): latest + 1 s', async () => {
    fs.writeFileSync(path.join(dir, '20991231235959_from_the_future.ts'), 'export function up() {}\n');
    const result = await runCli(['migrate', 'create', 'next_one', '--migrations-dir', dir]);
    expect(result.code).toBe(0);
    expect(path.basename(created(result.stdout))).toBe('21000101000000_next_one.ts');
  });

  it('creates the directory when it does not exist yet', async () => {
    const fresh = path.join(dir, 'new', 'migrations');
    const result = await runCli(['migrate', 'create', 'first', '--migrations-dir', fresh]);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(fresh)).toEqual([expect.stringMatching(/^\d{14}_first\.ts$/)]);
  });

  it('refuses a name that is not lower_snake_case, creating nothing', async () => {
    const result = await runCli(['migrate', 'create', 'AddIndex', '--migrations-dir', dir]);
    expect(result.code).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(/^usualstore-db: invalid migration name "AddIndex"/);
    expect(fs.readdirSync(dir)).toHaveLength(BASIC.length);
  });
});
