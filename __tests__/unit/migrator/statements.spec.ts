/** Splitting SQL into statements as psql does, for the statements that must run one by one. */
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
