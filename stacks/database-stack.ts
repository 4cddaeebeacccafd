/**
 * Stack `usualstore-database`: network, image, container and outputs. Deployed after the data
 * stack (whose volume it mounts by name), destroyed freely: the documented reset. It declares no
 * password variable: a variable's value is written into every saved plan. The password reaches
 * the container as a file the synth writes (tool/deploy/checks.ts), and the container's password
 * step and the migration hook read the same file.
 */
import path from 'node:path';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DatabaseConfig, deployedUrl } from '../config/database';
import { PASSWORD_FILE, PASSWORD_GENERATION_FILE } from '../config/deploy-password';
import { ApplicationNetwork } from './constructs/application-network';
import { ConnectionOutputs } from './constructs/connection-outputs';
import { DeployRefusals } from './constructs/deploy-refusals';
import { MigrationHook, usualstoreDbProvisioner, type HookPassword } from './constructs/migration-hook';
import { PostgresContainer } from './constructs/postgres-container';
import { DockerStack } from './docker-stack';
import type { StateBackend } from '../config/state-backend';
import { DATABASE_STACK_NAME } from '../config/stacks';
import { projectFile } from './stack-paths';
import { projectRoot } from '../tool/base/project';

export { DATABASE_STACK_NAME };

export interface DatabaseStackProps {
  readonly config: DatabaseConfig;
  /** Where Terraform keeps the state (config/state-backend.ts). */
  readonly state: StateBackend;
  /** The stack holding the volume: deployed first (ordering only; its state is never read). */
  readonly dataStack: TerraformStack;
}

export class DatabaseStack extends DockerStack {
  readonly network: ApplicationNetwork;
  readonly postgres: PostgresContainer;
  readonly migrations: MigrationHook;

  constructor(scope: Construct, props: DatabaseStackProps) {
    super(scope, DATABASE_STACK_NAME, props.state);
    const { config } = props;
    this.addDependency(props.dataStack);

    // The port, the engine, the password setting: what the synth's checks refused.
    const refusals = new DeployRefusals(this, 'deploy-refusals');
    // The published port (the first bind address: 127.0.0.1), the URL the command itself uses for
    // the deployed database, with the password the container was given.
    const databaseUrl = deployedUrl(config);
    const password: HookPassword = { file: path.join(projectRoot(), PASSWORD_FILE) };
    this.network = new ApplicationNetwork(this, 'network', { name: config.networkName, labels: config.networkLabels });
    this.postgres = new PostgresContainer(this, 'postgres', {
      config,
      networkName: this.network.network.name,
      // Relative to the stack's directory (no machine path in the JSON); the generation is read
      // by Terraform at plan time, so synthesizing needs no secret.
      passwordFile: { source: projectFile(this, PASSWORD_FILE), generation: projectFile(this, PASSWORD_GENERATION_FILE) },
      preconditions: [refusals.precondition],
      // A new container on a volume that already holds a database keeps the password that database
      // was created with (the image applies its password file only to an empty volume): the
      // container's first act is to take the deploy's.
      onCreate: [
        usualstoreDbProvisioner(this, { args: ['password', 'sync', '--wait', String(config.waitTimeoutSeconds)], databaseUrl, password }),
      ],
    });
    // The deploy ends with a migrated database: once the container is healthy, the hook runs
    // the migrator against its published port.
    this.migrations = new MigrationHook(this, 'migrations', {
      databaseUrl,
      password,
      waitSeconds: config.waitTimeoutSeconds,
      dependsOn: [this.postgres.container],
    });
    new ConnectionOutputs(this, 'outputs', { config, container: this.postgres.container });
  }
}
