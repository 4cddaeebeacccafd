/**
 * What a change of the synthesized stacks does to each resource, as Terraform will plan it: created,
 * replaced, changed in place, destroyed, or nothing at all (a provisioner or lifecycle change alone
 * plans no change). Without a state or the providers (a pull-request check has neither) the action
 * follows from which attributes change and whether the resource's type replaces itself for them:
 * terraform_data replaces itself for triggers_replace and updates `input` in place; the docker
 * provider's attributes come from kreuzwerker/docker 3.6.2's schema (every attribute not listed
 * below is ForceNew there: resource_docker_container.go, _volume.go, _network.go, _image.go).
 */

export type ResourceAction = 'created' | 'replaced' | 'changed in place' | 'destroyed' | 'no planned change';

export interface ResourceChange {
  stack: string;
  /** type.name */
  address: string;
  action: ResourceAction;
  /** The attributes (top-level keys) whose value changes. */
  attributes: string[];
  /** What a reviewer should know beyond the action, in words. */
  note?: string;
}

type Body = Record<string, unknown>;

/** Keys that configure Terraform's handling of the resource, not the resource: a change of them
 * alone plans nothing (Terraform does not compare provisioners; lifecycle and depends_on order). */
const META = new Set(['//', 'provisioner', 'lifecycle', 'depends_on', 'connection']);

/**
 * Attributes a docker resource changes without being replaced (kreuzwerker/docker 3.6.2), and what
 * that change does. `applied`: the provider's update sends it to Docker (resourceDockerContainerUpdate);
 * `provider`: a setting of the provider's own, nothing in Docker changes; `recorded`: not ForceNew and
 * not sent by the update either, so the state takes the new value while the running container keeps
 * the old one (replace it to apply: terraform apply -replace=ADDRESS).
 */
const IN_PLACE: Record<string, Record<string, 'applied' | 'provider' | 'recorded'>> = {
  docker_container: {
    restart: 'applied',
    max_retry_count: 'applied',
    cpu_shares: 'applied',
    memory: 'applied',
    memory_swap: 'applied',
    cpu_set: 'applied',
    must_run: 'provider',
    wait: 'provider',
    wait_timeout: 'provider',
    destroy_grace_seconds: 'provider',
    rm: 'provider',
    start: 'provider',
    attach: 'provider',
    logs: 'provider',
    remove_volumes: 'provider',
    container_read_refresh_timeout_milliseconds: 'provider',
    healthcheck: 'recorded',
    tmpfs: 'recorded',
    init: 'recorded',
    cpu_period: 'recorded',
    cpu_quota: 'recorded',
  },
  docker_image: { keep_locally: 'provider', force_remove: 'provider', build: 'applied' },
  docker_volume: {},
  docker_network: {},
  terraform_data: { input: 'applied' },
};

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

const quoted = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');

/** The action for one resource present on both sides. */
function changeOf(type: string, before: Body, after: Body): Pick<ResourceChange, 'action' | 'attributes' | 'note'> | undefined {
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((key) => stable(before[key]) !== stable(after[key]))
    .sort();
  if (changed.length === 0) return undefined;
  const attributes = changed.filter((key) => !META.has(key));
  const meta = changed.filter((key) => META.has(key) && key !== '//');
  if (attributes.length === 0) {
    if (meta.length === 0) return undefined;
    return {
      action: 'no planned change',
      attributes: meta,
      note: meta.includes('provisioner')
        ? 'Terraform does not compare provisioners: the new command runs the next time the resource is created'
        : `${quoted(meta)} only: nothing to apply`,
    };
  }
  const table = IN_PLACE[type];
  if (!table)
    return {
      action: 'changed in place',
      attributes,
      note: `${type} is not a type this review knows: its provider decides between in place and replaced, and the plan says which`,
    };
  const forcing = attributes.filter((key) => !(key in table));
  if (forcing.length) {
    const why =
      type === 'terraform_data'
        ? 'its triggers_replace changes'
        : `the provider replaces a ${type.replace(/^docker_/, '')} for ${quoted(forcing)}`;
    return { action: 'replaced', attributes, note: why };
  }
  const recorded = attributes.filter((key) => table[key] === 'recorded');
  const providerOnly = attributes.every((key) => table[key] === 'provider');
  return {
    action: 'changed in place',
    attributes,
    ...(recorded.length
      ? {
          note: `the provider records ${quoted(recorded)} but does not apply it to the running container (kreuzwerker/docker 3.6.2); to apply it, replace the container: terraform apply -replace=${type}.NAME`,
        }
      : providerOnly
        ? { note: 'a setting of the provider itself: nothing in Docker changes' }
        : {}),
  };
}

export type StackResources = Map<string, Body>;

/** Every resource whose configuration differs between the two synths, with its action. */
export function resourceChanges(before: Map<string, StackResources>, after: Map<string, StackResources>): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const stack of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(stack) ?? new Map<string, Body>();
    const now = after.get(stack) ?? new Map<string, Body>();
    for (const address of [...new Set([...old.keys(), ...now.keys()])].sort()) {
      const a = old.get(address);
      const b = now.get(address);
      if (!a) changes.push({ stack, address, action: 'created', attributes: [] });
      else if (!b)
        changes.push({
          stack,
          address,
          action: 'destroyed',
          attributes: [],
          note: 'a volume or container removed from the code is destroyed with it; a `removed` block keeps the real one',
        });
      else {
        const change = changeOf(address.split('.')[0], a, b);
        if (change) changes.push({ stack, address, ...change });
      }
    }
  }
  return changes;
}
