/**
 * The cdktf commands the README and the docs print, run exactly as printed in a fresh checkout
 * with only the password set (terraform.tfvars): the real cdktf CLI, its synth (the app, which
 * makes the deploy's checks and writes the container's password file), the real Terraform on each
 * stack, the docker resources standing in as terraform_data (the provider cannot be downloaded
 * here: support/terraform-json.ts), and the migration hook and the container's password step for
 * real against a PostgreSQL 15 on the published port. A command printed anywhere that this file
 * does not run fails the first test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/cli';
import { makeCheckout, removeCheckout, run, TERRAFORM_WITHOUT_DOCKER, type RunResult } from '../support/checkout';
import { startDeployTarget, writeTfvars, type DeployTarget } from '../support/deploy-checkout';
import { withClient } from '../support/database';
import { PROJECT_MIGRATIONS } from '../support/migration-prefix';

/** Every cdktf command the README and docs/ print, in code blocks or inline code (as `npx cdktf …`,
 * how it runs from a clone; a bare `cdktf …` would be one a reader may type too). */
function printedCommands(): string[] {
  const files = ['README.md', ...fs.readdirSync(path.join(PROJECT_ROOT, 'docs')).map((f) => path.join('docs', f))];
  const found = new Set<string>();
  const add = (command: string) => found.add(`npx ${command.replace(/^npx /, '').replace(/\s+/g, ' ').trim()}`);
  for (const file of files) {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
    for (const m of text.matchAll(/^ {4,}((?:npx )?cdktf [a-z][^\n#]*?)\s*(?:#.*)?$/gm)) add(m[1]);
    for (const m of text.matchAll(/`((?:npx )?cdktf [a-z][^`]*)`/g)) add(m[1]);
  }
  return [...found].sort();
}

const DEPLOY = "npx cdktf deploy '*' --auto-approve";
const DIFF = 'npx cdktf diff usualstore-database';
const RESET = 'npx cdktf destroy usualstore-database --auto-approve';
const DESTROY_ALL = "npx cdktf destroy '*' --auto-approve";
const DESTROY_DATA = 'npx cdktf destroy usualstore-data --auto-approve';
const SYNTH = 'npx cdktf synth';
const SYNTH_HCL = 'npx cdktf synth --hcl';
const SYNTH_OUTPUT = 'npx cdktf synth --output build/synth';

const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('the cdktf commands as the README and docs print them', () => {
  let target: DeployTarget;
  let dir: string;
  const runPrinted = (command: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    run('bash', ['-c', command], {
      cwd: dir,
      env: { CI: '1', TERRAFORM_BINARY_NAME: TERRAFORM_WITHOUT_DOCKER, USUALSTORE_DB_HOST_PORT: String(target.port), ...env },
      timeoutMs: 240000,
    }).then((r) => ({ ...r, stdout: plain(r.stdout), stderr: plain(r.stderr) }));
  const applied = () =>
    withClient(`${target.server.url.replace(/\/postgres$/, '/usualstore')}`, async (c) => {
      const { rows } = await c.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
      return rows.map((r) => r.name);
    });

  beforeAll(async () => {
    target = await startDeployTarget();
    // A fresh clone after `npm ci`, with the password set as the README says: nothing else.
    dir = makeCheckout('cdktf-commands');
    writeTfvars(dir, target.password);
  });
  afterAll(async () => {
    await target?.stop();
    if (dir) removeCheckout(dir);
  });

  it('are exactly the ones this file runs', () => {
    expect(printedCommands()).toEqual([DEPLOY, DESTROY_ALL, DESTROY_DATA, RESET, DIFF, SYNTH, SYNTH_HCL, SYNTH_OUTPUT].sort());
  });

  it(`${DEPLOY}: both stacks in order, ending with a migrated database`, async () => {
    const result = await runPrinted(DEPLOY);
    expect(result.stderr + result.stdout).not.toMatch(/Error:/);
    expect(result.code).toBe(0);
    // The data stack is applied before the database stack creates anything.
    const dataApplied = result.stdout.search(/Apply complete! Resources: 2 added/);
    const databaseCreating = result.stdout.search(/terraform_data\.docker_network_usualstore_network: Creating/);
    expect(dataApplied).toBeGreaterThan(0);
    expect(dataApplied).toBeLessThan(databaseCreating);
    // The container's password step ran (the password matches: the server has it), then the hook.
    expect(result.stdout).toMatch(/password of postgres matches the server/);
    expect(result.stdout).toMatch(/migrated postgres@127\.0\.0\.1:\d+\/usualstore: \d+ migrations applied/);
    expect(await applied()).toEqual(PROJECT_MIGRATIONS);
    // The synth wrote the container's password file from terraform.tfvars.
    expect(fs.readFileSync(path.join(dir, '.secrets', 'postgres-password'), 'utf8')).toBe(target.password);
  });

  it(`${DIFF}: the plan, with nothing to change after the deploy`, async () => {
    const result = await runPrinted(DIFF);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No changes\. Your infrastructure matches the configuration\./);
  });

  it(`${RESET}: the documented reset; the volume stays, and a deploy brings the same database back`, async () => {
    const result = await runPrinted(RESET);
    expect(result.code).toBe(0);
    // cdktf 0.21 does not always print the last lines of a destroy: the state says what it did.
    const state = (stack: string) => JSON.parse(fs.readFileSync(path.join(dir, `terraform.${stack}.tfstate`), 'utf8'));
    expect(state('usualstore-database').resources).toEqual([]);
    expect(state('usualstore-data').resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`)).toEqual(
      expect.arrayContaining(['terraform_data.docker_volume_usualstore_db_data', 'terraform_data.data_volume_record']),
    );
    const again = await runPrinted(DEPLOY);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is up to date, .*; nothing to migrate/);
    expect(await applied()).toEqual(PROJECT_MIGRATIONS);
  });

  it.each([
    [SYNTH, 'cdktf.out/stacks/usualstore-database/cdk.tf.json'],
    [SYNTH_HCL, 'cdktf.out/stacks/usualstore-database/cdk.tf'],
    [SYNTH_OUTPUT, 'build/synth/stacks/usualstore-database/cdk.tf.json'],
  ])('%s writes %s', async (command, file) => {
    const result = await runPrinted(command);
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, file))).toBe(true);
  });

  it(`${DESTROY_DATA}: refused by cdktf itself (the database stack depends on it); the data stays`, async () => {
    const result = await runPrinted(DESTROY_DATA);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'The following dependant stacks are not included in the stacks to run: usualstore-database',
    );
  });

  it(`${DESTROY_ALL}: the database stack goes, the data stack is refused (prevent_destroy); the data stays`, async () => {
    const result = await runPrinted(DESTROY_ALL);
    expect(result.code).not.toBe(0);
    expect((result.stdout + result.stderr).replace(/[\s│]+/g, ' ')).toMatch(
      /Resource terraform_data\.docker_volume_usualstore_db_data has lifecycle\.prevent_destroy set, but the plan calls for this resource to be destroyed/,
    );
    const dataState = JSON.parse(fs.readFileSync(path.join(dir, 'terraform.usualstore-data.tfstate'), 'utf8'));
    expect(dataState.resources.length).toBeGreaterThan(0);
  });
});
