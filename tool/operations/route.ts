/**
 * How backup, restore, copy and shell reach PostgreSQL's client tools: `docker exec` into the
 * running container, or the local tools with the target's parts in PG* variables. A choice made
 * from the target the command resolved (db/resolve.ts), never a second reading of the URL: the
 * container is used when the target is its published port and it runs. Pure but for the probe, so
 * it is unit-tested in full although no Docker daemon runs there.
 */
import { pointsAtContainer, withDatabase, type DatabaseTarget } from '../db';
import { type DatabaseConfig, loadConfig } from '../../config/database';
import { describeContainerState, probeContainer, type ContainerState } from './container';

export type ClientRoute =
  | { kind: 'docker'; container: string; user: string; database: string; label: string; why: string }
  | { kind: 'local'; target: DatabaseTarget; label: string; why: string };

export interface RouteInput {
  target: DatabaseTarget;
  config: Pick<DatabaseConfig, 'containerName' | 'hostPort'>;
  /** Called only when the answer depends on it (it runs `docker inspect`). */
  probe: () => ContainerState;
}

export function chooseRoute({ target, config, probe }: RouteInput): ClientRoute {
  const name = config.containerName;
  // A URL naming another server wins: going through the container would back up (or restore
  // into!) a different database than the one the user named.
  if (!pointsAtContainer(target, config)) {
    return {
      kind: 'local',
      target,
      label: target.label,
      why: `local client tools: ${target.host}:${target.port} is not ${name}'s published port`,
    };
  }
  const state = probe();
  if (state.state === 'running') {
    // Its client tools always match its server (the seed does the same).
    return {
      kind: 'docker',
      container: name,
      user: target.user,
      database: target.database,
      label: `${target.user}@${name}/${target.database}`,
      why: `docker exec into ${name}`,
    };
  }
  return { kind: 'local', target, label: target.label, why: `local client tools: ${describeContainerState(name, state)}` };
}

/** The same route to another database of the same server (a scratch database, `postgres`). */
export function routeToDatabase(route: ClientRoute, database: string): ClientRoute {
  if (route.kind === 'local') {
    const target = withDatabase(route.target, database);
    return { ...route, target, label: target.label };
  }
  return { ...route, database, label: `${route.user}@${route.container}/${database}` };
}

/** The route to `target` with this machine's configuration and container. */
export function routeTo(target: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): ClientRoute {
  const config = loadConfig(env);
  return chooseRoute({ target, config, probe: () => probeContainer(config.containerName) });
}
