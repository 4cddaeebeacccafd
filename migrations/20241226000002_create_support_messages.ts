/** Soda #23: the messages of a support ticket's chat. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE support_messages (
      id SERIAL PRIMARY KEY,
      ticket_id integer NOT NULL REFERENCES support_tickets (id) ON DELETE CASCADE,
      sender_id integer REFERENCES users (id) ON DELETE SET NULL,
      sender_type varchar(20) NOT NULL,
      sender_name varchar(255),
      message text NOT NULL,
      is_read boolean DEFAULT false,
      created_at timestamp without time zone NOT NULL DEFAULT now()
    )`);
  pgm.sql('CREATE INDEX idx_support_messages_ticket_id ON support_messages (ticket_id)');
  pgm.sql('CREATE INDEX idx_support_messages_sender_id ON support_messages (sender_id)');
  pgm.sql('CREATE INDEX idx_support_messages_created_at ON support_messages (created_at)');
  pgm.sql('CREATE INDEX idx_support_messages_is_read ON support_messages (is_read)');
}

/** Dropping the table drops its indexes. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE support_messages');
}
