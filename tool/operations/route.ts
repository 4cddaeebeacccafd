/**
 * How backup, restore and shell reach PostgreSQL's client tools: `docker exec` into the running
 * container, or the local tools with the URL's parts in PG* variables. The decision is a pure
 * function of the URL (if any), the configuration and the container's state, so it is
 * unit-tested in full although no Docker daemon runs where the tests run.
 */
import { UserError } from '../base/errors';
import { type DatabaseTarget, resolveTarget } from '../db/target';
import { type DatabaseConfig, loadConfig } from '../../config/database';
import { describeContainerState, probeContainer, type ContainerState } from './container';

export type ClientRoute =
  | { kind: 'docker'; container: string; user: string; database: string; label: string; why: string }
  | { kind: 'local'; target: DatabaseTarget; label: string; why: string };

export interface RouteInput {
  /** From --database-url or DATABASE_URL; undefined when neither is given. */
  target?: DatabaseTarget;
  config: Pick<DatabaseConfig, 'containerName' | 'hostPort' | 'user' | 'database'>;
  /** Called only when the answer depends on it (it runs `docker inspect`). */
  probe: () => ContainerState;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;

/** Whether the URL names the container's published port on this machine. */
export function pointsAtContainer(target: DatabaseTarget, config: RouteInput['config']): boolean {
  return LOOPBACK.test(target.host) && target.port === config.hostPort;
}

export function chooseRoute({ target, config, probe }: RouteInput): ClientRoute {
  const name = config.containerName;
  // A URL naming another server wins: going through the container would back up (or restore
  // into!) a different database than the one the user named.
  if (target && !pointsAtContainer(target, config)) {
    return { kind: 'local', target, label: target.label, why: `local client tools: ${target.host}:${target.port} is not ${name}'s published port` };
  }
  const state = probe();
  if (state.state === 'running') {
    const user = target?.user ?? config.user;
    const database = target?.database ?? config.database;
    return { kind: 'docker', container: name, user, database, label: `${user}@${name}/${database}`, why: `docker exec into ${name}` };
  }
  const reason = describeContainerState(name, state);
  if (target) return { kind: 'local', target, label: target.label, why: `local client tools: ${reason}` };
  throw new UserError(`${reason} and no database URL is given: start the container (npm run deploy) or set DATABASE_URL (or pass --database-url)`);
}

/**
 * The route from the command's options and the environment: the URL if one is given, the
 * stacks' configuration (container name, published port, user, database) and, when it
 * matters, the container's state.
 */
export function resolveRoute(databaseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): ClientRoute {
  // Without a URL the container is the only candidate; with an invalid one, say so at once.
  const given = databaseUrl !== undefined || (env.DATABASE_URL ?? '').trim() !== '';
  const target = given ? resolveTarget({ databaseUrl, env }) : undefined;
  const config = loadConfig(env);
  return chooseRoute({ target, config, probe: () => probeContainer(config.containerName) });
}
