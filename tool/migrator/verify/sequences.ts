/**
 * Sequence positions, to report what a rolled-back transaction could not undo: PostgreSQL never
 * rolls back nextval(), so an INSERT that is rolled back still uses up the numbers it drew.
 * (Putting them back with setval() is not safe on a live database: the application may have
 * drawn the next numbers meanwhile, and would then get duplicates.)
 */
import type { Queryable } from '../history/bookkeeping';

export type SequencePositions = Map<string, string | null>;

export async function readSequencePositions(db: Queryable): Promise<SequencePositions> {
  const { rows } = await db.query<{ name: string; last_value: string | null }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) AS name, last_value::text FROM pg_sequences`,
  );
  return new Map(rows.map((r) => [r.name, r.last_value]));
}

/** Sequences that existed before and moved since, as "name a -> b". */
export function advancedSequences(before: SequencePositions, after: SequencePositions): string[] {
  const moved: string[] = [];
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now !== undefined && now !== was) moved.push(`${name} ${was ?? 'unused'} -> ${now}`);
  }
  return moved;
}
