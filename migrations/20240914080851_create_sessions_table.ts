/**
 * Soda #15: web sessions, in the layout the Go session store (scs postgresstore) expects:
 * a 43-character token, the encoded data, and an expiry it sweeps by (hence the index).
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE sessions (
      token char(43) PRIMARY KEY,
      data bytea NOT NULL,
      expiry timestamp(6) without time zone NOT NULL
    )`);
  pgm.sql('CREATE INDEX sessions_expiry_idx ON sessions (expiry)');
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE sessions');
}
