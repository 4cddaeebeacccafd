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
  // Explicit ids, so they cannot depend on the insertion order or on the sequence's state.
  pgm.sql(`
    INSERT INTO transaction_statuses (id, name) VALUES
      (1, 'Pending'),
      (2, 'Cleared'),
      (3, 'Declined'),
      (4, 'Refunded'),
      (5, 'Partially refunded')`);
  // The next id handed out by SERIAL follows the reference rows.
  pgm.sql(`SELECT setval(pg_get_serial_sequence('transaction_statuses', 'id'), 5)`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE transaction_statuses');
}
