/**
 * Tests that cannot do their work here are skipped, never passed: Jest reports them as skipped,
 * the reason is printed, and it is recorded under .test-out/skipped/ so that `.ci/run` can fail a
 * CI run in which a layer CI is expected to run (a real Docker Engine, the production app, root)
 * was skipped.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './cli';

/** What a skipped test needed. `.ci/run` requires docker-engine, production, root and pgbouncer in CI. */
export type Layer = 'docker-engine' | 'production' | 'root' | 'terminal' | 'openssl' | 'pgbouncer';

export const SKIPPED_DIR = path.join(PROJECT_ROOT, '.test-out', 'skipped');

/** The line a skipped test prints: what is skipped, then why (`unavailable` says what is missing
 * here: "pgbouncer is not installed ...", "no real Docker Engine: ..."). */
export function skipLine(what: string, unavailable: string): string {
  return `skipped: ${what}: ${unavailable}`;
}

function record(layer: Layer, what: string, reason: string): void {
  console.log(skipLine(what, reason));
  fs.mkdirSync(SKIPPED_DIR, { recursive: true });
  const id = createHash('sha256').update(`${layer}\n${what}`).digest('hex').slice(0, 12);
  fs.writeFileSync(path.join(SKIPPED_DIR, `${layer}-${id}.json`), JSON.stringify({ layer, what, reason }) + '\n');
}

/** `describe` when `unavailable` is undefined; otherwise `describe.skip`, the reason said and recorded. */
export function skipUnless(unavailable: string | undefined, layer: Layer, what: string): jest.Describe {
  if (unavailable === undefined) return describe;
  record(layer, what, unavailable);
  return describe.skip;
}

/** The same for one test. */
export function itUnless(unavailable: string | undefined, layer: Layer, what: string): jest.It {
  if (unavailable === undefined) return it;
  record(layer, what, unavailable);
  return it.skip;
}
