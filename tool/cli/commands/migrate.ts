/**
 * `usualstore-db migrate <subcommand>`: dispatches through a table, each subcommand in its own
 * module loaded on demand (`migrate up` runs in every deploy; it should not pay for the others).
 */
import { UserError } from '../../base/errors';
import type { Command } from '../main';

const SUBCOMMANDS: Record<string, () => Command> = {
  up: () => require('./migrate-up').migrateUp,
  down: () => require('./migrate-down').migrateDown,
  status: () => require('./migrate-status').migrateStatus,
  create: () => require('./migrate-create').migrateCreate,
  plan: () => require('./migrate-plan').migratePlan,
  adopt: () => require('./migrate-adopt').migrateAdopt,
};

export async function migrate(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const load = name === undefined ? undefined : Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!load) {
    const known = Object.keys(SUBCOMMANDS).join(', ');
    throw new UserError(name === undefined ? `migrate needs a subcommand: ${known}` : `unknown migrate subcommand "${name}"; expected one of: ${known}`);
  }
  return load()(rest);
}
