/**
 * A stack holding just the migration hook (the very construct the database stack uses), pointed
 * at a server of the test's choosing, for the hook's tests and bench. It is synthesized INSIDE
 * the project (under .test-out/), so the hook's relative paths from the stack directory reach
 * the project's bin/ as they do in a real deploy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { databaseUrl } from '../../config/database';
import { MIGRATION_HOOK_ID, MigrationHook } from '../../stacks/constructs/migration-hook';
import { MigrationsDirectory } from '../../tool/migrator/directory';
import { TEST_OUT } from './checkout';

export const HOOK_STACK = 'hook';
/** The hook's Terraform address in the stack. */
export const HOOK_ADDRESS = `terraform_data.${MIGRATION_HOOK_ID}`;

export interface HookTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

export interface HookStackOptions {
  /** The work directory (from makeHookWorkDir); cdktf.out goes inside it. */
  workDir: string;
  migrationsDir: string;
  target: HookTarget;
  /** The file holding the password (as the deploy's preflight writes .secrets/postgres-password). */
  passwordFile: string;
  waitSeconds?: number;
}

/** A fresh directory under .test-out/ (git-ignored) for one test file's or bench's stack. */
export function makeHookWorkDir(label: string): string {
  fs.mkdirSync(TEST_OUT, { recursive: true });
  return fs.mkdtempSync(path.join(TEST_OUT, `${label}-`));
}

/** The target of a postgres:// URL (its password is not part of the stack). */
export function hookTargetOf(url: string): HookTarget {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

/** Synthesizes (again) the hook stack; returns the stack's directory, where Terraform runs. */
export function synthHookStack(options: HookStackOptions): string {
  const app = new App({ outdir: path.join(options.workDir, 'cdktf.out') });
  const stack = new TerraformStack(app, HOOK_STACK);
  // Relative: cdktf's default local backend path is absolute. State stays in the stack dir.
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new MigrationHook(stack, 'migrations', {
    databaseUrl: databaseUrl(options.target),
    password: { file: options.passwordFile },
    waitSeconds: options.waitSeconds ?? 10,
    migrations: new MigrationsDirectory(options.migrationsDir),
  });
  app.synth();
  return path.join(options.workDir, 'cdktf.out', 'stacks', HOOK_STACK);
}

/** A password file as the deploy's preflight writes it: the password alone, owner-only. */
export function writeHookPassword(file: string, password: string): void {
  fs.writeFileSync(file, password, { mode: 0o600 });
}
