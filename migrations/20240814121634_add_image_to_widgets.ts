/** Soda #7: a picture per product. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`ALTER TABLE widgets ADD COLUMN image varchar(255) NOT NULL DEFAULT ''`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE widgets DROP COLUMN image');
}
