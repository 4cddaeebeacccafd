/**
 * Both stacks on one app: what main.ts synthesizes and what the tests check, so the tests see
 * exactly the app that deploys.
 */
import { App } from 'cdktf';
import { DatabaseConfig } from '../config/database';
import { DataStack } from './data-stack';
import { DatabaseStack } from './database-stack';

export interface UsualstoreStacksProps {
  readonly config: DatabaseConfig;
  readonly allowVolumeDestroy: boolean;
}

export interface UsualstoreStacks {
  readonly data: DataStack;
  readonly database: DatabaseStack;
}

export function addUsualstoreStacks(app: App, props: UsualstoreStacksProps): UsualstoreStacks {
  const data = new DataStack(app, { config: props.config, allowVolumeDestroy: props.allowVolumeDestroy });
  const database = new DatabaseStack(app, { config: props.config, dataStack: data });
  return { data, database };
}
