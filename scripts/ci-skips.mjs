// After `npm test` in CI: a test that could not do its work is skipped, never passed, and leaves a
// record in .test-out/skipped/ (__tests__/support/skip.ts). CI's machines can run every layer below,
// so a skip of one of them there means a missing install step or a broken setup, and fails the run;
// elsewhere (a laptop without root or Docker) the skips are only listed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_IN_CI = ['docker-engine', 'production', 'root', 'pgbouncer'];
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.test-out', 'skipped');
const skips = fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) : [];
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
const required = skips.filter((skip) => REQUIRED_IN_CI.includes(skip.layer));
for (const skip of skips) console.error(`ci: skipped (${skip.layer}): ${skip.what} need ${skip.reason}`);
if (inCi && required.length > 0) {
  console.error(
    `ci: ${required.length} test group(s) that CI must run were skipped (${[...new Set(required.map((s) => s.layer))].join(', ')}); failing`,
  );
  process.exit(1);
}
