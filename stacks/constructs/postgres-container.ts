/**
 * PostgreSQL 15 as the seed runs it: the image, and the container with its command, healthcheck,
 * loopback-only published port, network alias and data volume.
 */
import { Construct } from 'constructs';
import { TerraformLocal, type LocalExecProvisioner } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DatabaseConfig } from '../../config/database';
import { CONTAINER_PASSWORD_FILE, NO_PASSWORD_FILE } from '../../config/deploy-password';
import { dockerLabels } from './docker-labels';
import type { Precondition } from './deploy-refusals';

export interface PostgresContainerProps {
  readonly config: DatabaseConfig;
  /** Name of the network to join (a reference, so the network is created first). */
  readonly networkName: string;
  /** The password file to copy into the container at creation and the file beside it whose
   * content changes with the password and reveals nothing (config/deploy-password.ts), both as
   * Terraform reaches them from the stack's directory: never the password itself, which the
   * state would keep. */
  readonly passwordFile: { readonly source: string; readonly generation: string };
  /** What must hold before the container is created or changed (the synth's refusals). @default none */
  readonly preconditions?: Precondition[];
  /** Commands Terraform runs once a new container is up and healthy. @default none */
  readonly onCreate?: LocalExecProvisioner[];
}

/** The server's command line: `postgres -c name=value ...`. */
export function postgresCommand(config: DatabaseConfig): string[] {
  return ['postgres', '-c', `listen_addresses=${config.listenAddresses}`, '-c', `max_connections=${config.maxConnections}`];
}

/**
 * Exec form (CMD, no shell). -h 127.0.0.1 makes pg_isready use TCP: during initdb the
 * entrypoint runs a temporary server on the Unix socket only, and a socket check would report
 * "ready" before the real server is up.
 */
export function healthcheckTest(config: DatabaseConfig): string[] {
  return ['CMD', 'pg_isready', '-U', config.user, '-d', config.database, '-h', '127.0.0.1'];
}

/**
 * A whole number of seconds as Go's time.Duration prints it ("10s", "1m0s", "1h0m0s"): the
 * provider reads the healthcheck durations back from Docker that way, so "60s" in the JSON
 * would differ from the state on every plan.
 */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export class PostgresContainer extends Construct {
  readonly image: Image;
  readonly container: Container;

  constructor(scope: Construct, id: string, props: PostgresContainerProps) {
    super(scope, id);
    const { config } = props;
    const timing = config.healthcheck;

    this.image = new Image(this, 'image', {
      name: config.image,
      // Destroying the database stack (the documented reset) must not delete a pulled image
      // that other projects on the machine may use.
      keepLocally: true,
    });
    this.image.overrideLogicalId('postgres');

    // Both files must be there, or the plan stops with what to do: read at plan time (the
    // generation) and at creation (the password), and written by the synth from the one setting.
    const files = [props.passwordFile.source, props.passwordFile.generation].map((f) => `fileexists(${JSON.stringify(f)})`);
    new TerraformLocal(this, 'password-file', `\${${files.join(' && ')}}`).overrideLogicalId('password_file_present');
    // Without the file the precondition refuses; a destroy (which checks none) needs no password.
    const sourceHash = `\${local.password_file_present ? trimspace(file(${JSON.stringify(props.passwordFile.generation)})) : ""}`;

    this.container = new Container(this, 'container', {
      name: config.containerName,
      image: this.image.imageId,
      // The password is a file, not an environment entry: the environment is a resource attribute
      // (in the state, in docker inspect); an upload with `source` keeps only its path and hash
      // (kreuzwerker/docker 3.6.2, resource_docker_container.go's "source"; the content is read at
      // create time in resource_docker_container_funcs.go and copied in before start).
      env: [`POSTGRES_USER=${config.user}`, `POSTGRES_DB=${config.database}`, `POSTGRES_PASSWORD_FILE=${CONTAINER_PASSWORD_FILE}`],
      upload: [
        {
          file: CONTAINER_PASSWORD_FILE,
          source: props.passwordFile.source,
          sourceHash,
          // Root's only: the image's entrypoint reads it as root (file_env) before it drops to the
          // postgres user, which never needs it.
          permissions: '0400',
        },
      ],
      command: postgresCommand(config),
      // One published port per loopback address (127.0.0.1 unless IPv6 is opted in): reachable
      // from this machine only, never from the LAN. Listed in the order Docker reads them back.
      ports: config.hostBindAddresses.map((ip) => ({ internal: config.containerPort, external: config.hostPort, ip, protocol: 'tcp' })),
      networksAdvanced: [{ name: props.networkName, aliases: [config.networkAlias] }],
      // The volume is named, not referenced: this stack must not read the data stack's state.
      volumes: [{ volumeName: config.volumeName, containerPath: config.dataPath }],
      healthcheck: {
        test: healthcheckTest(config),
        interval: goDuration(timing.intervalSeconds),
        timeout: goDuration(timing.timeoutSeconds),
        retries: timing.retries,
        startPeriod: goDuration(timing.startPeriodSeconds),
        // Left out unless opted in: any value but 0 makes the provider's Docker client refuse to
        // create the container on an engine older than 25 (API 1.44).
        ...(timing.startIntervalSeconds === undefined ? {} : { startInterval: goDuration(timing.startIntervalSeconds) }),
      },
      restart: config.restartPolicy,
      // The apply finishes only once PostgreSQL answers, so what runs after it (migrations) can
      // rely on a server.
      wait: true,
      waitTimeout: config.waitTimeoutSeconds,
      // must_run = true (the provider's default) makes every refresh, even a plain `plan`, DELETE
      // a stopped container (kreuzwerker/terraform-provider-docker#590). With false, a stopped
      // container reads back without its published ports (Docker lists none while it is stopped),
      // and `ports` forces replacement: the next deploy replaces it, on the same volume.
      mustRun: false,
      // The same grace for Terraform's delete and for Docker's own stops (docker stop, daemon
      // shutdown, quitting Docker Desktop), which otherwise kill PostgreSQL after 10 s.
      destroyGraceSeconds: config.destroyGraceSeconds,
      stopTimeout: config.destroyGraceSeconds,
      labels: dockerLabels(config.containerLabels),
      lifecycle: {
        precondition: [{ condition: '${local.password_file_present}', errorMessage: NO_PASSWORD_FILE }, ...(props.preconditions ?? [])],
      },
      ...(props.onCreate?.length ? { provisioners: props.onCreate } : {}),
    });
    this.container.overrideLogicalId('database');
  }
}
