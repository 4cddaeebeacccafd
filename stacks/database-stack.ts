/**
 * Stack `usualstore-database`: network, image, container and outputs. Deployed after the data
 * stack (whose volume it mounts by name), destroyed freely: the documented reset.
 */
import { Construct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { DatabaseConfig, deployedUrl, PASSWORD_PLACEHOLDER } from '../config/database';
import { ApplicationNetwork } from './constructs/application-network';
import { ConnectionOutputs } from './constructs/connection-outputs';
import { MigrationHook } from './constructs/migration-hook';
import { PostgresContainer } from './constructs/postgres-container';
import { DockerStack } from './docker-stack';

export const DATABASE_STACK_NAME = 'usualstore-database';

export interface DatabaseStackProps {
  readonly config: DatabaseConfig;
  /** The stack holding the volume: deployed first (ordering only; its state is never read). */
  readonly dataStack: TerraformStack;
}

export class DatabaseStack extends DockerStack {
  readonly password: TerraformVariable;
  readonly network: ApplicationNetwork;
  readonly postgres: PostgresContainer;
  readonly migrations: MigrationHook;

  constructor(scope: Construct, props: DatabaseStackProps) {
    super(scope, DATABASE_STACK_NAME);
    const { config } = props;
    this.addDependency(props.dataStack);

    // Sensitive and without a default: Terraform asks for it (terraform.tfvars, TF_VAR_...) at
    // deploy time, redacts it in plans, and it never becomes a literal in cdktf.out.
    this.password = new TerraformVariable(this, 'postgres_password', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Password of the PostgreSQL superuser "${config.user}" (set it in terraform.tfvars)`,
    });
    // Conditions must be written as "${...}" templates: in .tf.json a bare string is a literal,
    // which Terraform rejects as a validation. (cdktf's Op helpers render '' as `undefined`.)
    this.password.addValidation({
      condition: '${var.postgres_password != ""}',
      errorMessage: 'postgres_password must not be empty.',
    });
    this.password.addValidation({
      // terraform.tfvars.example's placeholder: copying the example without editing it must not
      // deploy a database with a published, well-known password.
      condition: `\${var.postgres_password != "${PASSWORD_PLACEHOLDER}"}`,
      errorMessage: 'postgres_password is still the placeholder from terraform.tfvars.example; set a real password in terraform.tfvars.',
    });

    this.network = new ApplicationNetwork(this, 'network', { name: config.networkName, labels: config.networkLabels });
    this.postgres = new PostgresContainer(this, 'postgres', {
      config,
      networkName: this.network.network.name,
      password: this.password.stringValue,
    });
    // The deploy ends with a migrated database: once the container is healthy, the hook runs
    // the migrator against its published port (the first bind address: 127.0.0.1), the URL the
    // command itself uses for the deployed database.
    this.migrations = new MigrationHook(this, 'migrations', {
      databaseUrl: deployedUrl(config),
      password: { expression: this.password.stringValue },
      waitSeconds: config.waitTimeoutSeconds,
      dependsOn: [this.postgres.container],
    });
    this.migrations.resource.overrideLogicalId('migrations');
    new ConnectionOutputs(this, 'outputs', { config, container: this.postgres.container });
  }
}
