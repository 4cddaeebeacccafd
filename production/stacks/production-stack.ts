/**
 * The production stack: an RDS PostgreSQL 15 instance (rds-postgres.ts) configured by Terraform
 * variables (variables.ts), and the same migrations applied the same way as
 * locally: a terraform_data hook that runs `usualstore-db migrate up` where `cdktf deploy` runs
 * (a CI runner inside the VPC), over TLS verified against the RDS CA bundle, with the password
 * read at run time from the secret RDS keeps (never from Terraform).
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { MigrationHook } from '../../stacks/constructs/migration-hook';
import { projectFile } from '../../stacks/stack-paths';
import { addStateBackend } from '../../stacks/state-backend';
import type { StateBackend } from '../../config/state-backend';
import { RdsPostgres } from './rds-postgres';
import { productionVariables } from './variables';

/** How long the hook waits for a new instance to accept connections (RDS takes minutes). */
const WAIT_SECONDS = 600;

export interface ProductionDatabaseStackProps {
  /** Where Terraform keeps the state (config/state-backend.ts). @default a local file */
  readonly state?: StateBackend;
}

export class ProductionDatabaseStack extends TerraformStack {
  readonly database: RdsPostgres;

  constructor(scope: Construct, id: string, props: ProductionDatabaseStackProps = {}) {
    super(scope, id);
    // By default beside the local stacks' (git-ignored); a team sets S3 (with its lock file) or a
    // shared PostgreSQL: config/state-backend.ts.
    addStateBackend(this, props.state ?? { kind: 'local' });

    const settings = productionVariables(this);

    new AwsProvider(this, 'aws', {
      region: settings.region,
      defaultTags: [{ tags: { Application: 'usualstore', Component: 'database', ManagedBy: 'cdktf' } }],
    });

    this.database = new RdsPostgres(this, 'database', settings.database);
    const { address, port, secretArn } = this.database;

    // Migrations, as locally: the same hook (the same triggers, command and bounds), after the
    // instance is available. Only its environment differs: verify-full TLS against the region's
    // CA bundle, and the password read when the hook runs from the secret RDS keeps
    // (USUALSTORE_PASSWORD_COMMAND: the AWS CLI on the runner), so it is in no Terraform file,
    // plan or state.
    new MigrationHook(this, 'migrations', {
      databaseUrl: this.database.url(`${projectFile(this)}/${settings.caBundle}`),
      password: {
        command: `aws secretsmanager get-secret-value --region ${settings.region} --secret-id ${secretArn} --query SecretString --output text`,
      },
      waitSeconds: WAIT_SECONDS,
      dependsOn: [this.database.instance],
      enabled: settings.runMigrations,
    });

    new TerraformOutput(this, 'endpoint', { value: address, description: 'the instance host name' });
    new TerraformOutput(this, 'port', { value: port });
    new TerraformOutput(this, 'master_user_secret_arn', {
      value: secretArn,
      description: 'the Secrets Manager secret RDS keeps the master password in',
    });
    new TerraformOutput(this, 'database_url', {
      value: this.database.url(settings.caBundle),
      description: 'the URL without password (it is in the secret); verify-full against the RDS CA bundle',
    });
    new TerraformOutput(this, 'security_group_id', { value: this.database.securityGroup.id });
  }
}
