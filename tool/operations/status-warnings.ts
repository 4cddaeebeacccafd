/**
 * What `status` warns about, decided from plain facts (pure: unit-tested without a server). The
 * shipped admin password comes first and loudest: it is the one that lets a stranger in. What it
 * says of the migrations is what `migrate up` would say (the policy's verdict, policy.ts).
 */
import { shortList } from '../base/text';
import type { Verdict } from '../migrator/history/policy';

export interface WarningFacts {
  /** Users whose password is still the hash published with the original migrations. */
  shippedHashUsers: { id: string; email: string | null }[];
  connections: { used: number; max: number };
  /** Pending migrations, oldest first. */
  pending: string[];
  /** The policy's verdict on `migrate up` against this database. */
  verdict: Verdict;
  /** Indexes a failed CREATE INDEX CONCURRENTLY left invalid. */
  invalidIndexes: string[];
}

/** At this share of max_connections, new application connections are about to be refused. */
export const CONNECTIONS_WARNING_RATIO = 0.8;

export function statusWarnings(facts: WarningFacts): string[] {
  const warnings: string[] = [];
  for (const user of facts.shippedHashUsers) {
    warnings.push(
      `SECURITY: user ${user.email ?? '(no email)'} (id ${user.id}) still has the demo administrator's password from the public migrations (admin@example.com's shipped hash); anyone can log in with it: change that password now`,
    );
  }
  const { used, max } = facts.connections;
  if (used >= max * CONNECTIONS_WARNING_RATIO)
    warnings.push(`connections: ${used} of max_connections ${max} in use; new connections will soon be refused`);
  const { pending, verdict } = facts;
  if (verdict.refusal) warnings.push(`migrate up would refuse: ${verdict.refusal.replace(/^refusing to migrate: /, '')}`);
  else if (pending.length > 0) {
    warnings.push(
      `${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${shortList(pending, 3)}): run ./usualstore-db migrate plan, then migrate up`,
    );
  }
  warnings.push(...verdict.warnings.map((warning) => warning.replace(/^warning: /, '')));
  if (verdict.refusedFor !== 'invalid-index') {
    for (const index of facts.invalidIndexes) {
      warnings.push(
        `index ${index} is invalid (a CREATE INDEX CONCURRENTLY failed or was stopped): drop it (DROP INDEX CONCURRENTLY ${index.split(' on ')[0]}) and build it again`,
      );
    }
  }
  return warnings;
}
