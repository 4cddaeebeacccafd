/** Splitting SQL into statements as psql does, for the statements that must run one by one. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { placeInMigration, statementAt } from '../../../tool/migrator/directory/place';
import { inTransactionForm, splitStatements } from '../../../tool/migrator/directory/statements';

describe('splitStatements', () => {
  it.each<[string, string, string[]]>([
    [
      'two statements',
      'ALTER TABLE t ADD COLUMN x int; CREATE INDEX CONCURRENTLY t_x ON t (x);',
      ['ALTER TABLE t ADD COLUMN x int', 'CREATE INDEX CONCURRENTLY t_x ON t (x)'],
    ],
    ['no semicolon at the end', 'SELECT 1', ['SELECT 1']],
    ['a ; in a string', "INSERT INTO t VALUES ('a;b'); SELECT 2", ["INSERT INTO t VALUES ('a;b')", 'SELECT 2']],
    ["a doubled '' in a string", "SELECT 'it''s; fine'; SELECT 3", ["SELECT 'it''s; fine'", 'SELECT 3']],
    ['an escape string', "SELECT E'a\\'; b'; SELECT 4", ["SELECT E'a\\'; b'", 'SELECT 4']],
    ['a quoted identifier', 'CREATE TABLE "a;b" (x int); SELECT 5', ['CREATE TABLE "a;b" (x int)', 'SELECT 5']],
    [
      'a dollar-quoted body',
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 6',
      ['CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', 'SELECT 6'],
    ],
    [
      'a tagged dollar quote holding $$',
      'DO $body$ BEGIN PERFORM $$x;$$; END $body$; SELECT 7',
      ['DO $body$ BEGIN PERFORM $$x;$$; END $body$', 'SELECT 7'],
    ],
    ['a parameter is not a quote', 'PREPARE p AS SELECT $1; EXECUTE p(1)', ['PREPARE p AS SELECT $1', 'EXECUTE p(1)']],
    ['line comments', '-- first; still a comment\nSELECT 8; -- trailing; comment\n', ['-- first; still a comment\nSELECT 8']],
    ['nested block comments', 'SELECT /* a /* b; */ c; */ 9; SELECT 10', ['SELECT /* a /* b; */ c; */ 9', 'SELECT 10']],
    ['empty and comment-only statements', ';; -- nothing\n ; /* nor; this */ ;SELECT 11', ['SELECT 11']],
    [
      'a BEGIN ATOMIC body with CASE',
      'CREATE FUNCTION g(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT 2; END; SELECT 12',
      [
        'CREATE FUNCTION g(i int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END; SELECT 2; END',
        'SELECT 12',
      ],
    ],
    ['a word ending in e before a quote is not an escape string', "SELECT 'x' AS name; SELECT 13", ["SELECT 'x' AS name", 'SELECT 13']],
  ])('%s', (_what, sql, expected) => {
    expect(splitStatements(sql)).toEqual(expected);
  });
});

describe('inTransactionForm', () => {
  it.each<[string, string | undefined]>([
    ['CREATE INDEX CONCURRENTLY t_x ON t (x);', 'CREATE INDEX t_x ON t (x);'],
    ['create unique index concurrently if not exists t_x on t (x)', 'create unique index if not exists t_x on t (x)'],
    ['DROP INDEX CONCURRENTLY IF EXISTS t_x', 'DROP INDEX IF EXISTS t_x'],
    ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', 'ALTER TABLE p DETACH PARTITION p1'],
    ['REINDEX INDEX CONCURRENTLY t_x', undefined],
    ['VACUUM ANALYZE t', undefined],
    ['ALTER TABLE t ADD COLUMN x int', 'ALTER TABLE t ADD COLUMN x int'],
  ])('%s', (statement, expected) => {
    expect(inTransactionForm(statement)).toBe(expected);
  });
});

describe('where an error position is in a migration', () => {
  const step = "-- Up Migration\nCREATE TABLE a (id int);\n\nSELECT ';' AS x,\n  FROM a;\nDROP TABLE b";
  it('finds the statement an offset falls in, and the offset within it', () => {
    const at = step.indexOf('FROM a');
    expect(statementAt(step, at)).toEqual({ text: "SELECT ';' AS x,\n  FROM a", offset: at - step.indexOf("SELECT ';'") });
    expect(statementAt(step, 0)).toEqual({ text: '-- Up Migration\nCREATE TABLE a (id int)', offset: 0 });
    expect(statementAt('SELECT 1', undefined)).toEqual({ text: 'SELECT 1', offset: 0 });
    // Without an offset, several statements: which one cannot be told.
    expect(statementAt(step, undefined)).toBeUndefined();
  });

  it('names the line of an SQL migration file, and only the file of a TypeScript one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'place-'));
    try {
      const file = path.join(dir, '20240101000001_x.sql');
      // The same statement in the down section: the up section's is the one meant.
      fs.writeFileSync(file, `-- Down Migration\nSELECT ';' AS x,\n  FROM a;\n${step}\n`);
      const migration = { name: '20240101000001_x', path: file, version: 20240101000001n };
      expect(placeInMigration(migration, 'up', step, step.indexOf('FROM a'))).toBe("20240101000001_x.sql line 8: SELECT ';' AS x, FROM a");
      expect(placeInMigration(migration, 'down', "SELECT ';' AS x,\n  FROM a", 0)).toBe(
        "20240101000001_x.sql line 2: SELECT ';' AS x, FROM a",
      );
      const ts = { ...migration, path: path.join(dir, '20240101000001_x.ts') };
      expect(placeInMigration(ts, 'up', 'SELECT 1; SELEC 2', 12)).toBe('20240101000001_x.ts: SELEC 2');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
