/**
 * The stack's outputs: how to reach the database from the host and from containers on the
 * network. Connection strings hold the password, so they are sensitive and the password is
 * percent-encoded at apply time: a password with @, /, : or a space still gives a valid URL.
 */
import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DatabaseConfig } from '../config';

/**
 * The password expression percent-encoded for a URL's user-info, at apply time. Terraform's
 * urlencode() writes a space as "+" (form encoding), a literal "+" in user-info; it writes a real
 * "+" as %2B, so every "+" left was a space.
 */
export function urlEncodedPassword(password: string): string {
  return Fn.replace(Fn.urlencode(password), '+', '%20');
}

export interface ConnectionOutputsProps {
  readonly config: DatabaseConfig;
  readonly container: Container;
  /** The password as a Terraform expression (var.postgres_password). */
  readonly password: string;
}

export class ConnectionOutputs extends Construct {
  constructor(scope: Construct, id: string, props: ConnectionOutputsProps) {
    super(scope, id);
    const { config, container } = props;
    const credentials = `${config.user}:${urlEncodedPassword(props.password)}`;

    const output = (name: string, value: string | number, description: string, sensitive = false) =>
      new TerraformOutput(this, name, { value, description, sensitive }).overrideLogicalId(name);

    output('container_name', container.name, 'Name of the PostgreSQL container (docker exec target)');
    output('container_id', container.id, 'ID of the PostgreSQL container');
    output('internal_host', config.networkAlias, `Host name of the database for containers on ${config.networkName}`);
    output('internal_port', config.containerPort, 'Port of the database for containers on the network');
    output('host_port', config.hostPort, 'Port of the database on this machine (127.0.0.1 and ::1 only)');
    output(
      'host_connection_string',
      `postgres://${credentials}@localhost:${config.hostPort}/${config.database}`,
      'Connection string from this machine',
      true,
    );
    output(
      'network_connection_string',
      `postgres://${credentials}@${config.networkAlias}:${config.containerPort}/${config.database}`,
      `Connection string for containers on ${config.networkName}`,
      true,
    );
  }
}
