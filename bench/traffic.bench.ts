/**
 * Application traffic during a migration (`npm run bench`): clients on loopback read and write the
 * table a migration ALTERs while an application transaction (a long report) holds a lock that
 * conflicts with the ALTER's ACCESS EXCLUSIVE. The migrator's bounds keep the application going:
 * the ALTER waits at most lock_timeout (the migration sets 1 s here, to keep the bench short),
 * then rolls back, lets the queued application queries through, and tries again after a jittered
 * pause (--lock-retries). Reported: the longest wait of any application query against the bound
 * (goal: lock_timeout + 100 ms at most), application errors (goal: 0), and whether and after how
 * many tries the migration was applied. Starts its own throw-away PostgreSQL 15.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startTestServer } from '../__tests__/support/test-server';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const LOCK_BOUND_MS = 1000;
/** How long the report transaction keeps its lock: longer than the bound, so the migration must retry. */
const REPORT_MS = 2500;
const ROUNDS = Number(process.env.BENCH_TRAFFIC_ROUNDS ?? 3);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const writeMigration = (dir: string, name: string, up: string) =>
  fs.writeFileSync(path.join(dir, `${name}.ts`), `export function up(pgm: any) { pgm.sql(${JSON.stringify(up)}); }\n`);

function migrateUp(url: string, dir: string): Promise<{ code: number; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'migrate', 'up', '--migrations-dir', dir], { env: { ...process.env, DATABASE_URL: url } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr, ms: performance.now() - started }));
  });
}

async function round(
  serverUrl: string,
  name: string,
): Promise<{ maxWait: number; p99: number; queries: number; errors: number; tries: number; applied: boolean; migrateMs: number }> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-traffic-'));
  writeMigration(
    dir,
    '20240101000001_orders',
    'CREATE TABLE app_orders (id int PRIMARY KEY, n int NOT NULL DEFAULT 0); INSERT INTO app_orders SELECT i, 0 FROM generate_series(1, 10000) i',
  );
  const first = await migrateUp(url.toString(), dir);
  if (first.code !== 0) throw new Error(`setting up failed: ${first.stderr}`);
  writeMigration(
    dir,
    '20240101000002_add_note',
    `SET LOCAL lock_timeout = '${LOCK_BOUND_MS}ms'; ALTER TABLE app_orders ADD COLUMN note text`,
  );

  const waits: number[] = [];
  let errors = 0;
  let running = true;
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new Client({ connectionString: url.toString(), application_name: 'shop' });
      await client.connect();
      return client;
    }),
  );
  const traffic = clients.map(async (client, c) => {
    for (let i = 0; running; i++) {
      const id = 1 + ((c * 7919 + i * 104729) % 10000);
      const started = performance.now();
      try {
        if (i % 2 === 0) await client.query('SELECT n FROM app_orders WHERE id = $1', [id]);
        else await client.query('UPDATE app_orders SET n = n + 1 WHERE id = $1', [id]);
      } catch {
        errors++;
      }
      waits.push(performance.now() - started);
      await sleep(2);
    }
  });
  // The report: a transaction that read the table and stays open longer than the bound.
  const report = new Client({ connectionString: url.toString(), application_name: 'report' });
  await report.connect();
  await report.query('BEGIN');
  await report.query('SELECT count(*) FROM app_orders');
  const reportDone = sleep(REPORT_MS).then(() => report.query('COMMIT'));
  await sleep(100);
  const migrated = await migrateUp(url.toString(), dir);
  await reportDone;
  await sleep(200);
  running = false;
  await Promise.all(traffic);
  await Promise.all([...clients, report].map((client) => client.end()));
  fs.rmSync(dir, { recursive: true, force: true });
  const sorted = [...waits].sort((a, b) => a - b);
  return {
    maxWait: sorted.at(-1) ?? 0,
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    queries: waits.length,
    errors,
    tries: 1 + (migrated.stderr.match(/trying again/g)?.length ?? 0),
    applied: migrated.code === 0,
    migrateMs: migrated.ms,
  };
}

async function main(): Promise<void> {
  const server = await startTestServer();
  try {
    console.log(
      `application traffic during a migration: ${CLIENTS} clients reading and writing the table, a report holding it ${REPORT_MS} ms, the ALTER's lock_timeout ${LOCK_BOUND_MS} ms (goal: no query waits longer than ${LOCK_BOUND_MS + 100} ms, 0 errors, the migration applied)`,
    );
    let worst = 0;
    let failed = false;
    for (let i = 0; i < ROUNDS; i++) {
      const r = await round(server.url, `traffic_${i}`);
      worst = Math.max(worst, r.maxWait);
      failed ||= r.errors > 0 || !r.applied;
      console.log(
        `  round ${i + 1}: ${r.queries} queries, longest wait ${Math.round(r.maxWait)} ms (p99 ${Math.round(r.p99)} ms), ${r.errors} errors; migration ${r.applied ? 'applied' : 'NOT applied'} after ${r.tries} ${r.tries === 1 ? 'try' : 'tries'} in ${Math.round(r.migrateMs)} ms`,
      );
    }
    const ratio = worst / (LOCK_BOUND_MS + 100);
    console.log(
      `longest application wait / (lock_timeout + 100 ms): ${ratio.toFixed(2)}x (goal <= 1.00x)${failed ? '; errors or a migration not applied: see above' : ''}`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
