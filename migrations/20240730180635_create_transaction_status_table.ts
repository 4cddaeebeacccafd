/** Soda #2: payment states. The rows are reference data: applications rely on ids 1..5. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE transaction_statuses (
      id SERIAL PRIMARY KEY,
      name varchar(255) NOT NULL,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
  // The table is new, so its sequence hands out ids 1..5 in this order.
  pgm.sql(`
    INSERT INTO transaction_statuses (name) VALUES
      ('Pending'),
      ('Cleared'),
      ('Declined'),
      ('Refunded'),
      ('Partially refunded')`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE transaction_statuses');
}
