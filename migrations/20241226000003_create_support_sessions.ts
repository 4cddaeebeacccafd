/** Soda #24: who is connected to a support ticket's live chat. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE support_sessions (
      id SERIAL PRIMARY KEY,
      ticket_id integer NOT NULL REFERENCES support_tickets (id) ON DELETE CASCADE,
      user_id integer REFERENCES users (id) ON DELETE CASCADE,
      supporter_id integer REFERENCES users (id) ON DELETE SET NULL,
      is_active boolean DEFAULT true,
      started_at timestamp without time zone NOT NULL DEFAULT now(),
      ended_at timestamp without time zone,
      user_connected boolean DEFAULT false,
      supporter_connected boolean DEFAULT false
    )`);
  pgm.sql('CREATE INDEX idx_support_sessions_ticket_id ON support_sessions (ticket_id)');
  pgm.sql('CREATE INDEX idx_support_sessions_user_id ON support_sessions (user_id)');
  pgm.sql('CREATE INDEX idx_support_sessions_supporter_id ON support_sessions (supporter_id)');
  pgm.sql('CREATE INDEX idx_support_sessions_is_active ON support_sessions (is_active)');
}

/** Dropping the table drops its indexes. */
export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP TABLE support_sessions');
}
