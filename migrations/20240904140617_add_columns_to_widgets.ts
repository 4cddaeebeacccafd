/** Soda #12: subscriptions: a product may be a recurring Stripe plan. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE widgets
      ADD COLUMN is_recurring boolean NOT NULL DEFAULT false,
      ADD COLUMN plan_id varchar(255) NOT NULL DEFAULT ''`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE widgets DROP COLUMN is_recurring, DROP COLUMN plan_id');
}
