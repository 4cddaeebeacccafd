/**
 * Synthesized stacks made runnable by Terraform here: the docker provider cannot be downloaded,
 * so its provider block, resources and the outputs that read them are cut out; the container's
 * password upload stands on as a terraform_data whose triggers_replace holds the same expressions
 * (a change replaces it, as the provider's ForceNew replaces the container). Everything else,
 * the backend included, is the synthesized JSON as is.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Upload {
  file: string;
  source: string;
  source_hash: string;
  permissions: string;
}

export function withoutDocker(json: Record<string, any>): Record<string, any> {
  const copy = structuredClone(json);
  const upload = json.resource?.docker_container?.database?.upload as Upload[] | undefined;
  delete copy.provider;
  delete copy.resource;
  delete copy.terraform.required_providers;
  for (const [name, output] of Object.entries<{ value: unknown }>(copy.output ?? {})) {
    if (JSON.stringify(output.value).includes('docker_')) delete copy.output[name];
  }
  if (upload) copy.resource = { terraform_data: { container_upload: { triggers_replace: upload[0] } } };
  return copy;
}

/** Rewrites <stackDir>/cdk.tf.json without docker (see above); returns the JSON as synthesized. */
export function cutDocker(stackDir: string, extra?: (json: Record<string, any>) => void): Record<string, any> {
  const file = path.join(stackDir, 'cdk.tf.json');
  const synthesized = JSON.parse(fs.readFileSync(file, 'utf8'));
  const cut = withoutDocker(synthesized);
  extra?.(cut);
  fs.writeFileSync(file, JSON.stringify(cut, null, 2));
  return synthesized;
}
