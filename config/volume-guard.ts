/**
 * The guard on the data volume. Deleting it loses every row, so the volume carries Terraform's
 * lifecycle.prevent_destroy (any plan that would delete or replace it fails), and the guard is
 * lifted only for one synth by naming the volume in USUALSTORE_ALLOW_VOLUME_DESTROY: `npm run
 * wipe` sets it after the user has typed the volume name. A "1" or "yes" left in a shell profile
 * must not disarm it, so any other value is an error rather than a silent "no".
 */
import { ConfigError } from './database';

export const VOLUME_GUARD_VARIABLE = 'USUALSTORE_ALLOW_VOLUME_DESTROY';

/** True when the environment deliberately allows destroying `volumeName`. */
export function volumeGuardLifted(volumeName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[VOLUME_GUARD_VARIABLE];
  if (value === undefined || value === '') return false;
  if (value !== volumeName) {
    throw new ConfigError(
      `${VOLUME_GUARD_VARIABLE} must be exactly the volume name "${volumeName}" to allow deleting it (got ${JSON.stringify(value)}); unset it to keep the guard`,
    );
  }
  return true;
}
