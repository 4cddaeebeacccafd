/** What status warns about, decided from plain facts; of the migrations, what migrate up would say. */
import { statusWarnings, type WarningFacts } from '../../../tool/operations/status-warnings';

const quiet: WarningFacts = {
  shippedHashUsers: [],
  connections: { used: 3, max: 200 },
  pending: [],
  verdict: { warnings: [] },
  invalidIndexes: [],
};

describe('statusWarnings', () => {
  it('none for a healthy database', () => {
    expect(statusWarnings(quiet)).toEqual([]);
  });

  it('the shipped admin password first, one per user holding it', () => {
    const warnings = statusWarnings({ ...quiet, shippedHashUsers: [{ id: '1', email: 'boss@shop.test' }], pending: ['x'] });
    expect(warnings[0]).toMatch(/^SECURITY: user boss@shop\.test \(id 1\) still has the demo administrator's password/);
    expect(warnings).toHaveLength(2);
  });

  it('connections from 80% of max_connections', () => {
    expect(statusWarnings({ ...quiet, connections: { used: 159, max: 200 } })).toEqual([]);
    expect(statusWarnings({ ...quiet, connections: { used: 160, max: 200 } })).toEqual([
      'connections: 160 of max_connections 200 in use; new connections will soon be refused',
    ]);
  });

  it("the policy's refusal replaces the pending warning (up would not run them)", () => {
    const warnings = statusWarnings({ ...quiet, pending: ['a', 'b'], verdict: { refusal: 'db was migrated by soda …', warnings: [] } });
    expect(warnings).toEqual(['migrate up would refuse: db was migrated by soda …']);
  });

  it('an invalid index, with the fix; once only when it is what stops migrate up', () => {
    expect(statusWarnings({ ...quiet, invalidIndexes: ['public.things_label on things'] })).toEqual([
      'index public.things_label on things is invalid (a CREATE INDEX CONCURRENTLY failed or was stopped): drop it (DROP INDEX CONCURRENTLY public.things_label) and build it again',
    ]);
    const refused = statusWarnings({
      ...quiet,
      pending: ['a'],
      invalidIndexes: ['public.x on t'],
      verdict: { refusal: 'refusing to migrate: index public.x on t is invalid …', refusedFor: 'invalid-index', warnings: [] },
    });
    expect(refused).toEqual(['migrate up would refuse: index public.x on t is invalid …']);
  });

  it("pending migrations by name, and the policy's warnings", () => {
    expect(
      statusWarnings({ ...quiet, pending: ['b'], verdict: { warnings: ['warning: applied migrations with no file in /m: gone (…)'] } }),
    ).toEqual([
      '1 migration pending (b): run ./usualstore-db migrate plan, then migrate up',
      'applied migrations with no file in /m: gone (…)',
    ]);
  });
});
