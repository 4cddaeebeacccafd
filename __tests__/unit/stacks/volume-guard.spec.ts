import { ConfigError } from '../../../config/database';
import { VOLUME_GUARD_VARIABLE, volumeGuardLifted } from '../../../config/volume-guard';

describe('volumeGuardLifted', () => {
  it('keeps the guard when the variable is unset or empty', () => {
    expect(volumeGuardLifted('usualstore_db_data', {})).toBe(false);
    expect(volumeGuardLifted('usualstore_db_data', { [VOLUME_GUARD_VARIABLE]: '' })).toBe(false);
  });

  it('lifts it only for the exact volume name', () => {
    expect(volumeGuardLifted('usualstore_db_data', { [VOLUME_GUARD_VARIABLE]: 'usualstore_db_data' })).toBe(true);
  });

  it.each(['1', 'true', 'yes', 'USUALSTORE_DB_DATA', 'usualstore_db_data '])('refuses %j loudly instead of guessing', (value) => {
    expect(() => volumeGuardLifted('usualstore_db_data', { [VOLUME_GUARD_VARIABLE]: value })).toThrow(ConfigError);
    expect(() => volumeGuardLifted('usualstore_db_data', { [VOLUME_GUARD_VARIABLE]: value })).toThrow(
      /USUALSTORE_ALLOW_VOLUME_DESTROY must be exactly the volume name "usualstore_db_data"/,
    );
  });
});
