/**
 * Synthesized stacks made runnable by Terraform here: the docker provider cannot be downloaded, so
 * its provider block goes and each docker resource stands on as a terraform_data of its own
 * (`docker_<type>_<name>`) whose input and triggers_replace are the resource's whole configuration
 * (any change replaces it, as the provider's ForceNew attributes replace a container), with the
 * resource's own lifecycle (its preconditions, prevent_destroy), provisioners and depends_on.
 * References to a docker resource are pointed at its stand-in: an attribute the configuration
 * sets reads the stand-in's output, a computed one (an id) its id. Everything else, the backend,
 * the locals and the migration hook included, is the synthesized JSON as is.
 */
import fs from 'node:fs';
import path from 'node:path';

type Json = Record<string, any>;

export interface CutOptions {
  /** Keep the provisioners (the container's password step, the migration hook): they run against
   * the database the stack names. @default true */
  commands?: boolean;
}

const standIn = (type: string, name: string) => `${type}_${name}`;

export function withoutDocker(json: Json, options: CutOptions = {}): Json {
  const copy: Json = structuredClone(json);
  delete copy.provider?.docker;
  if (copy.provider && Object.keys(copy.provider).length === 0) delete copy.provider;
  delete copy.terraform?.required_providers?.docker;
  if (copy.terraform?.required_providers && Object.keys(copy.terraform.required_providers).length === 0)
    delete copy.terraform.required_providers;
  const resources: Json = copy.resource ?? {};
  const configured = new Map<string, Json>();
  for (const type of Object.keys(resources).filter((t) => t.startsWith('docker_'))) {
    for (const [name, body] of Object.entries<Json>(resources[type])) {
      const { lifecycle, provisioner, depends_on, '//': _metadata, ...config } = body;
      configured.set(`${type}.${name}`, config);
      (resources.terraform_data ??= {})[standIn(type, name)] = {
        input: config,
        triggers_replace: config,
        ...(lifecycle ? { lifecycle } : {}),
        ...(provisioner ? { provisioner } : {}),
        ...(depends_on ? { depends_on } : {}),
      };
    }
    delete resources[type];
  }
  if (options.commands === false) for (const body of Object.values<Json>(resources.terraform_data ?? {})) delete body.provisioner;
  if (Object.keys(resources).length) copy.resource = resources;
  // Every reference to a docker resource, in expressions and in depends_on, to its stand-in.
  const text = JSON.stringify(copy).replace(
    /\bdocker_(\w+)\.(\w+)(?:\.(\w+))?/g,
    (whole, type: string, name: string, attribute: string | undefined) => {
      const config = configured.get(`docker_${type}.${name}`);
      if (!config) return whole;
      const address = `terraform_data.${standIn(`docker_${type}`, name)}`;
      if (attribute === undefined) return address;
      return attribute in config ? `${address}.output.${attribute}` : `${address}.id`;
    },
  );
  return JSON.parse(text) as Json;
}

/** Rewrites <stackDir>/cdk.tf.json without docker (see above); returns the JSON as synthesized. */
export function cutDocker(stackDir: string, extra?: (json: Json) => void, options?: CutOptions): Json {
  const file = path.join(stackDir, 'cdk.tf.json');
  const synthesized = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  const cut = withoutDocker(synthesized, options);
  extra?.(cut);
  fs.writeFileSync(file, JSON.stringify(cut, null, 2));
  return synthesized;
}
