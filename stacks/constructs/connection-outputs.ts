/**
 * The stack's outputs: how to reach the database from the host and from containers on the
 * network. The URLs carry no password: outputs are stored in the state in plain text, sensitive
 * or not, and the password already has its one source (terraform.tfvars or
 * TF_VAR_postgres_password); clients take it from PGPASSWORD.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DatabaseConfig, databaseUrl } from '../../config/database';

export interface ConnectionOutputsProps {
  readonly config: DatabaseConfig;
  readonly container: Container;
}

export class ConnectionOutputs extends Construct {
  constructor(scope: Construct, id: string, props: ConnectionOutputsProps) {
    super(scope, id);
    const { config, container } = props;
    const output = (name: string, value: string | number, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);

    output('container_name', container.name, 'Name of the PostgreSQL container (docker exec target)');
    output('container_id', container.id, 'ID of the PostgreSQL container');
    output('internal_host', config.networkAlias, `Host name of the database for containers on ${config.networkName}`);
    output('internal_port', config.containerPort, 'Port of the database for containers on the network');
    output('host_port', config.hostPort, `Port of the database on this machine (${config.hostBindAddresses.join(' and ')} only)`);
    const target = { user: config.user, database: config.database };
    output(
      'host_database_url',
      databaseUrl({ ...target, host: 'localhost', port: config.hostPort }),
      'URL from this machine (password: PGPASSWORD)',
    );
    output(
      'network_database_url',
      databaseUrl({ ...target, host: config.networkAlias, port: config.containerPort }),
      `URL for containers on ${config.networkName} (password: PGPASSWORD)`,
    );
  }
}
