/**
 * Soda #25 (missing from the older "24 pairs" write-up, but the applications use it): user roles.
 * The demo administrator of #6 becomes 'admin'; everyone else defaults to 'user'.
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`ALTER TABLE users ADD COLUMN role varchar(50) NOT NULL DEFAULT 'user'`);
  pgm.sql('CREATE INDEX idx_users_role ON users (role)');
  pgm.sql(`UPDATE users SET role = 'admin' WHERE email = 'admin@example.com'`);
  pgm.sql(`COMMENT ON COLUMN users.role IS 'User role: admin, supporter, or user'`);
}

/** Dropping the column drops its comment and its values (the roles) with it. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_users_role');
  pgm.sql('ALTER TABLE users DROP COLUMN role');
}
