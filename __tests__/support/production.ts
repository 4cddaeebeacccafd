/**
 * What the production app's tests need: whether the app is installed (`npm ci --prefix
 * production`), where this machine keeps the hashicorp/aws provider, and the provider settings that
 * let Terraform validate and plan offline (skip_* flags and dummy keys, in an override file only
 * the tests write).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './cli';

export const PRODUCTION_APP = path.join(PROJECT_ROOT, 'production');
export const PRODUCTION_STACK = 'usualstore-production';
export const PRODUCTION_EXAMPLE_VARS = path.join(PROJECT_ROOT, 'production.tfvars.example');

/** Undefined when the production app is installed; else why its tests cannot run. */
export function productionUnavailable(): string | undefined {
  return fs.existsSync(path.join(PRODUCTION_APP, 'node_modules', '@cdktf', 'provider-aws', 'package.json'))
    ? undefined
    : 'the production app is not installed (npm ci --prefix production)';
}

/** Where this machine keeps the hashicorp/aws provider, if it does (TF_PLUGIN_DIR, or the image's /opt/tf-plugins). */
export function awsPluginDir(): string | undefined {
  for (const dir of [process.env.TF_PLUGIN_DIR, '/opt/tf-plugins']) {
    if (dir && fs.existsSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws'))) return dir;
  }
  return undefined;
}

/** Written beside a synthesized production stack: the provider configured to plan offline. */
export function writeOfflineOverride(stackDir: string): void {
  fs.writeFileSync(
    path.join(stackDir, 'offline_override.tf.json'),
    JSON.stringify({
      provider: {
        aws: {
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          access_key: 'AKIAEXAMPLEEXAMPLE00',
          secret_key: 'offline',
        },
      },
    }),
  );
}
