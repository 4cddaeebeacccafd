/**
 * A long history (500+ migrations) takes the no-op path's shortcuts: checksums from the cache and
 * one digest compared with the server's. They must change nothing of what `migrate up` decides:
 * up to date when it is, an edited file still refused, a pending one still applied.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectOneLine, makeMigrationsDir, query, removeDir, writeMigration } from './migrator-fixtures';

const COUNT = 600;
const name = (i: number) => `2030${String(i).padStart(10, '0')}_step_${i}`;

describe('a long history', () => {
  let db: TestDatabase;
  let dir: string;
  const up = () => runCli(['migrate', 'up', '--migrations-dir', dir], { env: { DATABASE_URL: db.url } });

  beforeAll(async () => {
    db = await createTestDatabase('long_history');
    dir = makeMigrationsDir(Array.from({ length: COUNT }, (_, i) => ({ name: name(i), up: `SELECT ${i}` })));
    // Applied once by migrate up (600 trivial migrations: a few seconds).
    expect((await up()).code).toBe(0);
  }, 120000);
  afterAll(async () => {
    await db.drop();
    removeDir(dir);
  });

  it('is up to date, saying where it is', async () => {
    const result = await up();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      `${db.url.replace(/^postgres:\/\/([^:]+):[^@]*@/, '$1@')} is up to date, at ${name(COUNT - 1)} (${COUNT} migrations applied); nothing to migrate\n`,
    );
  });

  it('still refuses an edited file, even one whose size and mtime are unchanged', async () => {
    const file = path.join(dir, `${name(7)}.ts`);
    const original = fs.readFileSync(file, 'utf8');
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, original.replace('SELECT 7', 'SELECT 8'));
    fs.utimesSync(file, atime, mtime);
    try {
      const result = await up();
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(new RegExp(`refusing to migrate: applied migration ${name(7)} changed since applied`));
    } finally {
      fs.writeFileSync(file, original);
    }
    expect((await up()).code).toBe(0);
  });

  it('notices a stray file and a deleted migration, though the remembered digest of the directory is unchanged', async () => {
    expect((await up()).code).toBe(0); // the directory's digest is remembered under its stamp
    const stray = path.join(dir, 'notes.txt');
    fs.writeFileSync(stray, 'not a migration');
    try {
      const result = await up();
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(/notes\.txt is not a migration/);
    } finally {
      fs.rmSync(stray);
    }
    const last = path.join(dir, `${name(COUNT - 1)}.ts`);
    const kept = fs.readFileSync(last);
    fs.rmSync(last);
    try {
      const result = await up();
      expect(result.code).toBe(0);
      expect(expectOneLine(result.stderr)).toMatch(
        new RegExp(`^usualstore-db: warning: applied migrations with no file in .*: ${name(COUNT - 1)} `),
      );
    } finally {
      fs.writeFileSync(last, kept);
    }
    expect(await up()).toMatchObject({ code: 0, stderr: '' });
  });

  it('applies a new migration, and notices a recorded checksum changed on the server', async () => {
    writeMigration(dir, { name: name(COUNT), up: 'CREATE TABLE after_long (id int)' });
    const result = await up();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^applied ${name(COUNT)} `, 'm'));
    await query(db.url, `UPDATE pgmigrations_checksums SET sha256 = $1 WHERE name = $2`, [
      createHash('sha256').update('other').digest('hex'),
      name(3),
    ]);
    const edited = await up();
    expect(edited.code).toBe(1);
    expect(expectOneLine(edited.stderr)).toMatch(new RegExp(`applied migration ${name(3)} changed since applied`));
  });
});
