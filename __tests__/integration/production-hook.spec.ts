/**
 * Production migrates the way the local database does: its hook is the same construct, triggered
 * by each migration file's checksum. Shown with the real Terraform and the real hashicorp/aws
 * provider (offline) on a checkout of the project: after a deploy (its state holds the hook as the
 * first synth declared it), a plan of the unchanged project leaves the hook alone, and adding a
 * migration file makes the plan replace the hook, naming the new file. The prior state is written
 * by Terraform itself from the first synth's triggers; the AWS resources, which cannot be created
 * here, are only planned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeCheckout, removeCheckout, run } from '../support/checkout';
import { awsPluginDir, PRODUCTION_STACK, productionUnavailable, writeOfflineOverride } from '../support/production';
import { skipUnless } from '../support/skip';
import { tempDir } from '../support/temp';
import { writeMigration } from './migrator-fixtures';
import { terraform } from '../support/terraform';

const tf = (cwd: string, args: string[]) => terraform(cwd, args, { timeoutMs: 180000 });

skipUnless(
  productionUnavailable(),
  'production',
  'the production hook tests',
)('the production hook, planned by Terraform after a migration is added', () => {
  let checkout: string;
  let stackDir: string;
  let work: string;

  const synth = async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: path.join(checkout, 'production'),
      timeoutMs: 120000,
    });
    if (result.code !== 0) throw new Error(`production synth failed: ${result.stderr}`);
    return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      resource: {
        terraform_data: { migrations: { triggers_replace: Record<string, string>; provisioner: { 'local-exec': { command: string } }[] } };
      };
    };
  };
  const plan = async () => {
    writeOfflineOverride(stackDir);
    const dir = awsPluginDir();
    const init = await tf(stackDir, ['init', '-input=false', ...(dir ? [`-plugin-dir=${dir}`] : [])]);
    if (init.code !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
    const planned = await tf(stackDir, [
      'plan',
      '-input=false',
      `-var-file=${path.join(checkout, 'production.tfvars.example')}`,
      '-out=plan.bin',
    ]);
    if (planned.code !== 0) throw new Error(`plan failed: ${planned.stderr}`);
    const shown = JSON.parse((await tf(stackDir, ['show', '-json', 'plan.bin'])).stdout) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    return { text: planned.stdout, hook: shown.resource_changes.find((r) => r.address === 'terraform_data.migrations[0]')?.change.actions };
  };

  beforeAll(async () => {
    checkout = makeCheckout('production-hook', { production: true });
    stackDir = path.join(checkout, 'production', 'cdktf.out', 'stacks', PRODUCTION_STACK);
    work = tempDir('production-hook');
    const first = await synth();
    // The state a first deploy leaves: the hook with the first synth's triggers, written by
    // Terraform (the provisioner, which would migrate a real instance, is not part of the state).
    const hook = first.resource.terraform_data.migrations;
    fs.writeFileSync(
      path.join(work, 'main.tf.json'),
      JSON.stringify({ resource: { terraform_data: { migrations: { count: 1, triggers_replace: hook.triggers_replace } } } }),
    );
    const applied = await tf(work, ['apply', '-input=false', '-auto-approve']);
    if (applied.code !== 0) throw new Error(`writing the prior state failed: ${applied.stderr}`);
    fs.copyFileSync(path.join(work, 'terraform.tfstate'), path.join(checkout, `terraform.${PRODUCTION_STACK}.tfstate`));
  }, 300000);
  afterAll(() => {
    if (checkout) removeCheckout(checkout);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs the same command as the local hook, with the checksums of every migration as its triggers', async () => {
    const json = await synth();
    const hook = json.resource.terraform_data.migrations;
    expect(hook.provisioner[0]['local-exec'].command).toBe(
      'node ../../../../bin/usualstore-db.js migrate up --wait 600 --migrations-dir ../../../../migrations',
    );
    const files = fs.readdirSync(path.join(checkout, 'migrations')).filter((f) => /^\d{14}_\w+\.ts$/.test(f));
    expect(
      Object.keys(hook.triggers_replace)
        .filter((key) => key.endsWith('.ts'))
        .sort(),
    ).toEqual(files.sort());
  }, 120000);

  it('plans no change to the hook while the migrations are unchanged', async () => {
    await synth();
    expect((await plan()).hook).toEqual(['no-op']);
  }, 300000);

  it('replaces the hook when a migration is added, and the plan names the file', async () => {
    writeMigration(path.join(checkout, 'migrations'), {
      name: '29990101000000_add_loyalty_points',
      up: 'ALTER TABLE customers ADD COLUMN loyalty_points integer',
      down: 'ALTER TABLE customers DROP COLUMN loyalty_points',
    });
    await synth();
    const { text, hook } = await plan();
    expect(hook).toEqual(['delete', 'create']);
    expect(text).toContain('# terraform_data.migrations[0] must be replaced');
    expect(text).toMatch(/\+ "29990101000000_add_loyalty_points\.ts" += "[0-9a-f]{64}"/);
  }, 300000);
});
