/**
 * The real `cdktf synth` (the CLI, the cdktf.json "app", tsx), as a reviewer's CI runs it: the
 * same commit gives byte-identical JSON twice and from two checkout paths, no absolute path of
 * the machine, and no secret from terraform.tfvars, TF_VAR_* or the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/cli';
import { cdktfSynth, makeCheckout, readTree, removeCheckout, run } from '../support/checkout';
import { tempDir } from '../support/temp';

// Distinct markers per channel, so that a failure says which one leaked.
const SECRETS = {
  tfvars: 'tfvars-secret-7c1e93',
  tfVar: 'tf-var-secret-52ab08',
  postgresPassword: 'env-secret-e40d6f',
  databaseUrl: 'url-secret-9b27c4',
};
const SECRET_ENV = {
  TF_VAR_postgres_password: SECRETS.tfVar,
  POSTGRES_PASSWORD: SECRETS.postgresPassword,
  DATABASE_URL: `postgres://postgres:${SECRETS.databaseUrl}@localhost:5433/usualstore`,
};

describe('cdktf synth', () => {
  const checkouts: string[] = [];
  let first: Map<string, Buffer>;
  let again: Map<string, Buffer>;
  let elsewhere: Map<string, Buffer>;

  async function synthIn(dir: string): Promise<Map<string, Buffer>> {
    const result = await cdktfSynth(dir, SECRET_ENV);
    if (result.code !== 0) throw new Error(`cdktf synth failed (${result.code}): ${result.stderr}${result.stdout}`);
    return readTree(path.join(dir, 'cdktf.out'));
  }
  /** What Terraform and a reviewer read: the stacks' configuration and the manifest (beside them
   * the synth's checks write what this machine's deploy would refuse: deploy-checks.spec.ts). */
  const configuration = (tree: Map<string, Buffer>) => new Map([...tree].filter(([file]) => /(^manifest\.json|cdk\.tf\.json)$/.test(file)));

  beforeAll(async () => {
    const a = makeCheckout('synth-a');
    // A longer, different path: anything path-dependent would change bytes.
    const b = path.join(`${a}-elsewhere`, 'deeper', 'clone');
    fs.mkdirSync(path.dirname(b), { recursive: true });
    fs.cpSync(a, b, { recursive: true, verbatimSymlinks: true });
    checkouts.push(a, `${a}-elsewhere`);
    for (const dir of [a, b]) fs.writeFileSync(path.join(dir, 'terraform.tfvars'), `postgres_password = "${SECRETS.tfvars}"\n`);

    first = await synthIn(a);
    again = await synthIn(a);
    elsewhere = await synthIn(b);
  });

  afterAll(() => checkouts.forEach(removeCheckout));

  it('writes both stacks and the manifest, and beside them what the checks found', () => {
    expect([...first.keys()]).toEqual([
      '.gitignore',
      'deploy-checks.json',
      'manifest.json',
      path.join('stacks', 'usualstore-data', 'cdk.tf.json'),
      path.join('stacks', 'usualstore-database', 'cdk.tf.json'),
    ]);
  });

  it('is byte-identical when run twice', () => {
    expect([...configuration(again).keys()]).toEqual([...configuration(first).keys()]);
    for (const [file, bytes] of configuration(first)) expect({ file, same: bytes.equals(again.get(file)!) }).toEqual({ file, same: true });
  });

  it('is byte-identical from another checkout path', () => {
    expect([...configuration(elsewhere).keys()]).toEqual([...configuration(first).keys()]);
    for (const [file, bytes] of configuration(first))
      expect({ file, same: bytes.equals(elsewhere.get(file)!) }).toEqual({ file, same: true });
  });

  it('contains no absolute path of this machine', () => {
    const machinePaths = [PROJECT_ROOT, ...checkouts, os.homedir(), os.tmpdir(), process.cwd()];
    for (const [file, bytes] of first) {
      const text = bytes.toString('utf8');
      for (const p of machinePaths) expect({ file, contains: p, found: text.includes(p) }).toEqual({ file, contains: p, found: false });
    }
    const backends = [...first.entries()]
      .filter(([f]) => f.endsWith('cdk.tf.json'))
      .map(([, b]) => JSON.parse(b.toString()).terraform.backend.local.path);
    expect(backends).toEqual(['../../../terraform.usualstore-data.tfstate', '../../../terraform.usualstore-database.tfstate']);
  });

  it('contains no secret from terraform.tfvars, TF_VAR_* or the environment', () => {
    for (const [file, bytes] of first) {
      const text = bytes.toString('utf8');
      for (const [channel, secret] of Object.entries(SECRETS)) {
        expect({ file, channel, leaked: text.includes(secret) }).toEqual({ file, channel, leaked: false });
      }
    }
  });
});

describe('cdktf synth --output', () => {
  let dir: string;
  let outside: string;
  beforeAll(() => {
    dir = makeCheckout('synth-output');
    outside = tempDir('synth-out');
  });
  afterAll(() => {
    removeCheckout(dir);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('refuses an output directory outside the project in one line, writing no stack', async () => {
    const result = await run(path.join(dir, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outside], { cwd: dir });
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`usualstore: the cdktf output directory ${outside} is not inside the project ${fs.realpathSync(dir)}`);
    expect(output).not.toMatch(/^\s+at .*\.ts:\d+/m);
    expect(fs.existsSync(path.join(outside, 'stacks'))).toBe(false);
  });

  it('from another directory inside the project, addresses the same state file and project files', async () => {
    const result = await run(path.join(dir, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', 'build/synth'], { cwd: dir });
    expect(result.code).toBe(0);
    const stackDir = path.join(dir, 'build', 'synth', 'stacks', 'usualstore-database');
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(path.resolve(stackDir, json.terraform.backend.local.path)).toBe(path.join(dir, 'terraform.usualstore-database.tfstate'));
    const cli = /^node (\S+) /.exec(json.resource.terraform_data.migrations.provisioner[0]['local-exec'].command)![1];
    expect(path.resolve(stackDir, cli)).toBe(path.join(dir, 'bin', 'usualstore-db.js'));
  });
});
