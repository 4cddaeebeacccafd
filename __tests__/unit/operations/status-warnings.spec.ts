/** What status warns about, decided from plain facts. */
import { statusWarnings, type WarningFacts } from '../../../tool/operations/status-warnings';

const quiet: WarningFacts = {
  shippedHashUsers: [],
  unadoptedSodaVersions: 0,
  connections: { used: 3, max: 200 },
  migrations: { applied: ['a'], pending: [], edited: [] },
  missing: [],
};

describe('statusWarnings', () => {
  it('none for a healthy database', () => {
    expect(statusWarnings(quiet)).toEqual([]);
  });

  it('the shipped admin password first, one per user holding it', () => {
    const warnings = statusWarnings({ ...quiet, shippedHashUsers: [{ id: '1', email: 'boss@shop.test' }], migrations: { applied: [], pending: ['x'], edited: [] } });
    expect(warnings[0]).toMatch(/^SECURITY: user boss@shop\.test \(id 1\) still has the demo administrator's password/);
    expect(warnings).toHaveLength(2);
  });

  it('connections from 80% of max_connections', () => {
    expect(statusWarnings({ ...quiet, connections: { used: 159, max: 200 } })).toEqual([]);
    expect(statusWarnings({ ...quiet, connections: { used: 160, max: 200 } })).toEqual(['connections: 160 of max_connections 200 in use; new connections will soon be refused']);
  });

  it('a soda database not adopted replaces the pending warning (up would re-run history)', () => {
    const warnings = statusWarnings({ ...quiet, unadoptedSodaVersions: 24, migrations: { applied: [], pending: ['a', 'b'], edited: [] } });
    expect(warnings).toEqual(['migrated by soda (schema_migration holds 24 versions) but not adopted: run usualstore-db migrate adopt before migrate up']);
  });

  it('edited and missing migrations by name', () => {
    expect(statusWarnings({ ...quiet, migrations: { applied: ['a'], pending: [], edited: ['a'] }, missing: ['gone'] })).toEqual([
      'applied migrations edited since they were applied (checksum differs): a',
      'applied migrations with no file: gone',
    ]);
  });
});
