/**
 * Soda #5: order states. The rows are reference data (ids 1..3 matter). orders.status_id keeps
 * its foreign key to transaction_statuses from #4 and gets a second one, fk_status_id, here: the
 * applications' databases have both, so these migrations do too.
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE statuses (
      id SERIAL PRIMARY KEY,
      name varchar(255) NOT NULL,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
  // The table is new, so its sequence hands out ids 1..3 in this order.
  pgm.sql(`
    INSERT INTO statuses (name) VALUES
      ('Cleared'),
      ('Refunded'),
      ('Cancelled')`);
  pgm.sql(`
    ALTER TABLE orders ADD CONSTRAINT fk_status_id
      FOREIGN KEY (status_id) REFERENCES statuses (id) ON DELETE CASCADE ON UPDATE CASCADE`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE orders DROP CONSTRAINT fk_status_id');
  pgm.sql('DROP TABLE statuses');
}
