/**
 * A scratch database on the target's server, for work that must not touch the target itself (a
 * backup restored to be checked, a rehearsal of migrations): created, handed to the work, and
 * dropped however the work ends. A signal cannot wait for DROP DATABASE: an interruption's line
 * names the database instead, so that it can be dropped by hand.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../base/errors';
import { interruptible } from '../base/interruption';
import { describeQueryError } from './errors';
import { withSession } from './session';
import { withDatabase, type DatabaseTarget } from './target';

export interface ScratchDatabase {
  /** Its name (usualstore_<purpose>_<random>). */
  name: string;
  /** The target's server and credentials, this database. */
  target: DatabaseTarget;
}

export interface ScratchOptions {
  /** In its name: usualstore_<purpose>_…. */
  purpose: string;
  /** Made as a copy of this database (CREATE DATABASE … TEMPLATE: nobody may be connected to it).
   * @default template0, empty */
  template?: string;
  /** What the command was doing, for the interruption's line: "backup of X stopped while verifying; nothing was written". */
  interrupted: string;
  /** Why it is needed, for the refusal when it cannot be made: "cannot verify the archive". */
  needed: string;
}

/** No scratch database could be made there (no CREATEDB, say): what a caller may fall back from. */
export class ScratchDatabaseRefused extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ScratchDatabaseRefused';
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function withScratchDatabase<T>(
  target: DatabaseTarget,
  options: ScratchOptions,
  work: (scratch: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const name = `usualstore_${options.purpose}_${randomBytes(4).toString('hex')}`;
  return withSession(target, {}, async (admin) => {
    try {
      await admin.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(options.template ?? 'template0')}`);
    } catch (error) {
      throw new ScratchDatabaseRefused(`${options.needed}: no scratch database (${describeQueryError(error)}); the user needs CREATEDB`);
    }
    const step = { describe: () => `${options.interrupted}; the scratch database ${name} may remain: drop it (DROP DATABASE ${name})` };
    try {
      return await interruptible(step, () => work({ name, target: withDatabase(target, name) }));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`).catch(() => {});
    }
  });
}
