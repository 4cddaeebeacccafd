/**
 * Soda #10: a repeat of #8's orders.customer_id, guarded so that it changes nothing where #8 ran
 * (always, with these migrations). It is kept so that versions map 1:1 to soda's.
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE orders ADD COLUMN IF NOT EXISTS customer_id integer');
}

/** Nothing: the column belongs to #8, whose down removes it. */
export function down(): void {}
