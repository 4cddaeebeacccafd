/** Soda #8: customers, and the order's link to its customer. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE customers (
      id SERIAL PRIMARY KEY,
      first_name varchar(255) NOT NULL,
      last_name varchar(255) NOT NULL,
      email varchar(255) NOT NULL UNIQUE,
      created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
      updated_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP
    )`);
  pgm.sql('ALTER TABLE orders ADD COLUMN customer_id integer');
  pgm.sql(`
    ALTER TABLE orders ADD CONSTRAINT fk_customer_id
      FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE ON UPDATE CASCADE`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE orders DROP CONSTRAINT fk_customer_id');
  pgm.sql('ALTER TABLE orders DROP COLUMN customer_id');
  pgm.sql('DROP TABLE customers');
}
