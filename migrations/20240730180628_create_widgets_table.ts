/** Soda #1: the products the store sells. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE widgets (
      id SERIAL PRIMARY KEY,
      name varchar(255) NOT NULL,
      description text,
      inventory_level integer,
      price integer,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE widgets');
}
