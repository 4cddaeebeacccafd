/**
 * The post-deploy hook: a `terraform_data` resource (built into Terraform >= 1.4, no provider to
 * download) whose local-exec provisioner runs `usualstore-db migrate up --wait` against the
 * database once it exists, so that a deploy ends with a fully migrated database. It is replaced,
 * and so runs again, when and only when the migrations directory's content changes: a pull
 * request adding a migration shows the hook's replacement in its plan.
 */
import path from 'node:path';
import { Construct } from 'constructs';
import { DataResource, Fn, ITerraformDependable } from 'cdktf';
import { fromStackDir, PROJECT_ROOT } from '../stack-paths';
import { migrationChecksums } from './migrations-hash';

export interface MigrationHookProps {
  /** Where the migrator connects from this machine (the container's published address). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The password as a Terraform expression (var.postgres_password): never a literal. */
  readonly password: string;
  /** How long the migrator waits for the server to accept connections (`--wait`). */
  readonly waitSeconds: number;
  /** The migrations to apply, hashed at synth (default: the project's migrations/). */
  readonly migrationsDir?: string;
  /** What must exist before the migrations run (the container). */
  readonly dependsOn?: ITerraformDependable[];
}

/** A word for /bin/sh: left bare when it is plainly safe, single-quoted otherwise. */
function shellWord(word: string): string {
  return /^[\w./=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Terraform reads "${" and "%{" in JSON strings as templates; "$${" and "%%{" are literal. */
function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

/** postgres://user@host:port/database: no password, so it is safe in the JSON and in logs. */
export function passwordlessUrl(props: Pick<MigrationHookProps, 'host' | 'port' | 'user' | 'database'>): string {
  const host = props.host.includes(':') ? `[${props.host}]` : props.host;
  return `postgres://${encodeURIComponent(props.user)}@${host}:${props.port}/${encodeURIComponent(props.database)}`;
}

export class MigrationHook extends Construct {
  readonly resource: DataResource;
  /** The triggers_replace value: each migration file's sha256 at synth, by file name. */
  readonly migrationChecksums: Record<string, string>;

  constructor(scope: Construct, id: string, props: MigrationHookProps) {
    super(scope, id);
    const migrationsDir = path.resolve(props.migrationsDir ?? path.join(PROJECT_ROOT, 'migrations'));
    this.migrationChecksums = migrationChecksums(migrationsDir);

    // Terraform runs provisioners in the stack's working directory: paths are relative to it.
    const cli = fromStackDir(this, path.join(PROJECT_ROOT, 'bin', 'usualstore-db.js'));
    const command = ['node', cli, 'migrate', 'up', '--wait', String(props.waitSeconds), '--migrations-dir', fromStackDir(this, migrationsDir)];

    this.resource = new DataResource(this, 'hook', {
      triggersReplace: this.migrationChecksums,
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: 'local-exec',
          command: terraformLiteral(command.map(shellWord).join(' ')),
          environment: {
            DATABASE_URL: passwordlessUrl(props),
            // Lets the migrator word its errors for a deploy (a wrong password's usual cause).
            USUALSTORE_DEPLOY_HOOK: '1',
            // Node 20 reads NODE_EXTRA_CA_CERTS (a whole CA bundle on many machines) at every
            // start: ~40 ms of each deploy's migrate up. The hook talks to PostgreSQL on loopback
            // without TLS, so it needs no certificate; empty, Node skips the read.
            NODE_EXTRA_CA_CERTS: '',
            // The password goes to the migrator in its environment only: never on the command
            // line (visible in ps, printed by Terraform as "Executing: ...") nor in the URL.
            // nonsensitive(): Terraform suppresses ALL output of a provisioner whose
            // configuration references a sensitive value, which would hide the migrations'
            // progress and errors from the deploy log. Unmarking it here is safe: the JSON holds
            // only this expression, Terraform does not store a provisioner's configuration in
            // the state, and the migrator never prints the password (verified by
            // __tests__/integration/hook.spec.ts with Terraform 1.11).
            PGPASSWORD: Fn.nonsensitive(props.password),
          },
        },
      ],
    });
  }
}
