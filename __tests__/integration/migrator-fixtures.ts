/**
 * Small migration directories written into temp dirs for the migrator's tests: each test
 * controls exactly which migrations exist, independent of the real ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { tempDir } from '../support/temp';

export interface FixtureMigration {
  name: string;
  up: string;
  down?: string;
}

/** A .ts migration running the given SQL (node-pg-migrate format, loaded through jiti). */
export function migrationSource({ up, down }: Omit<FixtureMigration, 'name'>): string {
  return [
    `import type { MigrationBuilder } from 'node-pg-migrate';`,
    `export function up(pgm: MigrationBuilder): void { pgm.sql(${JSON.stringify(up)}); }`,
    down === undefined ? '' : `export function down(pgm: MigrationBuilder): void { pgm.sql(${JSON.stringify(down)}); }`,
    '',
  ].join('\n');
}

export function writeMigration(dir: string, migration: FixtureMigration): string {
  const file = path.join(dir, `${migration.name}.ts`);
  fs.writeFileSync(file, migrationSource(migration));
  return file;
}

export function makeMigrationsDir(migrations: FixtureMigration[]): string {
  const dir = tempDir('migrator');
  for (const migration of migrations) writeMigration(dir, migration);
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Three migrations building on each other: a table, a column, a row. */
export const BASIC: FixtureMigration[] = [
  {
    name: '20240101000001_create_things',
    up: 'CREATE TABLE things (id serial PRIMARY KEY, label text NOT NULL)',
    down: 'DROP TABLE things',
  },
  {
    name: '20240101000002_add_colour',
    up: "ALTER TABLE things ADD COLUMN colour text NOT NULL DEFAULT 'red'",
    down: 'ALTER TABLE things DROP COLUMN colour',
  },
  {
    name: '20240101000003_seed_things',
    up: "INSERT INTO things (label) VALUES ('first')",
    down: "DELETE FROM things WHERE label = 'first'",
  },
];

export async function query<T extends Record<string, unknown>>(url: string, sql: string, values?: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function appliedNames(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(url, 'select name from pgmigrations order by run_on, id');
  return rows.map((r) => r.name);
}

export async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    url,
    "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
  );
  return rows.map((r) => r.name);
}

/** stderr holds exactly one line, and no stack trace. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0];
}
