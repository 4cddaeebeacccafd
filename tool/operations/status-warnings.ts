/**
 * What `status` warns about, decided from plain facts (pure: unit-tested without a server).
 * The shipped admin password comes first and loudest: it is the one that lets a stranger in.
 */
import { shortList } from '../base/text';

export interface WarningFacts {
  /** Users whose password is still the hash published with the original migrations. */
  shippedHashUsers: { id: string; email: string | null }[];
  /** Versions in soda's schema_migration when usualstore-db has no bookkeeping yet (0 otherwise). */
  unadoptedSodaVersions: number;
  connections: { used: number; max: number };
  migrations: { applied: string[]; pending: string[]; edited: string[] };
  /** Applied migrations with no file. */
  missing: string[];
}

/** At this share of max_connections, new application connections are about to be refused. */
export const CONNECTIONS_WARNING_RATIO = 0.8;

const list = (names: string[]) => shortList(names, 3);

export function statusWarnings(facts: WarningFacts): string[] {
  const warnings: string[] = [];
  for (const user of facts.shippedHashUsers) {
    warnings.push(
      `SECURITY: user ${user.email ?? '(no email)'} (id ${user.id}) still has the demo administrator's password from the public migrations (admin@example.com's shipped hash); anyone can log in with it: change that password now`,
    );
  }
  const { used, max } = facts.connections;
  if (used >= max * CONNECTIONS_WARNING_RATIO) warnings.push(`connections: ${used} of max_connections ${max} in use; new connections will soon be refused`);
  const { pending, edited } = facts.migrations;
  if (facts.unadoptedSodaVersions > 0) {
    warnings.push(`migrated by soda (schema_migration holds ${facts.unadoptedSodaVersions} versions) but not adopted: run usualstore-db migrate adopt before migrate up`);
  } else if (pending.length > 0) {
    warnings.push(`${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${list(pending)}): run usualstore-db migrate plan, then migrate up`);
  }
  if (edited.length > 0) warnings.push(`applied migrations edited since they were applied (checksum differs): ${list(edited)}`);
  if (facts.missing.length > 0) warnings.push(`applied migrations with no file: ${list(facts.missing)}`);
  return warnings;
}
