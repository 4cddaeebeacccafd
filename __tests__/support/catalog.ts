/**
 * What a database's public schema holds, read from the PostgreSQL catalogs, in plain comparable
 * values. Used to check the migrations against SPEC.md and to compare the schema at one moment
 * with another (up -> down -> up). Lists are sorted in JavaScript (not by the server's
 * collation), so that two reads of equal schemas are deep-equal whatever order the objects were
 * created in. Migration bookkeeping (pgmigrations and any pgmigrations_*) is left out: it is not
 * part of the schema under test.
 */
import { Client } from 'pg';

/** Bookkeeping relations (tables and their sequences, indexes), kept out of every read. */
const NOT_BOOKKEEPING = `NOT (c.relname = 'pgmigrations' OR c.relname LIKE 'pgmigrations\\_%')`;
const PUBLIC_RELATION = `c.relnamespace = 'public'::regnamespace AND ${NOT_BOOKKEEPING}`;

/**
 * One column as a line that reads like DDL: "name type [NOT NULL] [DEFAULT expr]". Columns are
 * numbered by their visible order, not attnum: a column dropped and added again leaves a hole in
 * attnum although the table is the same.
 */
export async function columns(client: Client): Promise<Record<string, string[]>> {
  const { rows } = await client.query<{ table: string; line: string }>(`
    SELECT c.relname AS table,
           a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
             || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relkind = 'r' AND ${PUBLIC_RELATION}
     ORDER BY c.relname, a.attnum`);
  const byTable: Record<string, string[]> = {};
  for (const row of rows) (byTable[row.table] ??= []).push(row.line);
  return byTable;
}

/** Every constraint as "table name: definition" (PRIMARY KEY, FOREIGN KEY with actions, UNIQUE, CHECK). */
export async function constraints(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(`
    SELECT c.relname || ' ' || k.conname || ': ' || pg_get_constraintdef(k.oid) AS line
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
     WHERE ${PUBLIC_RELATION}
`);
  return rows.map((r) => r.line).sort();
}

/** Every index as its CREATE INDEX statement: name, uniqueness, table, method, columns and order. */
export async function indexes(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(`
    SELECT pg_get_indexdef(i.indexrelid) AS line
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
     WHERE ${PUBLIC_RELATION}
`);
  return rows.map((r) => r.line).sort();
}

/** Table comments keyed "table", column comments keyed "table.column". */
export async function comments(client: Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ key: string; comment: string }>(`
    SELECT c.relname || COALESCE('.' || a.attname, '') AS key, ds.description AS comment
      FROM pg_description ds
      JOIN pg_class c ON ds.classoid = 'pg_class'::regclass AND ds.objoid = c.oid
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ds.objsubid AND ds.objsubid > 0
     WHERE ${PUBLIC_RELATION}
`);
  return Object.fromEntries(rows.map((r) => [r.key, r.comment]));
}

/** Every relation of the public schema (bookkeeping included) as "kind name", e.g. "r widgets". */
export async function allRelations(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(`
    SELECT c.relkind::text || ' ' || c.relname AS line
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace
`);
  return rows.map((r) => r.line).sort();
}

/**
 * Objects that are not relations but a migration could leave behind: sequences' settings and
 * owners, functions, types (enums, domains), triggers, extensions.
 */
async function otherObjects(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(`
    SELECT 'sequence ' || c.relname || ' ' || format_type(s.seqtypid, NULL) || ' start ' || s.seqstart
             || ' increment ' || s.seqincrement || ' owned by '
             || COALESCE((SELECT t.relname || '.' || a.attname
                            FROM pg_depend dp
                            JOIN pg_class t ON t.oid = dp.refobjid
                            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = dp.refobjsubid
                           WHERE dp.classid = 'pg_class'::regclass AND dp.objid = c.oid
                             AND dp.deptype IN ('a', 'i')), 'nothing') AS line
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
     WHERE ${PUBLIC_RELATION}
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'type ' || t.typname || ' ' || t.typtype::text
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
    UNION ALL
    SELECT 'trigger ' || tg.tgname || ' on ' || c.relname
      FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
     WHERE NOT tg.tgisinternal AND ${PUBLIC_RELATION}
    UNION ALL
    SELECT 'extension ' || e.extname FROM pg_extension e WHERE e.extname <> 'plpgsql'`);
  return rows.map((r) => r.line).sort();
}

export interface SchemaSnapshot {
  relations: string[];
  columns: Record<string, string[]>;
  constraints: string[];
  indexes: string[];
  comments: Record<string, string>;
  other: string[];
}

/** The whole public schema (bookkeeping aside), for comparing one moment with another. */
export async function schemaSnapshot(client: Client): Promise<SchemaSnapshot> {
  const relations = (await allRelations(client)).filter((line) => !/^\w pgmigrations(_|$)/.test(line));
  return {
    relations,
    columns: await columns(client),
    constraints: await constraints(client),
    indexes: await indexes(client),
    comments: await comments(client),
    other: await otherObjects(client),
  };
}

/**
 * Every row of every table (bookkeeping aside), each table's rows as JSON text, sorted, so that a
 * down can be checked to have removed exactly what its up added, and nothing else. With
 * `ignoreClock`, columns of timestamp types are left out: rows written again by a later up differ
 * from the first ones only in those.
 */
export async function dataSnapshot(client: Client, options: { ignoreClock?: boolean } = {}): Promise<Record<string, string[]>> {
  const { rows: tables } = await client.query<{ name: string; clock: string[] }>(`
    SELECT c.relname AS name,
           COALESCE(array_agg(a.attname::text) FILTER (
             WHERE a.atttypid IN ('timestamp'::regtype, 'timestamptz'::regtype)), '{}') AS clock
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind = 'r' AND ${PUBLIC_RELATION}
     GROUP BY c.relname`);
  const data: Record<string, string[]> = {};
  for (const { name, clock } of tables) {
    const { rows } = await client.query<{ row: string }>(`SELECT (to_jsonb(t) - $1::text[])::text AS row FROM "${name}" t`, [
      options.ignoreClock ? clock : [],
    ]);
    data[name] = rows.map((r) => r.row).sort();
  }
  return data;
}
