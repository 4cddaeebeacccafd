/** Soda #11: the Stripe payment intent and method behind each payment. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE transactions
      ADD COLUMN payment_intent varchar(255) NOT NULL DEFAULT '',
      ADD COLUMN payment_method varchar(255) NOT NULL DEFAULT ''`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE transactions DROP COLUMN payment_intent, DROP COLUMN payment_method');
}
