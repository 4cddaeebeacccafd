/**
 * The application's traffic during a rehearsal, against the copy: statements with parameters
 * drawn from the copy's own rows, on N connections of their own (named, and never counted toward
 * the migration's locks), at a given total rate. Open loop: each request has its time in the
 * schedule, and its latency counts from that time, so a request that could not even start because
 * the one before it on its connection was still waiting (behind a migration's lock) counts that
 * wait too, as the application's users would feel it.
 *
 * The default workload reads and writes, by primary key, every table the pending migrations touch:
 * `SELECT * … WHERE pk = $1` and an `UPDATE … SET pk = pk WHERE pk = $1` (a write taking the row's
 * lock and ROW EXCLUSIVE, what an application's update takes). A workload file holds statements,
 * each optionally after a `-- params: SELECT …` line whose rows its parameters are drawn from.
 */
import fs from 'node:fs';
import type { Client } from 'pg';
import { UserError } from '../../base/errors';
import type { DatabaseTarget } from '../../db';
import { openSession, type OpenSession } from '../../db/session';
import { describeQueryError } from '../../db/errors';
import { splitStatements } from '../../migrator/directory/statements';

export const WORKLOAD_APPLICATION = 'usualstore-db rehearsal workload';

export interface WorkloadStatement {
  sql: string;
  /** Rows to draw each execution's parameters from (one row: $1, $2, … its columns in order). */
  params: unknown[][];
  /** For the report: "read users", "write users", or the file's statement. */
  label: string;
}

/** One request: when it was due, when its connection sent it (later, when the one before it was
 * still waiting), when it ended, whether it failed. Times in ms since the workload's start. */
export interface Sample {
  due: number;
  sent: number;
  end: number;
  statement: number;
  error?: string;
}

export interface WorkloadOptions {
  target: DatabaseTarget;
  statements: WorkloadStatement[];
  clients: number;
  /** Requests per second, all connections together. */
  rate: number;
}

export interface RunningWorkload {
  /** performance.now() at the workload's start: the zero of every sample's times. */
  startedAt: number;
  samples: Sample[];
  /** Stops scheduling, waits for the requests under way, closes the connections. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startWorkload(options: WorkloadOptions): Promise<RunningWorkload> {
  if (options.statements.length === 0) throw new UserError('the workload has no statement to run');
  const target = { ...options.target, connectionString: withApplicationName(options.target.connectionString) };
  const sessions: OpenSession[] = [];
  for (let i = 0; i < options.clients; i++) sessions.push(await openSession(target));
  const clients = sessions.map((session) => session.client);
  const samples: Sample[] = [];
  const startedAt = performance.now();
  let stopped = false;
  const interval = (1000 * options.clients) / options.rate;
  const loops = clients.map(async (client, index) => {
    // The connections' schedules interleave: client i is due at i/rate, then every clients/rate.
    for (let due = (index * 1000) / options.rate; !stopped; due += interval) {
      const wait = due - (performance.now() - startedAt);
      if (wait > 0) await sleep(wait);
      if (stopped) break;
      const statement = Math.floor(Math.random() * options.statements.length);
      const { sql, params } = options.statements[statement];
      const values = params.length > 0 ? params[Math.floor(Math.random() * params.length)] : [];
      const sent = performance.now() - startedAt;
      try {
        await client.query(sql, values);
        samples.push({ due, sent, end: performance.now() - startedAt, statement });
      } catch (error) {
        samples.push({ due, sent, end: performance.now() - startedAt, statement, error: describeQueryError(error, sql) });
      }
    }
  });
  return {
    startedAt,
    samples,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      await Promise.all(sessions.map((session) => session.close()));
    },
  };
}

function withApplicationName(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', WORKLOAD_APPLICATION);
  return url.toString();
}

/** Up to this many rows of parameters per statement, drawn at random from the copy. */
const PARAM_ROWS = 1000;

/** The default workload: reads and writes by primary key of each of `tables` that has one. */
export async function defaultWorkload(client: Client, tables: string[]): Promise<{ statements: WorkloadStatement[]; skipped: string[] }> {
  const statements: WorkloadStatement[] = [];
  const skipped: string[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ columns: string[] | null; estimate: number }>(
      `SELECT (SELECT array_agg(quote_ident(a.attname) ORDER BY array_position(i.indkey, a.attnum))
                 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = c.oid AND i.indisprimary) AS columns,
              greatest(c.reltuples, 0)::float8 AS estimate
         FROM pg_class c WHERE c.oid = $1::regclass`,
      [table],
    );
    const key = rows[0]?.columns;
    if (!key) {
      skipped.push(table);
      continue;
    }
    const keyList = key.join(', ');
    const where = key.map((column, i) => `${column} = $${i + 1}`).join(' AND ');
    // A sample bounded in cost: TABLESAMPLE reads about PARAM_ROWS rows' worth of a big table.
    const percent = Math.min(100, Math.max(0.0001, (100 * PARAM_ROWS * 4) / Math.max(1, rows[0].estimate)));
    const params = (
      await client.query({
        text: `SELECT ${keyList} FROM ${table} TABLESAMPLE BERNOULLI (${percent}) LIMIT ${PARAM_ROWS}`,
        rowMode: 'array',
      })
    ).rows as unknown[][];
    if (params.length === 0) {
      skipped.push(`${table} (no rows)`);
      continue;
    }
    statements.push({ sql: `SELECT * FROM ${table} WHERE ${where}`, params, label: `read ${table}` });
    statements.push({ sql: `UPDATE ${table} SET ${key[0]} = ${key[0]} WHERE ${where}`, params, label: `write ${table}` });
  }
  return { statements, skipped };
}

/** A workload file: statements, each optionally after `-- params: SELECT …`. */
export async function workloadFromFile(client: Client, file: string): Promise<WorkloadStatement[]> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the workload ${file}: ${(error as Error).message}`);
  }
  const statements: WorkloadStatement[] = [];
  for (const chunk of splitStatements(text)) {
    const params = /^\s*--\s*params:\s*(.+)$/im.exec(chunk)?.[1];
    const sql = chunk
      .split('\n')
      .filter((line) => !/^\s*--/.test(line))
      .join('\n')
      .trim();
    if (!sql) continue;
    let rows: unknown[][] = [];
    if (params) {
      try {
        rows = (await client.query({ text: params, rowMode: 'array' })).rows as unknown[][];
      } catch (error) {
        throw new UserError(`the workload's params query failed: ${describeQueryError(error, params)}`);
      }
      if (rows.length === 0) throw new UserError(`the workload's params query returned no row: ${params}`);
    }
    statements.push({ sql, params: rows, label: sql.replace(/\s+/g, ' ').slice(0, 60) });
  }
  if (statements.length === 0) throw new UserError(`the workload ${file} holds no statement`);
  return statements;
}
