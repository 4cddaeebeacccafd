/**
 * What one schema holds, read from the catalogs, in a form that compares across schemas: its
 * tables, columns (type, NOT NULL, default), constraints and indexes. Definitions are read with
 * search_path = pg_catalog, so PostgreSQL writes every name schema-qualified; the schema's own
 * name is then written as "public." so that a scratch schema's shape compares with public's.
 * Constraint and index NAMES are left out on purpose: soda and node-pg-migrate may name the same
 * constraint differently, and what matters is that it is there.
 *
 * Constraint and index definitions are compared loosely (casts and parentheses aside): PostgreSQL
 * writes an expression back differently once it has been through pg_dump and pg_restore, e.g.
 * CHECK (role = ANY ((ARRAY['a'::varchar])::text[])) comes back as
 * CHECK (role = ANY (ARRAY[('a'::varchar)::text])); a restored database means the same thing.
 */
import { inSavepoint } from '../../db/session';
import { randomBytes } from 'node:crypto';
import { UserError } from '../../base/errors';
import { failureCause, runSteps } from '../run/apply';
import type { Queryable } from '../history/bookkeeping';
import type { MigrationFile } from '../directory';
import { buildSql, migrationsInOrder } from '../directory/load';
import { inTransactionForm } from '../directory/statements';

export interface SchemaShape {
  tables: Set<string>;
  /** "table.column" -> "type[ NOT NULL][ DEFAULT expr]" */
  columns: Map<string, string>;
  /** loose "table: definition" -> as PostgreSQL wrote it, e.g. "orders: FOREIGN KEY (widget_id) REFERENCES public.widgets(id)" */
  constraints: Map<string, string>;
  /** loose "table: [UNIQUE ]index USING method (columns)" -> as written */
  indexes: Map<string, string>;
  /** The same keys -> the index's name (left out of the comparison, said in a finding). */
  indexNames: Map<string, string>;
}

const COLUMNS_SQL = `SELECT c.relname AS table, a.attname AS column,
       format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
         || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS definition
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p')`;
const CONSTRAINTS_SQL = `SELECT c.relname AS table, pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = $1::regnamespace`;
const INDEXES_SQL = `SELECT c.relname AS table, x.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
 WHERE c.relnamespace = $1::regnamespace`;
const TABLES_SQL = `SELECT relname AS table FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'p')`;

/** "CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)" -> "UNIQUE index USING btree (email)" */
export function indexWithoutName(definition: string): string {
  return definition.replace(/^CREATE (UNIQUE )?INDEX (?:"(?:[^"]|"")*"|\S+) ON (?:ONLY )?(?:"(?:[^"]|"")*"|\S+) /, '$1index ');
}

/** A type cast as PostgreSQL writes one: ::text, ::character varying(255), ::text[], ::"Quoted". */
const CAST =
  /::(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_]*)(?: varying| precision| without time zone| with time zone)?(?:\(\d+(?:,\d+)?\))?(?:\[\])?/gi;

/** The definition without casts and parentheses: equal for the two spellings of one expression. */
export function looseDefinition(definition: string): string {
  return definition.replace(CAST, '').replace(/[()]/g, '').replace(/\s+/g, ' ').trim();
}

function byLooseKey(entries: string[]): Map<string, string> {
  return new Map(entries.map((entry) => [looseDefinition(entry), entry]));
}

export async function readShape(db: Queryable, schema: string): Promise<SchemaShape> {
  const { rows: previous } = await db.query<{ path: string }>(`SELECT current_setting('search_path') AS path`);
  await db.query(`SELECT set_config('search_path', 'pg_catalog', true)`);
  try {
    const own = (text: string) => text.split(`${schema}.`).join('public.');
    const [tables, columns, constraints, indexes] = [
      await db.query<{ table: string }>(TABLES_SQL, [schema]),
      await db.query<{ table: string; column: string; definition: string }>(COLUMNS_SQL, [schema]),
      await db.query<{ table: string; definition: string }>(CONSTRAINTS_SQL, [schema]),
      await db.query<{ table: string; name: string; definition: string }>(INDEXES_SQL, [schema]),
    ];
    const indexKey = (r: { table: string; definition: string }) => `${r.table}: ${indexWithoutName(own(r.definition))}`;
    return {
      tables: new Set(tables.rows.map((r) => r.table)),
      columns: new Map(columns.rows.map((r) => [`${r.table}.${r.column}`, own(r.definition)])),
      constraints: byLooseKey(constraints.rows.map((r) => `${r.table}: ${own(r.definition)}`)),
      indexes: byLooseKey(indexes.rows.map(indexKey)),
      indexNames: new Map(indexes.rows.map((r) => [looseDefinition(indexKey(r)), r.name])),
    };
  } finally {
    await db.query(`SELECT set_config('search_path', $1, true)`, [previous[0].path]);
  }
}

/** What `expected` has that `actual` lacks (or has differently), one phrase each. Extra objects in
 * `actual` are fine: a live database may hold more than the migrations made. */
export function missingFrom(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  for (const table of [...expected.tables].sort()) if (!actual.tables.has(table)) problems.push(`table ${table} is missing`);
  // A missing table is one problem, not one per column, constraint and index.
  const present = (key: string, separator: string) => actual.tables.has(key.slice(0, key.indexOf(separator)));
  for (const [column, definition] of [...expected.columns].sort()) {
    if (!present(column, '.')) continue;
    const found = actual.columns.get(column);
    if (found === undefined) problems.push(`column ${column} (${definition}) is missing`);
    else if (found !== definition) problems.push(`column ${column} is ${found}, the migrations make it ${definition}`);
  }
  for (const [key, constraint] of [...expected.constraints].sort())
    if (present(constraint, ': ') && !actual.constraints.has(key)) problems.push(`constraint missing on ${constraint}`);
  for (const [key, index] of [...expected.indexes].sort())
    if (present(index, ': ') && !actual.indexes.has(key))
      problems.push(
        `index missing on ${index}${expected.indexNames.has(key) ? ` (${expected.indexNames.get(key)} in the migrations)` : ''}`,
      );
  return problems;
}

/**
 * The shape the migrations build: run in order in a scratch schema inside a savepoint that is
 * rolled back, so nothing is left (not the schema, its rows, nor the search_path). Only the
 * scratch schema is on the search_path: unqualified names in the migrations resolve there,
 * never to public. Call inside a transaction; `failure` words the error of a migration that fails.
 */
export async function shapeBuiltBy(
  db: Queryable,
  files: MigrationFile[],
  failure: (name: string, cause: string) => string,
): Promise<SchemaShape> {
  const scratch = `usualstore_scratch_${randomBytes(4).toString('hex')}`;
  return inSavepoint(
    db,
    'scratch_shape',
    async () => {
      await db.query(`CREATE SCHEMA ${scratch}`);
      await db.query(`SET LOCAL search_path = ${scratch}`);
      for await (const { migration, shorthands } of migrationsInOrder(files)) {
        try {
          const { steps, transactional } = await buildSql(db, migration, 'up', shorthands);
          // A pgm.noTransaction() migration is built here inside the savepoint, in the form that can
          // run there (without CONCURRENTLY, which changes how an index is built, not what it is).
          await runSteps(db, transactional ? steps : steps.map(inTransactionForm).filter((step): step is string => step !== undefined));
        } catch (error) {
          throw new UserError(failure(migration.file.name, failureCause(error)));
        }
      }
      return readShape(db, scratch);
    },
    { undo: true },
  );
}

/** What `actual` has that `expected` does not (made by hand, say), one phrase each; tables in
 * `ignore` (bookkeeping) do not count. */
export function extraIn(actual: SchemaShape, expected: SchemaShape, ignore: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const counted = (table: string) => !ignore.has(table);
  for (const table of [...actual.tables].sort())
    if (counted(table) && !expected.tables.has(table)) problems.push(`table ${table} is not made by any migration`);
  const known = (key: string, separator: string) => {
    const table = key.slice(0, key.indexOf(separator));
    return counted(table) && expected.tables.has(table);
  };
  for (const [column, definition] of [...actual.columns].sort()) {
    if (known(column, '.') && !expected.columns.has(column)) problems.push(`column ${column} (${definition}) is not made by any migration`);
  }
  for (const [key, constraint] of [...actual.constraints].sort())
    if (known(constraint, ': ') && !expected.constraints.has(key))
      problems.push(`constraint on ${constraint} is not made by any migration`);
  for (const [key, index] of [...actual.indexes].sort())
    if (known(index, ': ') && !expected.indexes.has(key)) {
      const name = actual.indexNames.get(key);
      problems.push(`index ${name ? `${name} ` : ''}on ${index} is not made by any migration`);
    }
  return problems;
}
