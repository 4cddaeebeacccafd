/**
 * The synthesized Terraform, run by the real Terraform binary as far as this machine allows: the
 * docker provider cannot be downloaded here, so each docker resource stands in as a terraform_data
 * holding its configuration (support/terraform-json.ts) and everything else runs for real: the
 * passwordless URL outputs, the relative local backend, the container's preconditions, and its
 * password upload, whose `source` and `source_hash` expressions Terraform evaluates in the
 * container's stand-in (the docker provider keeps exactly these attributes in its state; the
 * file's content it reads only when it creates the container: resource_docker_container_funcs.go).
 * No plan, state or JSON holds the password, with the deploy's password in terraform.tfvars and
 * TF_VAR_ alike. The provisioners (the password step, the hook) are hook.spec's and
 * cdktf-commands.spec's: here they are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { makeCheckout, readTree, removeCheckout, run, RunResult } from '../support/checkout';
import { writePasswordFile } from '../../tool/deploy/password-file';
import { cutDocker } from '../support/terraform-json';
import { NO_PASSWORD_FILE, PASSWORD_FILE, PASSWORD_GENERATION_FILE } from '../../config/deploy-password';
import { terraform } from '../support/terraform';

// Everything a URL, HCL or a shell could trip on, and unique enough to search every file for.
const PASSWORD = `p@ss:w/rd%?#&+é 'q'"x"\\z \${var.x} ${Date.now().toString(36)}`;

function hclString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${')}"`;
}

describe('synthesized Terraform, run by Terraform', () => {
  let dir: string;
  const synthesized: Record<string, any> = {};
  const stackDir = (stack: string) => path.join(dir, 'cdktf.out', 'stacks', stack);
  // The deploy's password where a user puts it, in the file and in the environment.
  const tf = (stack: string, args: string[]): Promise<RunResult> =>
    terraform(stackDir(stack), args, { env: { TF_VAR_postgres_password: PASSWORD } });

  beforeAll(async () => {
    dir = makeCheckout('synth-terraform');
    fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = ${hclString(PASSWORD)}\n`, { mode: 0o600 });
    // Synthesized with the password only in the environment the app never sees under cdktf, and
    // no terraform.tfvars yet: the password file is written later, as a synth would write it.
    fs.renameSync(path.join(dir, 'terraform.tfvars'), path.join(dir, 'later.tfvars'));
    const synth = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir });
    if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    fs.renameSync(path.join(dir, 'later.tfvars'), path.join(dir, 'terraform.tfvars'));
    for (const stack of ['usualstore-data', 'usualstore-database']) {
      synthesized[stack] = cutDocker(stackDir(stack), undefined, { commands: false });
      const init = await tf(stack, ['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    }
  });

  afterAll(() => removeCheckout(dir));

  it('the container gets its password as an uploaded file: the JSON has its relative path and generation, never the password', () => {
    const json = synthesized['usualstore-database'];
    const container = json.resource.docker_container.database;
    expect(container.env).toEqual([
      'POSTGRES_USER=postgres',
      'POSTGRES_DB=usualstore',
      'POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password',
    ]);
    expect(container.upload).toEqual([
      {
        file: '/run/secrets/postgres-password',
        source: `../../../${PASSWORD_FILE}`,
        source_hash: `\${local.password_file_present ? trimspace(file("../../../${PASSWORD_GENERATION_FILE}")) : ""}`,
        permissions: '0400',
      },
    ]);
    expect(json.variable).toBeUndefined();
  });

  it("with no password file, the plan stops on the container's precondition, saying what to do", async () => {
    const result = await tf('usualstore-database', ['plan', '-input=false', '-no-color']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('Error: Resource precondition failed');
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(NO_PASSWORD_FILE.replace(/\s+/g, ' '));
    // A destroy evaluates no precondition, and needs no password.
    const destroy = await tf('usualstore-database', ['plan', '-destroy', '-input=false', '-no-color']);
    expect(destroy.code).toBe(0);
  });

  it('applies with the file the synth writes; state and a saved plan hold its generation, never the password', async () => {
    expect(writePasswordFile(dir, PASSWORD)).toBe('written');
    const generation = fs.readFileSync(path.join(dir, PASSWORD_GENERATION_FILE), 'utf8').trim();
    const saved = await tf('usualstore-database', ['plan', '-input=false', '-no-color', '-out=saved.tfplan']);
    expect(saved.code).toBe(0);
    const result = await tf('usualstore-database', ['apply', '-auto-approve', '-input=false', '-no-color', 'saved.tfplan']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    // The relative backend path resolves to the checkout root, not inside cdktf.out.
    const state = path.join(dir, 'terraform.usualstore-database.tfstate');
    expect(fs.existsSync(state)).toBe(true);
    expect(fs.existsSync(path.join(stackDir('usualstore-database'), 'terraform.tfstate'))).toBe(false);
    const container = JSON.parse(fs.readFileSync(state, 'utf8')).resources.find(
      (r: { name: string }) => r.name === 'docker_container_database',
    );
    expect(container.instances[0].attributes.triggers_replace.value.upload).toEqual([
      { file: '/run/secrets/postgres-password', permissions: '0400', source: `../../../${PASSWORD_FILE}`, source_hash: generation },
    ]);

    // Every file Terraform wrote (state, the saved plan, .terraform/) and cdktf.out: no password.
    const secret = Buffer.from(PASSWORD);
    const written = [
      ...[...readTree(path.join(dir, 'cdktf.out'))].map(([file, bytes]) => [path.join('cdktf.out', file), bytes] as const),
      ...fs
        .readdirSync(dir)
        .filter((file) => file.endsWith('.tfstate'))
        .map((file) => [file, fs.readFileSync(path.join(dir, file))] as const),
    ];
    expect(written.map(([file]) => file)).toEqual(
      expect.arrayContaining([
        'terraform.usualstore-database.tfstate',
        path.join('cdktf.out', 'stacks', 'usualstore-database', 'saved.tfplan'),
      ]),
    );
    for (const [file, bytes] of written) expect([file, bytes.includes(secret)]).toEqual([file, false]);
    // A saved plan is a zip (compressed): what it holds, as Terraform reads it back.
    const shown = await tf('usualstore-database', ['show', '-json', 'saved.tfplan']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(generation);
    expect(shown.stdout).not.toContain(PASSWORD.slice(-12));
  });

  it('a new password gives a new generation (the container is replaced); the same one changes nothing', async () => {
    expect(writePasswordFile(dir, PASSWORD)).toBe('unchanged');
    const same = await tf('usualstore-database', ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(same.code).toBe(0);
    expect(writePasswordFile(dir, `${PASSWORD}-rotated`)).toBe('changed');
    const changed = await tf('usualstore-database', ['plan', '-input=false', '-no-color', '-detailed-exitcode']);
    expect(changed.code).toBe(2);
    expect(changed.stdout).toMatch(/terraform_data\.docker_container_database must be replaced/);
    expect(changed.stdout).not.toContain('rotated');
  });

  it('outputs URLs without the password, so that no output puts it into the state', async () => {
    const shown = await tf('usualstore-database', ['output', '-no-color']);
    expect(shown.stdout).toMatch(/^host_database_url = "postgres:\/\/postgres@localhost:5433\/usualstore"$/m);
    expect(shown.stdout).toMatch(/^network_database_url = "postgres:\/\/postgres@database:5432\/usualstore"$/m);
    expect(shown.stdout).toMatch(/^host_port = 5433$/m);
    expect(shown.stdout).toMatch(/^internal_host = "database"$/m);
    const raw = await tf('usualstore-database', ['output', '-raw', 'host_database_url']);
    // as node-postgres (the usualstore-db command) reads it: no password in the URL (parsed as
    // an empty one, which pg treats as unset), so it comes from PGPASSWORD
    expect(parseConnectionString(raw.stdout)).toMatchObject({ user: 'postgres', host: 'localhost', port: '5433', database: 'usualstore' });
    expect(parseConnectionString(raw.stdout).password || undefined).toBeUndefined();
  });
});
