/** Soda #22: support tickets, each tied to one live-chat session. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE support_tickets (
      id SERIAL PRIMARY KEY,
      user_id integer REFERENCES users (id) ON DELETE CASCADE,
      supporter_id integer REFERENCES users (id) ON DELETE SET NULL,
      subject varchar(255) NOT NULL,
      status varchar(50) NOT NULL DEFAULT 'open',
      priority varchar(20) DEFAULT 'medium',
      session_id varchar(255) UNIQUE NOT NULL,
      user_email varchar(255),
      user_name varchar(255),
      created_at timestamp without time zone NOT NULL DEFAULT now(),
      updated_at timestamp without time zone NOT NULL DEFAULT now(),
      closed_at timestamp without time zone
    )`);
  pgm.sql('CREATE INDEX idx_support_tickets_user_id ON support_tickets (user_id)');
  pgm.sql('CREATE INDEX idx_support_tickets_supporter_id ON support_tickets (supporter_id)');
  pgm.sql('CREATE INDEX idx_support_tickets_status ON support_tickets (status)');
  pgm.sql('CREATE INDEX idx_support_tickets_session_id ON support_tickets (session_id)');
  pgm.sql('CREATE INDEX idx_support_tickets_created_at ON support_tickets (created_at)');
}

/** Dropping the table drops its indexes (the original down does only this). */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE support_tickets');
}
