/**
 * What every UsualStore stack shares: the Docker provider and the configured state backend
 * (stacks/state-backend.ts: by default a local file at the project root, terraform.<stack>.tfstate,
 * git-ignored; it survives `rm -rf cdktf.out`).
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import type { StateBackend } from '../config/state-backend';
import { addStateBackend } from './state-backend';

export abstract class DockerStack extends TerraformStack {
  constructor(scope: Construct, name: string, state: StateBackend) {
    super(scope, name);
    addStateBackend(this, state);
    // No host: the provider uses DOCKER_HOST or the local socket at deploy time, so no
    // machine-specific socket path is written into the JSON.
    new DockerProvider(this, 'docker', {});
  }
}
