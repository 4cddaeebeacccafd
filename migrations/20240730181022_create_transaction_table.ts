/** Soda #3: card payments. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE transactions (
      id SERIAL PRIMARY KEY,
      amount integer NOT NULL,
      currency varchar(255) NOT NULL,
      last_four varchar(4) NOT NULL,
      bank_return_code varchar(255),
      transaction_status_id integer
        REFERENCES transaction_statuses (id) ON DELETE CASCADE ON UPDATE CASCADE,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE transactions');
}
