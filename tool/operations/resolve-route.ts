/**
 * The route for backup, restore and shell from the command's options and the environment:
 * the URL if one is given, the stacks' configuration (container name, published port, user,
 * database) and, when it matters, the container's state.
 */
import { UserError } from '../base/errors';
import { resolveTarget } from '../db/target';
import { ConfigError, loadConfig } from '../../config/database';
import { probeContainer } from './container';
import { chooseRoute, type ClientRoute } from './route';

export function resolveRoute(databaseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): ClientRoute {
  // Without a URL the container is the only candidate; with an invalid one, say so at once.
  const given = databaseUrl !== undefined || (env.DATABASE_URL ?? '').trim() !== '';
  const target = given ? resolveTarget({ databaseUrl, env }) : undefined;
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
  return chooseRoute({ target, config, probe: () => probeContainer(config.containerName) });
}
