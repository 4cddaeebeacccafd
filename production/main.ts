/**
 * The production app: UsualStore's database on Amazon RDS for PostgreSQL 15, the same schema and
 * the same migrator as the local database. An app of its own (with its own package.json) so that
 * the 361 MB AWS provider binding is installed only where production is deployed from.
 */
import { App } from 'cdktf';
import { ProductionDatabaseStack } from './stacks/production-stack';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
new ProductionDatabaseStack(app, 'usualstore-production');
app.synth();
