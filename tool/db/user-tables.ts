/**
 * "The database's tables", as every command means it (status, restore, copy, the migrator's
 * history, the rehearsal): ordinary and partitioned tables in every schema but PostgreSQL's own
 * (pg_catalog, information_schema, pg_toast, pg_temp_*). Over pg_class c and pg_namespace n.
 */
export const USER_TABLES = `c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`;
export const FROM = 'FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace';

export const USER_TABLE_COUNT_SQL = `SELECT count(*) AS value ${FROM} WHERE ${USER_TABLES}`;

/** Name (schema-qualified outside public) and total size with indexes and TOAST, largest first. */
export const TABLE_SIZES_SQL = `SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
       pg_total_relation_size(c.oid)::text AS total_bytes
  ${FROM} WHERE ${USER_TABLES}
 ORDER BY pg_total_relation_size(c.oid) DESC, 1`;
