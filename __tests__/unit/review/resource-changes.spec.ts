/** What the review says Terraform will do with each resource that changes (tool/review/resource-changes.ts). */
import { resourceChanges, type StackResources } from '../../../tool/review/resource-changes';

const stacks = (resources: Record<string, Record<string, unknown>>): Map<string, StackResources> =>
  new Map([['s', new Map(Object.entries(resources))]]);
const change = (before: Record<string, unknown>, after: Record<string, unknown>, address = 'docker_container.database') =>
  resourceChanges(stacks({ [address]: before }), stacks({ [address]: after }));

describe('resourceChanges', () => {
  it('a resource added is created, one removed destroyed (saying how to keep the real one)', () => {
    const [created] = resourceChanges(stacks({}), stacks({ 'docker_network.n': { name: 'n' } }));
    expect(created).toEqual({ stack: 's', address: 'docker_network.n', action: 'created', attributes: [] });
    const [destroyed] = resourceChanges(stacks({ 'docker_volume.v': { name: 'v' } }), stacks({}));
    expect(destroyed).toMatchObject({ action: 'destroyed', note: expect.stringContaining('`removed` block') });
  });

  it('the migration hook is replaced when a migration changes, never changed in place', () => {
    expect(change({ triggers_replace: { a: '1' } }, { triggers_replace: { a: '1', b: '2' } }, 'terraform_data.migrations')).toEqual([
      {
        stack: 's',
        address: 'terraform_data.migrations',
        action: 'replaced',
        attributes: ['triggers_replace'],
        note: 'its triggers_replace changes',
      },
    ]);
    expect(change({ input: { volume: 'a' } }, { input: { volume: 'b' } }, 'terraform_data.record')[0].action).toBe('changed in place');
  });

  it('a container is replaced for a ForceNew attribute, updated in place for the ones its update applies', () => {
    expect(change({ command: ['a'], restart: 'no' }, { command: ['b'], restart: 'no' })[0]).toMatchObject({
      action: 'replaced',
      attributes: ['command'],
      note: 'the provider replaces a container for `command`',
    });
    expect(change({ restart: 'no', memory: 1 }, { restart: 'always', memory: 2 })[0]).toEqual({
      stack: 's',
      address: 'docker_container.database',
      action: 'changed in place',
      attributes: ['memory', 'restart'],
    });
  });

  it('says when the provider records a change without applying it to the running container', () => {
    expect(change({ healthcheck: { interval: '10s' } }, { healthcheck: { interval: '5s' } })[0]).toMatchObject({
      action: 'changed in place',
      note: expect.stringMatching(/records `healthcheck` but does not apply it to the running container .* terraform apply -replace=/),
    });
    expect(change({ wait_timeout: 60 }, { wait_timeout: 120 })[0].note).toBe('a setting of the provider itself: nothing in Docker changes');
  });

  it('a provisioner or lifecycle change alone plans nothing, and says so', () => {
    const [provisioned] = change({ provisioner: [{ a: 1 }] }, { provisioner: [{ a: 2 }] }, 'terraform_data.migrations');
    expect(provisioned).toMatchObject({ action: 'no planned change', attributes: ['provisioner'] });
    expect(provisioned.note).toMatch(/does not compare provisioners/);
    expect(change({ lifecycle: { prevent_destroy: true } }, { lifecycle: { prevent_destroy: false } })[0].action).toBe('no planned change');
    expect(change({ '//': { metadata: 1 } }, { '//': { metadata: 2 } })).toEqual([]);
  });

  it('a type it does not know: changed, with the plan to say whether in place', () => {
    expect(change({ a: 1 }, { a: 2 }, 'aws_db_instance.database')[0]).toMatchObject({
      action: 'changed in place',
      note: expect.stringContaining('the plan says which'),
    });
  });
});
