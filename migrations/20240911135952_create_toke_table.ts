/** Soda #13 (its name, "toke", is kept as it was): API tokens. user_id has no foreign key, as in the original. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE tokens (
      id SERIAL PRIMARY KEY,
      user_id integer NOT NULL,
      name varchar(255) NOT NULL,
      email varchar(255) NOT NULL UNIQUE,
      token_hash bytea NOT NULL UNIQUE,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE tokens');
}
