/**
 * Checksums: an applied migration edited since shows in status, blocks up (and down) unless
 * --allow-edited; an applied migration whose file is gone shows as missing.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cliFor } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { appliedNames, BASIC, expectOneLine, makeMigrationsDir, query, removeDir, tableNames, writeMigration } from './migrator-fixtures';

describe('checksums of applied migrations', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = cliFor(() => ({ url: db.url, migrationsDir: dir }), ['migrate']);
  const edit = (name: string) => fs.appendFileSync(path.join(dir, `${name}.ts`), '// a harmless-looking edit\n');

  beforeEach(async () => {
    db = await createTestDatabase('migrator_sum');
    dir = makeMigrationsDir(BASIC);
    expect((await cli('up')).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('records the sha256 of each file as applied', async () => {
    const rows = await query<{ name: string; sha256: string }>(db.url, 'select name, sha256 from pgmigrations_checksums order by name');
    expect(rows).toEqual(
      BASIC.map((m) => ({
        name: m.name,
        sha256: createHash('sha256')
          .update(fs.readFileSync(path.join(dir, `${m.name}.ts`)))
          .digest('hex'),
      })),
    );
  });

  it('status shows an edited migration', async () => {
    edit(BASIC[1].name);
    const json = JSON.parse((await cli('status', '--json')).stdout);
    expect(json.edited).toEqual([BASIC[1].name]);
    expect(json.applied).toEqual(BASIC.map((m) => m.name));
    const text = await cli('status');
    expect(text.stdout).toContain(`applied  ${BASIC[1].name}`);
    expect(text.stdout).toMatch(new RegExp(`${BASIC[1].name}  .*EDITED since applied`));
    expect(text.stdout).toMatch(/3 applied, 0 pending, 1 edited\n$/);
  });

  it('up refuses while one is edited, naming it, and applies nothing; --allow-edited passes', async () => {
    edit(BASIC[0].name);
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });
    const refused = await cli('up');
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(
      /^usualstore-db: refusing to migrate: applied migration 20240101000001_create_things changed since applied \(checksum differs\); .*migrate accept \(--allow-edited passes this run only\)$/,
    );
    expect(refused.stdout).toBe('');
    expect(await appliedNames(db.url)).toHaveLength(3);

    // Even with nothing pending, an edited history is reported rather than called up to date.
    fs.rmSync(path.join(dir, '20240101000004_add_size.ts'));
    expect((await cli('up')).code).toBe(1);
    writeMigration(dir, {
      name: '20240101000004_add_size',
      up: 'ALTER TABLE things ADD COLUMN size integer',
      down: 'ALTER TABLE things DROP COLUMN size',
    });

    const allowed = await cli('up', '--allow-edited');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^applied 20240101000004_add_size /);
    expect(allowed.stderr).toMatch(/warning: .*edited.*20240101000001_create_things/);
    expect(await appliedNames(db.url)).toHaveLength(4);
  });

  it('down refuses to revert an edited migration unless --allow-edited', async () => {
    edit(BASIC[2].name);
    const refused = await cli('down', '--count', '1', '--yes');
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(/20240101000003_seed_things changed since applied/);
    expect(await appliedNames(db.url)).toHaveLength(3);
    expect((await cli('down', '--count', '1', '--yes', '--allow-edited')).code).toBe(0);
    expect(await appliedNames(db.url)).toHaveLength(2);
  });

  it('status shows an applied migration whose file is missing', async () => {
    fs.rmSync(path.join(dir, `${BASIC[2].name}.ts`));
    const json = JSON.parse((await cli('status', '--json')).stdout);
    expect(json.missing).toEqual([BASIC[2].name]);
    expect((await cli('status')).stdout).toMatch(/20240101000003_seed_things .*MISSING: no file/);
  });

  it('treats migrations applied by node-pg-migrate itself (no checksum) as unrecorded, not edited', async () => {
    await query(db.url, 'delete from pgmigrations_checksums where name = $1', [BASIC[0].name]);
    edit(BASIC[0].name);
    const json = JSON.parse((await cli('status', '--json')).stdout);
    expect(json).toMatchObject({ edited: [], unrecorded: [BASIC[0].name] });
    expect((await cli('up')).stdout).toMatch(/nothing to migrate/);
    expect(await tableNames(db.url)).toContain('things');
  });
});
