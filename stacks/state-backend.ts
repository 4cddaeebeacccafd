/**
 * The backend block of a stack, from the one configuration (config/state-backend.ts): a local
 * file at the project root by a RELATIVE path (cdktf's default is absolute, which would put the
 * author's home directory into the reviewed JSON and tie the state to one checkout path), the
 * pg backend with a schema per stack, or S3 with its lock file. Used by both apps.
 */
import { LocalBackend, PgBackend, S3Backend, type TerraformStack } from 'cdktf';
import { localStateFile, stateKey, stateSchema, type StateBackend } from '../config/state-backend';
import { projectFile } from './stack-paths';

export function addStateBackend(stack: TerraformStack, backend: StateBackend): void {
  const name = stack.node.id;
  switch (backend.kind) {
    case 'local':
      new LocalBackend(stack, { path: projectFile(stack, localStateFile(name)) });
      return;
    case 'pg':
      new PgBackend(stack, { connStr: backend.connStr, schemaName: stateSchema(name) });
      return;
    case 's3': {
      const s3 = new S3Backend(stack, { bucket: backend.bucket, key: stateKey(backend, name), region: backend.region, encrypt: true });
      // Terraform >= 1.10 locks with a lock file next to the state; cdktf 0.21's S3Backend has no
      // property for it (nor a DynamoDB table to maintain).
      s3.addOverride('use_lockfile', true);
      return;
    }
  }
}
