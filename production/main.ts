/**
 * The production app: UsualStore's database on Amazon RDS for PostgreSQL 15, the same schema and
 * the same migration hook as the local database. An app of its own (with its own package.json) so
 * that the 361 MB AWS provider binding is installed only where production is deployed from; cdktf
 * and constructs are the root install's (production/.npmrc), so both apps share one copy.
 */
import path from 'node:path';
import { App } from 'cdktf';
import { appOutdir } from '../tool/base/cdktf-json';
import { UserError } from '../tool/base/errors';
import { loadConfig } from '../config/database';
import { loadStateBackend } from '../config/state-backend';
import { ProductionDatabaseStack } from './stacks/production-stack';
import { synthApp } from '../stacks/synth';

try {
  const app = new App({ outdir: appOutdir(path.resolve(__dirname)) });
  new ProductionDatabaseStack(app, 'usualstore-production', { state: loadStateBackend(process.env, loadConfig()) });
  synthApp(app, path.resolve(__dirname));
} catch (error) {
  // A stray file in migrations/, an output directory outside the project: the user's to fix.
  if (!(error instanceof UserError)) throw error;
  process.stderr.write(`usualstore: ${error.message}\n`);
  process.exitCode = 1;
}
