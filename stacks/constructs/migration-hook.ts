/**
 * The post-deploy hook, the one both apps use (the local stack and production/): a
 * `terraform_data` resource (built into Terraform >= 1.4, no provider to download) whose
 * local-exec provisioner runs `usualstore-db migrate up --wait` against the database once it
 * exists, so that a deploy ends with a fully migrated database. It is replaced, and so runs
 * again, when and only when a migration file changes: its triggers are each file's checksum
 * (MigrationsDirectory.triggers), so a pull request adding a migration shows the hook's
 * replacement in its plan, naming the file. The apps differ only in what they hand it: the URL,
 * how the password is had, and how long to wait.
 */
import path from 'node:path';
import { Construct } from 'constructs';
import { DataResource, Fn, type IResolvable, ITerraformDependable, LocalExecProvisioner, Token } from 'cdktf';
import { projectRoot } from '../../tool/base/project';
import { MigrationsDirectory } from '../../tool/migrator/directory';
import { fromStackDir } from '../stack-paths';

/** How the migrator gets the password: never a literal, never on its command line. */
export type HookPassword =
  /** A file holding the password alone (absolute; the local stack's is the one the deploy's
   * checks write for the container, config/deploy-password.ts), read when the migrator
   * connects: no Terraform file, plan or state holds the password. */
  | { readonly file: string }
  /** A command the migrator runs when it connects (USUALSTORE_PASSWORD_COMMAND): production reads
   * the secret RDS keeps, so the password is in no Terraform file, plan or state. */
  | { readonly command: string };

export interface MigrationHookProps {
  /** The database, without a password (may hold Terraform expressions: an instance's address). */
  readonly databaseUrl: string;
  readonly password: HookPassword;
  /** How long the migrator waits for the server to accept connections (`--wait`). */
  readonly waitSeconds: number;
  /** The migrations to apply, hashed at synth. @default the project's migrations/ */
  readonly migrations?: MigrationsDirectory;
  /** What must exist before the migrations run (the container, the instance). */
  readonly dependsOn?: ITerraformDependable[];
  /** A Terraform boolean (var.run_migrations): the hook exists only while it is true. @default always */
  readonly enabled?: boolean | IResolvable;
}

/** A word for /bin/sh: left bare when it is plainly safe, single-quoted otherwise. */
function shellWord(word: string): string {
  return /^[\w./=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Terraform reads "${" and "%{" in JSON strings as templates; "$${" and "%%{" are literal. */
function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

export interface UsualstoreDbCommand {
  /** The command's words and options, after `usualstore-db`. */
  readonly args: string[];
  /** The database, without a password (may hold Terraform expressions: an instance's address). */
  readonly databaseUrl: string;
  readonly password: HookPassword;
}

/**
 * A local-exec provisioner that runs this checkout's usualstore-db against a database: the one
 * way a stack runs the command (the migration hook, the container's password), so the command
 * line, the password's way in and the environment are decided here once.
 */
export function usualstoreDbProvisioner(scope: Construct, props: UsualstoreDbCommand): LocalExecProvisioner {
  // Terraform runs provisioners in the stack's working directory: paths are relative to it.
  const cli = fromStackDir(scope, path.join(projectRoot(), 'bin', 'usualstore-db.js'));
  // Empty values count as unset (resolve.ts): a PGPASSWORD or password command inherited from
  // the shell that runs the deploy must not win over the deploy's own password.
  // A production command may hold Terraform expressions (the secret's ARN); a path is literal.
  const passwordCommand =
    'file' in props.password ? terraformLiteral(`cat ${shellWord(fromStackDir(scope, props.password.file))}`) : props.password.command;
  return {
    type: 'local-exec',
    command: terraformLiteral(['node', cli, ...props.args].map(shellWord).join(' ')),
    environment: {
      DATABASE_URL: props.databaseUrl,
      // Node 20 reads NODE_EXTRA_CA_CERTS (a whole CA bundle on many machines) at every
      // start: ~40 ms of each deploy's migrate up. The command needs none of it: locally it
      // talks to PostgreSQL on loopback without TLS, and with TLS it verifies the server
      // against the URL's sslrootcert alone.
      NODE_EXTRA_CA_CERTS: '',
      // The password never reaches the command line (visible in ps, printed by Terraform as
      // "Executing: ...") nor the URL.
      USUALSTORE_PASSWORD_COMMAND: passwordCommand,
      PGPASSWORD: '',
    },
  };
}

/** The hook's logical id: a fixed, readable address (terraform_data.migrations) that both apps'
 * plans, the review and the docs name, wherever the construct stands in the tree. */
export const MIGRATION_HOOK_ID = 'migrations';

export class MigrationHook extends Construct {
  readonly resource: DataResource;
  /** The triggers_replace value: each migration file's sha256 at synth, by file name. */
  readonly migrationChecksums: Record<string, string>;

  constructor(scope: Construct, id: string, props: MigrationHookProps) {
    super(scope, id);
    const migrations = props.migrations ?? MigrationsDirectory.ofProject();
    this.migrationChecksums = migrations.triggers();
    const args = ['migrate', 'up', '--wait', String(props.waitSeconds), '--migrations-dir', fromStackDir(this, migrations.path)];

    this.resource = new DataResource(this, 'hook', {
      triggersReplace: this.migrationChecksums,
      dependsOn: props.dependsOn,
      ...(props.enabled === undefined ? {} : { count: Token.asNumber(Fn.conditional(props.enabled, 1, 0)) }),
      provisioners: [usualstoreDbProvisioner(this, { args, databaseUrl: props.databaseUrl, password: props.password })],
    });
    this.resource.overrideLogicalId(MIGRATION_HOOK_ID);
  }
}
