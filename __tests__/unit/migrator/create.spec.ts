import { nextVersion, validateName, versionAt } from '../../../tool/migrator/directory/create';

describe('migration versions', () => {
  const now = new Date('2026-03-04T05:06:07.890Z');

  it('is the 14-digit UTC time', () => {
    expect(versionAt(now)).toBe('20260304050607');
    expect(nextVersion([20240730180628n], now)).toBe('20260304050607');
    expect(nextVersion([], now)).toBe('20260304050607');
  });

  it('is one second after the newest existing version when the clock is behind it', () => {
    expect(nextVersion([20240730180628n, 20261231235959n], now)).toBe('20270101000000');
    expect(nextVersion([20260304050607n], now)).toBe('20260304050608');
  });

  it('is still strictly greater after a version that is no valid date', () => {
    expect(nextVersion([20269999999999n], now)).toBe('20270000000000');
  });
});

describe('migration names', () => {
  it.each(['add_index_to_orders', 'create_toke_table', 'v2', 'a1_b2'])('accepts %s', (name) =>
    expect(() => validateName(name)).not.toThrow(),
  );
  it.each(['', 'Add', 'add-index', 'add index', '_add', 'add_', 'add__index', '1st', '../evil', 'x'.repeat(121)])('rejects %j', (name) =>
    expect(() => validateName(name)).toThrow(/invalid migration name/),
  );
});
