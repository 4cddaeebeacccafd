/** Soda #4: orders. status_id points at transaction_statuses here; #5 adds a second foreign key. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE orders (
      id SERIAL PRIMARY KEY,
      widget_id integer REFERENCES widgets (id) ON DELETE CASCADE ON UPDATE CASCADE,
      transaction_id integer REFERENCES transactions (id) ON DELETE CASCADE ON UPDATE CASCADE,
      status_id integer REFERENCES transaction_statuses (id) ON DELETE CASCADE ON UPDATE CASCADE,
      quantity integer NOT NULL,
      amount integer NOT NULL,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE orders');
}
