/**
 * What every UsualStore stack shares: the Docker provider and a local state file next to the
 * project, addressed by a RELATIVE path. cdktf's default LocalBackend path is absolute
 * (process.cwd()), which would put the author's home directory into the reviewed JSON and tie
 * the state to one checkout path.
 */
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';

/**
 * cdktf runs Terraform inside <project>/cdktf.out/stacks/<stack>, so three levels up is the
 * project root: the state lands where cdktf's default would have put it
 * (terraform.<stack>.tfstate, git-ignored), and survives `rm -rf cdktf.out`.
 */
export function stateFileFor(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}

export abstract class DockerStack extends TerraformStack {
  constructor(scope: Construct, name: string) {
    super(scope, name);
    new LocalBackend(this, { path: stateFileFor(name) });
    // No host: the provider uses DOCKER_HOST or the local socket at deploy time, so no
    // machine-specific socket path is written into the JSON.
    new DockerProvider(this, 'docker', {});
  }
}
