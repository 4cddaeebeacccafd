/**
 * What every UsualStore stack shares: the Docker provider and a local state file at the project
 * root (terraform.<stack>.tfstate, git-ignored, where cdktf's default would put it; it survives
 * `rm -rf cdktf.out`), addressed by a RELATIVE path. cdktf's default LocalBackend path is
 * absolute (process.cwd()), which would put the author's home directory into the reviewed JSON
 * and tie the state to one checkout path.
 */
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { projectFile } from './stack-paths';

export abstract class DockerStack extends TerraformStack {
  constructor(scope: Construct, name: string) {
    super(scope, name);
    new LocalBackend(this, { path: projectFile(this, `terraform.${name}.tfstate`) });
    // No host: the provider uses DOCKER_HOST or the local socket at deploy time, so no
    // machine-specific socket path is written into the JSON.
    new DockerProvider(this, 'docker', {});
  }
}
