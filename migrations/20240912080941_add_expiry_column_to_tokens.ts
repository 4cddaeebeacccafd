/** Soda #14: tokens expire. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE tokens ADD COLUMN expiry timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP');
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE tokens DROP COLUMN expiry');
}
