/** Soda #9: the card's expiry date on each payment. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE transactions
      ADD COLUMN expiry_month integer NOT NULL DEFAULT 0,
      ADD COLUMN expiry_year integer NOT NULL DEFAULT 0`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE transactions DROP COLUMN expiry_month, DROP COLUMN expiry_year');
}
