/**
 * Both stacks on one app: what main.ts synthesizes and what the tests check, so the tests see
 * exactly the app that deploys.
 */
import { App } from 'cdktf';
import { DatabaseConfig } from '../config/database';
import type { StateBackend } from '../config/state-backend';
import { DataStack } from './data-stack';
import { DatabaseStack } from './database-stack';

export interface UsualstoreStacksProps {
  readonly config: DatabaseConfig;
  readonly allowVolumeDestroy: boolean;
  /** @default local files at the project root */
  readonly state?: StateBackend;
}

export interface UsualstoreStacks {
  readonly data: DataStack;
  readonly database: DatabaseStack;
}

export function addUsualstoreStacks(app: App, props: UsualstoreStacksProps): UsualstoreStacks {
  const state = props.state ?? { kind: 'local' };
  const data = new DataStack(app, { config: props.config, allowVolumeDestroy: props.allowVolumeDestroy, state });
  const database = new DatabaseStack(app, { config: props.config, dataStack: data, state });
  return { data, database };
}
