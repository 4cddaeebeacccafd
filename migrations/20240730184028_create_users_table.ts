/**
 * Soda #6: back-office users, with the demo administrator. Its bcrypt hash is public (it ships in
 * the original migrations); applications and demos rely on it, so it stays, and reporting tools
 * must flag it while it is in place.
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE users (
      id SERIAL PRIMARY KEY,
      first_name varchar(255) NOT NULL,
      last_name varchar(255) NOT NULL,
      email varchar(255) NOT NULL UNIQUE,
      password varchar(60) NOT NULL,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
  pgm.sql(`
    INSERT INTO users (first_name, last_name, email, password) VALUES
      ('Admin', 'User', 'admin@example.com', '$2a$12$VR1wDmweaF3ZTVgEHiJrNOSi8VcS4j0eamr96A/7iOe8vlum3O3/q')`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE users');
}
