/**
 * schema.sql, committed at the project root, is what the migrations build: a database migrated
 * from zero, dumped by `schema dump`, gives exactly its bytes (CI fails otherwise, saying how to
 * write it again). The dump is the same every time and holds no pg_dump or server version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from '../support/cli';
import { type TestDatabase } from '../support/database';
import { tempDir } from '../support/temp';
import { migratedDatabase } from './operations-fixtures';

describe('schema dump and the committed schema.sql', () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    db = await migratedDatabase('schema_dump');
    work = tempDir('schema-dump');
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('schema.sql is what the migrations build (else: ./usualstore-db schema dump against a database migrated from zero)', async () => {
    const file = path.join(work, 'schema.sql');
    const result = await runCli(['schema', 'dump', file], { env: { DATABASE_URL: db.url } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote the schema of postgres@\S+ to \S+schema\.sql \(\d+ kB\)\n$/);
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'schema.sql'), 'utf8');
    expect(fs.readFileSync(file, 'utf8')).toBe(committed);
  });

  it('is the same every time, to stdout too, and holds no version, owner, privilege or bookkeeping', async () => {
    const first = await runCli(['schema', 'dump', '-'], { env: { DATABASE_URL: db.url } });
    const second = await runCli(['schema', 'dump', '-'], { env: { DATABASE_URL: db.url } });
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).not.toMatch(/Dumped (from|by)|\\restrict|OWNER TO|GRANT |pgmigrations/);
    expect(first.stdout).toMatch(/^CREATE TABLE public\.users \($/m);
    expect(first.stdout).toMatch(/-- Built by \d+ migrations \(usualstore-db schema dump\):\n--   20240730180628_create_widgets_table\n/);
  });
});
