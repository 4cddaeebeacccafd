/**
 * Soda #16: demo data: two products and one payment (status 1, Pending).
 *
 * down deletes exactly the rows up inserted. Their ids depend on the sequences, so it cannot
 * name them; it matches every value up wrote and, should someone have added an identical row
 * since, takes only the earliest match (the seeded one): one row per seeded row. Orders cascade
 * from widgets and transactions, so deleting a seeded row that an order refers to would delete
 * that order too: down refuses instead, and says so.
 *
 * The demo rows have ids 1 and 2 (widgets) and 1 (transaction), as the applications expect, on
 * every path: a run interrupted inside this migration rolls back its rows but not the sequence
 * values they took (PostgreSQL never rolls back nextval), so up first sets each sequence just
 * past the table's highest id (to 1 in the empty tables of a new database). This edit came
 * after the migration had been applied on existing databases: its earlier checksum stays
 * accepted there (superseded-checksums.json).
 */
import type { MigrationBuilder } from 'node-pg-migrate';

const WIDGET = `name = 'Widget' AND description = 'A very nice widget.' AND inventory_level = 10
  AND price = 1000 AND image = '/static/widget-1.png' AND is_recurring = false AND plan_id = ''`;
const GOLDEN_PLAN = `name = 'Golden Plan' AND description = 'Discount 30% for more than 3 subscriptions'
  AND inventory_level = 10 AND price = 3000 AND image = '' AND is_recurring = true
  AND plan_id = 'price_1PudhBRxsxaX9o1Hau9cfEqp'`;
const TRANSACTION = `amount = 1000 AND currency = 'USD' AND last_four = '1234' AND bank_return_code = '00'
  AND expiry_month = 12 AND expiry_year = 2025 AND payment_intent = 'intent123'
  AND payment_method = 'method456' AND transaction_status_id = 1`;

const restartAfterHighestId = (table: string) =>
  `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${table}`;

export function up(pgm: MigrationBuilder): void {
  pgm.sql(restartAfterHighestId('widgets'));
  pgm.sql(restartAfterHighestId('transactions'));
  pgm.sql(`
    INSERT INTO widgets (name, description, inventory_level, price, image, is_recurring, plan_id) VALUES
      ('Widget', 'A very nice widget.', 10, 1000, '/static/widget-1.png', false, ''),
      ('Golden Plan', 'Discount 30% for more than 3 subscriptions', 10, 3000, '', true, 'price_1PudhBRxsxaX9o1Hau9cfEqp')`);
  pgm.sql(`
    INSERT INTO transactions (amount, currency, last_four, bank_return_code, expiry_month, expiry_year,
                              payment_intent, payment_method, transaction_status_id)
    VALUES (1000, 'USD', '1234', '00', 12, 2025, 'intent123', 'method456', 1)`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql(`
    DO $$
    DECLARE
      seeded_widgets integer[] := ARRAY[
        (SELECT min(id) FROM widgets WHERE ${WIDGET}),
        (SELECT min(id) FROM widgets WHERE ${GOLDEN_PLAN})];
      seeded_transaction integer := (SELECT min(id) FROM transactions WHERE ${TRANSACTION});
      referring_orders integer := (SELECT count(*) FROM orders
                                    WHERE widget_id = ANY (seeded_widgets) OR transaction_id = seeded_transaction);
    BEGIN
      IF referring_orders > 0 THEN
        RAISE EXCEPTION 'cannot undo seed_widgets: % order(s) refer to its demo widgets or payment (ON DELETE CASCADE would delete them); delete or re-point those orders first', referring_orders;
      END IF;
      DELETE FROM transactions WHERE id = seeded_transaction;
      DELETE FROM widgets WHERE id = ANY (seeded_widgets);
    END $$`);
}
