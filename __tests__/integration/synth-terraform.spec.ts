/**
 * The synthesized Terraform, run by the real Terraform binary as far as this machine allows: the
 * docker provider cannot be downloaded here, so its resources (and the outputs that read them)
 * are cut out and everything else runs for real: the postgres_password variable and its
 * validations, the passwordless URL outputs, the relative local backend, and the var-file that
 * `npm run deploy` hands to a stack that does not declare postgres_password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { makeCheckout, removeCheckout, run, RunResult } from '../support/checkout';

// Everything a URL or HCL could trip on (no "${" or "%{": those are HCL templates).
const PASSWORD = `p@ss:w/rd%?#&+é 'q'"x"\\z`;

function hclString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The stack's JSON without the docker provider, its resources and outputs that read them. */
function withoutDocker(json: Record<string, any>): Record<string, any> {
  const copy = structuredClone(json);
  delete copy.provider;
  delete copy.resource;
  delete copy.terraform.required_providers;
  for (const [name, output] of Object.entries<{ value: unknown }>(copy.output ?? {})) {
    if (JSON.stringify(output.value).includes('docker_')) delete copy.output[name];
  }
  return copy;
}

describe('synthesized Terraform, run by Terraform', () => {
  let dir: string;
  const stackDir = (stack: string) => path.join(dir, 'cdktf.out', 'stacks', stack);
  const terraform = (stack: string, args: string[]): Promise<RunResult> =>
    run('terraform', args, { cwd: stackDir(stack), env: { TF_IN_AUTOMATION: '1' } });
  const varFile = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return `-var-file=${file}`; // absolute, as scripts/cdktf-with-tfvars.sh passes it
  };

  beforeAll(async () => {
    dir = makeCheckout('synth-terraform');
    const synth = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: dir });
    if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    for (const stack of ['usualstore-data', 'usualstore-database']) {
      const file = path.join(stackDir(stack), 'cdk.tf.json');
      fs.writeFileSync(file, JSON.stringify(withoutDocker(JSON.parse(fs.readFileSync(file, 'utf8'))), null, 2));
      const init = await terraform(stack, ['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}${init.stdout}`);
    }
  });

  afterAll(() => removeCheckout(dir));

  it('applies with the password from a var-file, keeping state at the project root', async () => {
    const result = await terraform('usualstore-database', [
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      varFile('good.tfvars', `postgres_password = ${hclString(PASSWORD)}\n`),
    ]);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    // The relative backend path resolves to the checkout root, not inside cdktf.out.
    expect(fs.existsSync(path.join(dir, 'terraform.usualstore-database.tfstate'))).toBe(true);
    expect(fs.existsSync(path.join(stackDir('usualstore-database'), 'terraform.tfstate'))).toBe(false);
  });

  it('outputs URLs without the password, so that no output puts it into the state', async () => {
    const shown = await terraform('usualstore-database', ['output', '-no-color']);
    expect(shown.stdout).toMatch(/^host_database_url = "postgres:\/\/postgres@localhost:5433\/usualstore"$/m);
    expect(shown.stdout).toMatch(/^network_database_url = "postgres:\/\/postgres@database:5432\/usualstore"$/m);
    expect(shown.stdout).toMatch(/^host_port = 5433$/m);
    expect(shown.stdout).toMatch(/^internal_host = "database"$/m);
    const raw = await terraform('usualstore-database', ['output', '-raw', 'host_database_url']);
    // as node-postgres (the usualstore-db command) reads it: no password in the URL (parsed as
    // an empty one, which pg treats as unset), so it comes from PGPASSWORD
    expect(parseConnectionString(raw.stdout)).toMatchObject({ user: 'postgres', host: 'localhost', port: '5433', database: 'usualstore' });
    expect(parseConnectionString(raw.stdout).password || undefined).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'terraform.usualstore-database.tfstate'), 'utf8')).not.toContain(PASSWORD);
  });

  it.each([
    [
      'the example placeholder',
      'postgres_password = "CHANGE-ME"\n',
      'postgres_password is still the placeholder from terraform.tfvars.example',
    ],
    ['an empty password', 'postgres_password = ""\n', 'postgres_password must not be empty.'],
    ['no password', '', 'No value for required variable'],
  ])('refuses %s', async (_name, content, message) => {
    const result = await terraform('usualstore-database', ['plan', '-input=false', '-no-color', varFile('bad.tfvars', content)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(message);
  });

  it('a stack without postgres_password accepts the same var-file (a warning, not an error)', async () => {
    const result = await terraform('usualstore-data', [
      'plan',
      '-input=false',
      '-no-color',
      varFile('data.tfvars', 'postgres_password = "whatever"\n'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/undeclared variable/i);
  });
});
