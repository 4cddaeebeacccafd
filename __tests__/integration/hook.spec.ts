/**
 * The migration hook (issue 4) deployed by the real Terraform binary against the test
 * PostgreSQL: a stack holding just the hook construct, its migrations a copy of the project's
 * (so the test can add and break some). The steps build on each other, in order, like the
 * deploys of one project over time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { MIGRATIONS_DIR } from '../support/cli';
import { readTree, removeCheckout, RunResult } from '../support/checkout';
import { serverUrl, urlFor, withClient } from '../support/database';
import { MIGRATION_HOOK_ID } from '../../stacks/constructs/migration-hook';
import { HOOK_ADDRESS, hookTargetOf, makeHookWorkDir, synthHookStack, writeHookPassword } from '../support/hook-stack';
import { terraform } from '../support/terraform';
import { appliedNames, writeMigration } from './migrator-fixtures';

// A password that would break a URL, a shell command line or an HCL template if it went
// anywhere but the environment, and that is unique enough to search for in every file.
const PASSWORD = `h00k 'p@ss' "w/d" $HOME \${var.x} %{y} \\z ${randomBytes(6).toString('hex')}`;
const ROLE = `hook_${randomBytes(4).toString('hex')}`;

const REAL_MIGRATIONS = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const ADDED = { name: '29990101000001_hook_added', up: 'CREATE TABLE hook_added (id int PRIMARY KEY)', down: 'DROP TABLE hook_added' };
const SECOND = { name: '29990101000002_hook_second', up: 'CREATE TABLE hook_second (id int PRIMARY KEY)', down: 'DROP TABLE hook_second' };
const BROKEN = { name: '29990101000003_hook_broken', up: 'INSERT INTO hook_no_such_table VALUES (1)', down: 'SELECT 1' };
const FIXED = { ...BROKEN, up: 'CREATE TABLE hook_no_such_table (id int)' };

/** The hook's lines in Terraform's output: "terraform_data.migrations (local-exec): <line>". */
function hookLines(result: RunResult): string[] {
  const prefix = `${HOOK_ADDRESS} (local-exec): `;
  return (result.stdout + result.stderr)
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

const appliedBy = (result: RunResult) => hookLines(result).flatMap((l) => /^applied (\S+) \(/.exec(l)?.[1] ?? []);

describe('the migration hook, deployed by Terraform', () => {
  let work: string;
  let migrationsDir: string;
  let stackDir: string;
  let url: string; // as the role, with its password: for the test's own checks only
  let passwordFile: string;
  const outputs: RunResult[] = [];

  const synth = (target = hookTargetOf(url), waitSeconds?: number) => {
    stackDir = synthHookStack({ workDir: work, migrationsDir, target, waitSeconds, passwordFile });
  };
  const tf = async (...args: string[]) => {
    const result = await terraform(stackDir, args);
    outputs.push(result);
    return result;
  };
  const apply = () => tf('apply', '-auto-approve');

  beforeAll(async () => {
    work = makeHookWorkDir('hook');
    migrationsDir = path.join(work, 'migrations');
    passwordFile = path.join(work, 'postgres-password');
    writeHookPassword(passwordFile, PASSWORD);
    fs.cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    // A role of its own, owning its database, so the password under test is the only way in
    // (the test server requires passwords over TCP).
    await withClient(serverUrl(), async (c) => {
      await c.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD ${c.escapeLiteral(PASSWORD)}`);
      await c.query(`CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
    });
    url = urlFor(ROLE, { user: ROLE, password: PASSWORD });
    synth();
    const init = await tf('init');
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
  });

  afterAll(async () => {
    await withClient(serverUrl(), async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${ROLE} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${ROLE}`);
    });
    if (work) removeCheckout(work);
  });

  it('apply migrates the database, showing each migration and a summary in the output', async () => {
    const result = await apply();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect(appliedBy(result)).toEqual(REAL_MIGRATIONS);
    expect(hookLines(result).join('\n')).toMatch(
      new RegExp(
        `^migrated ${ROLE}@127\\.0\\.0\\.1:\\d+/${ROLE}: ${REAL_MIGRATIONS.length} migrations applied in .*; now at ${REAL_MIGRATIONS.at(-1)}`,
        'm',
      ),
    );
    expect(await appliedNames(url)).toEqual(REAL_MIGRATIONS);
  });

  it('plans no change while the migrations are unchanged (re-synthesized)', async () => {
    synth();
    const plan = await tf('plan', '-detailed-exitcode');
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it("an added migration shows as the hook's replacement in the plan, and apply runs just that one", async () => {
    writeMigration(migrationsDir, ADDED);
    synth();
    const plan = await tf('plan', '-detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`${HOOK_ADDRESS} must be replaced`);
    // The plan names the migration a reviewer is about to run (the rest are hidden as unchanged).
    expect(plan.stdout).toMatch(new RegExp(`^ +\\+ "${ADDED.name}\\.ts" += "[0-9a-f]{64}"$`, 'm'));
    // The project's migrations and superseded-checksums.json.
    expect(plan.stdout).toContain(`# (${REAL_MIGRATIONS.length + 1} unchanged attributes hidden)`);
    expect(plan.stdout).toContain('1 to add, 0 to change, 1 to destroy');

    const result = await apply();
    expect(result.code).toBe(0);
    expect(appliedBy(result)).toEqual([ADDED.name]);
    expect(await appliedNames(url)).toEqual([...REAL_MIGRATIONS, ADDED.name]);
  });

  it("a broken migration fails the apply with its name and PostgreSQL's error, leaving the database at the last good one", async () => {
    writeMigration(migrationsDir, SECOND);
    writeMigration(migrationsDir, BROKEN);
    synth();
    const result = await apply();
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(appliedBy(result)).toEqual([SECOND.name]);
    expect(output).toContain(BROKEN.name);
    expect(output).toContain('relation "hook_no_such_table" does not exist');
    expect(await appliedNames(url)).toEqual([...REAL_MIGRATIONS, ADDED.name, SECOND.name]);
  });

  it('fixing the migration and applying again finishes the job', async () => {
    writeMigration(migrationsDir, FIXED);
    synth();
    // An edited file shows as its own change, old and new checksum.
    const edited = await tf('plan', '-detailed-exitcode');
    expect(edited.stdout).toMatch(new RegExp(`^ +~ "${BROKEN.name}\\.ts" += "[0-9a-f]{64}" -> "[0-9a-f]{64}"$`, 'm'));
    const result = await apply();
    expect(result.code).toBe(0);
    expect(appliedBy(result)).toEqual([BROKEN.name]);
    expect(await appliedNames(url)).toEqual([...REAL_MIGRATIONS, ADDED.name, SECOND.name, BROKEN.name]);
    const plan = await tf('plan', '-detailed-exitcode');
    expect(plan.code).toBe(0);
  });

  it("the role's password is what let the hook in (a wrong one fails the apply, naming the server)", async () => {
    // -replace runs the hook again with the same migrations; its failure leaves it tainted.
    writeHookPassword(passwordFile, 'not-the-password');
    const wrong = await terraform(stackDir, ['apply', '-auto-approve', `-replace=${HOOK_ADDRESS}`]);
    writeHookPassword(passwordFile, PASSWORD);
    expect(wrong.code).not.toBe(0);
    expect((wrong.stdout + wrong.stderr).replace(/\s+/g, ' ')).toMatch(
      /password authentication failed for user "\w+" at [\d.]+:\d+ with the password USUALSTORE_PASSWORD_COMMAND printed/,
    );
    const right = await apply();
    expect(right.code).toBe(0);
    expect(hookLines(right).join('\n')).toMatch(/is up to date, .*; nothing to migrate/);
    await withClient(url, (c: Client) => c.query('select 1'));
  });

  it('does not hang on a server that never comes: the apply fails after --wait, naming host and port', async () => {
    // Port 1: nothing listens there. The wait is bounded by --wait, not by a healthcheck.
    synth({ ...hookTargetOf(url), port: 1 }, 1);
    const result = await tf('apply', '-auto-approve', `-replace=${HOOK_ADDRESS}`);
    expect(result.code).not.toBe(0);
    expect(hookLines(result).join('\n')).toMatch(
      /^usualstore-db: PostgreSQL at 127\.0\.0\.1:1 was not ready within 1 s; last error: .*connection refused/m,
    );
  });

  it('never writes or prints the password: not in cdktf.out, the state, nor any Terraform output', async () => {
    const files = readTree(work);
    const state = files.get(path.join('cdktf.out', 'stacks', 'hook', 'terraform.tfstate'))!.toString();
    expect(state).toContain('"type": "terraform_data"');
    const json = files.get(path.join('cdktf.out', 'stacks', 'hook', 'cdk.tf.json'))!.toString();
    expect(JSON.parse(json).resource.terraform_data[MIGRATION_HOOK_ID].provisioner[0]['local-exec'].environment).toMatchObject({
      USUALSTORE_PASSWORD_COMMAND: 'cat ../../../postgres-password',
      PGPASSWORD: '',
    });
    const secret = Buffer.from(PASSWORD);
    for (const [file, bytes] of files) if (file !== 'postgres-password') expect([file, bytes.includes(secret)]).toEqual([file, false]);
    // and not its distinctive tail either (a partly escaped or truncated copy)
    const tail = PASSWORD.slice(-12);
    for (const result of outputs) expect(result.stdout + result.stderr).not.toContain(tail);
    expect(outputs.length).toBeGreaterThanOrEqual(10);
  });
});
