/**
 * The rehearsal's own cost (`npm run bench`): `migrate rehearse` of three pending migrations on a
 * table of 200,000 rows (ALTER COLUMN TYPE, ADD COLUMN, CREATE INDEX), against its floor, what
 * a rehearsal by hand costs: the same copy made with pg_dump | pg_restore into a new database,
 * `migrate up` there, the copy dropped. What the rehearsal adds is its workload's warm-up (1 s,
 * the baseline it compares with) and tail, the statements run and measured one by one, and the
 * report. Goal: at most +2 s over the floor. Starts its own throw-away PostgreSQL 15.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { head, ROOT, row, startBenchServer, time } from './measure';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const GOAL_ADDED_SECONDS = 2;

const writeMigration = (dir: string, name: string, up: string) =>
  fs.writeFileSync(path.join(dir, `${name}.ts`), `export function up(pgm: any) { pgm.sql(${JSON.stringify(up)}); }\n`);

async function main(): Promise<void> {
  const server = await startBenchServer();
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-rehearse-bench-'));
  try {
    await admin.query('CREATE DATABASE shop');
    const url = new URL(server.url);
    url.pathname = '/shop';
    const env = { ...process.env, DATABASE_URL: url.toString() };
    writeMigration(
      dir,
      '20240101000001_items',
      "CREATE TABLE items (id serial PRIMARY KEY, n int NOT NULL, label text); INSERT INTO items (n, label) SELECT g, 'item ' || g FROM generate_series(1, 200000) g",
    );
    time(process.execPath, [CLI, 'migrate', 'up', '--migrations-dir', dir], { env });
    writeMigration(dir, '20240101000002_widen_n', 'ALTER TABLE items ALTER COLUMN n TYPE bigint');
    writeMigration(dir, '20240101000003_add_note', 'ALTER TABLE items ADD COLUMN note text');
    writeMigration(dir, '20240101000004_index_label', 'CREATE INDEX items_label ON items (label)');

    const libpq = {
      ...process.env,
      PGHOST: url.hostname,
      PGPORT: url.port,
      PGUSER: decodeURIComponent(url.username),
      PGPASSWORD: decodeURIComponent(url.password),
    };
    const byHand = (): number => {
      const start = process.hrtime.bigint();
      const copy = 'shop_by_hand';
      spawnSync('psql', ['-X', '-q', '-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${copy}`, '-c', `CREATE DATABASE ${copy}`], {
        env: libpq,
      });
      const piped = spawnSync('sh', ['-c', `pg_dump -Fc -d shop | pg_restore --no-owner -d ${copy}`], { env: libpq, encoding: 'utf8' });
      if (piped.status !== 0) throw new Error(`pg_dump | pg_restore failed: ${piped.stderr}`);
      const copyUrl = new URL(url);
      copyUrl.pathname = `/${copy}`;
      const up = spawnSync(process.execPath, [CLI, 'migrate', 'up', '--migrations-dir', dir], {
        env: { ...env, DATABASE_URL: copyUrl.toString() },
        encoding: 'utf8',
      });
      if (up.status !== 0) throw new Error(`migrate up on the copy failed: ${up.stderr}`);
      spawnSync('psql', ['-X', '-q', '-d', 'postgres', '-c', `DROP DATABASE ${copy}`], { env: libpq });
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const rehearse = () => time(process.execPath, [CLI, 'migrate', 'rehearse', '--migrations-dir', dir], { env });
    // Untimed: warm caches on both sides.
    byHand();
    rehearse();
    const times = { hand: [] as number[], rehearse: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.hand.push(byHand());
      times.rehearse.push(rehearse());
    }
    console.log(
      [
        head(`a rehearsal of 3 migrations on 200,000 rows, ${RUNS} interleaved runs`),
        row('pg_dump | pg_restore, migrate up on the copy, drop (the floor)', times.hand),
        row('usualstore-db migrate rehearse', times.rehearse, times.hand, { addedSeconds: GOAL_ADDED_SECONDS }),
      ].join('\n'),
    );
  } finally {
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}

void main();
