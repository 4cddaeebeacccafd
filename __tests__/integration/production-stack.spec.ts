/**
 * The production app (production/), synthesized and handed to the real Terraform with the real
 * hashicorp/aws provider 5.100.0: validate, and an offline plan of production.tfvars.example
 * (provider skip_* flags and dummy keys, in an override file only the test writes), read back
 * with `terraform show -json`. Every variable validation fires. No AWS account is used: creating
 * the instance, IAM and KMS permissions and reachability are not tested here (README, Production).
 *
 * The production app has its own dependencies (`npm ci --prefix production`, which .ci/run
 * does): without them this file skips, saying so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runCli } from '../support/cli';
import { run } from '../support/checkout';
import { query } from './migrator-fixtures';
import { createTestDatabase } from '../support/database';
import {
  awsPluginDir,
  PRODUCTION_APP,
  PRODUCTION_EXAMPLE_VARS,
  PRODUCTION_STACK,
  productionUnavailable,
  writeOfflineOverride,
} from '../support/production';
import { skipUnless } from '../support/skip';
import { terraform } from '../support/terraform';

const APP = PRODUCTION_APP;
const STACK_DIR = path.join(APP, 'cdktf.out', 'stacks', PRODUCTION_STACK);
const describeInstalled = skipUnless(productionUnavailable(), 'production', 'the production stack tests');
const pluginDir = awsPluginDir;

const tf = (args: string[], env: NodeJS.ProcessEnv = {}) => terraform(STACK_DIR, args, { env, timeoutMs: 180000 });

const EXAMPLE = PRODUCTION_EXAMPLE_VARS;

interface PlanJson {
  resource_changes: { address: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }[];
}

describeInstalled('the production stack, by Terraform with the real AWS provider', () => {
  let synthJson: { resource: Record<string, Record<string, Record<string, unknown>>>; output: Record<string, unknown> };
  let plan: PlanJson;

  beforeAll(async () => {
    const typecheck = await run(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(APP, 'tsconfig.json')],
      { cwd: PROJECT_ROOT },
    );
    if (typecheck.code !== 0) throw new Error(`production/ does not type-check: ${typecheck.stdout}${typecheck.stderr}`);
    const synth = await run(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: APP, timeoutMs: 120000 });
    if (synth.code !== 0) throw new Error(`production synth failed: ${synth.stderr}`);
    synthJson = JSON.parse(fs.readFileSync(path.join(STACK_DIR, 'cdk.tf.json'), 'utf8'));
    writeOfflineOverride(STACK_DIR);
    const dir = pluginDir();
    const init = await tf(['init', '-input=false', ...(dir ? [`-plugin-dir=${dir}`] : [])]);
    if (init.code !== 0)
      throw new Error(
        `terraform init failed ${dir ? `with the plugin directory ${dir}` : '(no local plugin directory; the registry is needed)'}: ${init.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
    const planned = await tf(['plan', '-input=false', `-var-file=${EXAMPLE}`, '-out=plan.bin']);
    if (planned.code !== 0) throw new Error(`offline plan failed: ${planned.stderr}`);
    plan = JSON.parse((await tf(['show', '-json', 'plan.bin'])).stdout) as PlanJson;
  }, 300000);

  const after = (type: string) => plan.resource_changes.find((r) => r.type === type)!.change.after;

  it('validates, and plans the instance and what it needs from the example variables, offline', async () => {
    expect((await tf(['validate'])).stdout).toContain('Success! The configuration is valid.');
    expect(plan.resource_changes.map((r) => `${r.address} ${r.change.actions.join('/')}`).sort()).toEqual([
      'aws_cloudwatch_log_group.postgresql create',
      'aws_cloudwatch_log_group.upgrade create',
      'aws_db_instance.database create',
      'aws_db_parameter_group.database create',
      'aws_db_subnet_group.database create',
      'aws_iam_role.monitoring create',
      'aws_iam_role_policy_attachment.monitoring create',
      'aws_security_group.database create',
      'terraform_data.migrations[0] create',
    ]);
  });

  it('an instance a careful team signs off: private, encrypted, TLS only, guarded, backed up, monitored', () => {
    expect(after('aws_db_instance')).toMatchObject({
      engine: 'postgres',
      engine_version: '15',
      auto_minor_version_upgrade: true,
      engine_lifecycle_support: 'open-source-rds-extended-support-disabled',
      storage_type: 'gp3',
      storage_encrypted: true,
      allocated_storage: 20,
      max_allocated_storage: 100,
      publicly_accessible: false,
      multi_az: true,
      manage_master_user_password: true,
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'usualstore-production-final',
      backup_retention_period: 14,
      backup_window: '03:00-04:00',
      maintenance_window: 'sun:04:30-sun:05:30',
      performance_insights_enabled: true,
      monitoring_interval: 60,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      db_name: 'usualstore',
      username: 'postgres',
    });
    expect(after('aws_db_parameter_group')).toMatchObject({ family: 'postgres15', name_prefix: 'usualstore-production-' });
    expect(after('aws_db_parameter_group').parameter).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'max_connections', value: '200' }),
        expect.objectContaining({ name: 'rds.force_ssl', value: '1' }),
      ]),
    );
    const ingress = after('aws_security_group').ingress as Record<string, unknown>[];
    expect(ingress).toEqual([
      expect.objectContaining({
        from_port: 5432,
        to_port: 5432,
        protocol: 'tcp',
        cidr_blocks: [],
        security_groups: ['sg-0123456789abcdef0'],
      }),
    ]);
    expect(after('aws_security_group').egress).toEqual([]);
    expect(after('aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 30 });
    // Terraform's own guard, and create-before-destroy where a replacement must not fail.
    expect(synthJson.resource.aws_db_instance.database.lifecycle).toEqual({ prevent_destroy: true });
    expect(synthJson.resource.aws_db_parameter_group.database.lifecycle).toEqual({ create_before_destroy: true });
  });

  it('holds no password anywhere: not in the configuration, the plan, or an output', () => {
    const passwords = (value: unknown, at = ''): string[] =>
      typeof value !== 'object' || value === null
        ? []
        : Object.entries(value).flatMap(([key, v]) => [
            ...(/password/i.test(key) && !/password_command/i.test(key) && typeof v === 'string' && v !== '' ? [`${at}.${key}`] : []),
            ...passwords(v, `${at}.${key}`),
          ]);
    expect(passwords(plan)).toEqual([]);
    expect(passwords(synthJson)).toEqual([]);
    expect(after('aws_db_instance').password).toBeNull();
    expect(Object.keys(synthJson.output).sort()).toEqual([
      'database_url',
      'endpoint',
      'master_user_secret_arn',
      'port',
      'security_group_id',
    ]);
  });

  it('migrates on deploy through the same command, over verify-full TLS, the password read at run time', () => {
    const hook = synthJson.resource.terraform_data.migrations as {
      provisioner: { 'local-exec': { command: string; environment: Record<string, string> } }[];
    };
    const exec = hook.provisioner[0]['local-exec'];
    expect(exec.command).toBe('node ../../../../bin/usualstore-db.js migrate up --wait 600 --migrations-dir ../../../../migrations');
    expect(exec.environment.DATABASE_URL).toMatch(
      /^postgres:\/\/postgres@\$\{aws_db_instance\.database\.address\}:\$\{aws_db_instance\.database\.port\}\/usualstore\?sslmode=verify-full&sslrootcert=\.\.\/\.\.\/\.\.\/\.\.\/\$\{var\.rds_ca_bundle\}$/,
    );
    expect(exec.environment.USUALSTORE_PASSWORD_COMMAND).toBe(
      'aws secretsmanager get-secret-value --region ${var.region} --secret-id ${aws_db_instance.database.master_user_secret[0].secret_arn} --query SecretString --output text',
    );
  });

  it('refuses every impossible value, each with its own message', async () => {
    const bad: Record<string, string> = {
      region: 'Europe',
      identifier: 'Usual--Store',
      instance_class: 't4g.medium',
      allocated_storage_gb: '10',
      vpc_id: 'my-vpc',
      subnet_ids: '["subnet-0123456789abcdef0"]',
      allowed_cidr_blocks: '["0.0.0.0/0"]',
      allowed_security_group_ids: '["default"]',
      kms_key_arn: 'alias/mine',
      backup_retention_days: '0',
      backup_window: '3am',
      maintenance_window: 'sunday',
      log_retention_days: '2',
      performance_insights_retention_days: '30',
      monitoring_interval_seconds: '7',
    };
    const result = await tf([
      'plan',
      '-input=false',
      `-var-file=${EXAMPLE}`,
      ...Object.entries(bad).flatMap(([name, value]) => ['-var', `${name}=${value}`]),
    ]);
    expect(result.code).not.toBe(0);
    const messages = [
      'region must be an AWS region name',
      'identifier must be 2-50 lower-case letters',
      'instance_class must be an RDS class',
      'allocated_storage_gb must be between 20 and 65536',
      'vpc_id must be a VPC id',
      'subnet_ids must name at least two subnets',
      'allowed_cidr_blocks must not open the database to the internet',
      'allowed_security_group_ids must be security group ids',
      'kms_key_arn must be empty or a KMS key ARN',
      'backup_retention_days must be between 1 and 35',
      'backup_window must look like 03:00-04:00',
      'maintenance_window must look like sun:04:30-sun:05:30',
      'log_retention_days must be one CloudWatch accepts',
      'performance_insights_retention_days must be 7 or a multiple of 31',
      'monitoring_interval_seconds must be one of 0, 1, 5, 10, 15, 30, 60',
    ];
    const output = result.stderr.replace(/[\s│]+/g, ' ');
    for (const message of messages) expect(output).toContain(message);
    // A rule across two variables is checked once each is valid on its own.
    const limit = await tf(['plan', '-input=false', `-var-file=${EXAMPLE}`, '-var', 'max_allocated_storage_gb=5']);
    expect(limit.code).not.toBe(0);
    expect(limit.stderr.replace(/[\s│]+/g, ' ')).toContain(
      'max_allocated_storage_gb must be at least allocated_storage_gb and at most 65536.',
    );
  }, 120000);
});

describe('USUALSTORE_PASSWORD_COMMAND (how the production hook gets the password)', () => {
  it('reads the password from the command, as text or as a JSON secret; a failing command is one line', async () => {
    const db = await createTestDatabase('password_command');
    try {
      const url = new URL(db.url);
      const password = decodeURIComponent(url.password);
      url.password = '';
      const env = (command: string) => ({ DATABASE_URL: url.toString(), PGPASSWORD: undefined, USUALSTORE_PASSWORD_COMMAND: command });
      const secret = JSON.stringify({ username: 'postgres', password });
      expect((await runCli(['migrate', 'status'], { env: env(`printf '%s' '${secret}'`) })).code).toBe(0);
      expect((await runCli(['migrate', 'status'], { env: env(`echo '${password}'`) })).code).toBe(0);
      const failing = await runCli(['migrate', 'status'], { env: env('echo denied >&2; exit 3') });
      expect(failing.code).toBe(1);
      expect(failing.stderr).toBe(
        'usualstore-db: USUALSTORE_PASSWORD_COMMAND failed (exit 3: denied); it must print the password or a JSON secret with a "password" key\n',
      );
      await query(db.url, 'select 1');
    } finally {
      await db.drop();
    }
  });
});
