/** Soda #17: the AI assistant's chat sessions. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE ai_conversations (
      id SERIAL PRIMARY KEY,
      session_id varchar(255) UNIQUE NOT NULL,
      user_id integer REFERENCES users (id) ON DELETE SET NULL,
      started_at timestamp with time zone DEFAULT now(),
      ended_at timestamp with time zone,
      total_messages integer DEFAULT 0,
      resulted_in_purchase boolean DEFAULT false,
      total_tokens_used integer DEFAULT 0,
      total_cost numeric(10,6) DEFAULT 0.00,
      user_agent text,
      ip_address varchar(45),
      created_at timestamp with time zone DEFAULT now(),
      updated_at timestamp with time zone DEFAULT now()
    )`);
  // session_id also has the unique constraint's index; the original adds this one too, so keep it.
  pgm.sql('CREATE INDEX idx_ai_conversations_session_id ON ai_conversations (session_id)');
  pgm.sql('CREATE INDEX idx_ai_conversations_user_id ON ai_conversations (user_id)');
  pgm.sql('CREATE INDEX idx_ai_conversations_started_at ON ai_conversations (started_at)');
  pgm.sql('CREATE INDEX idx_ai_conversations_resulted_in_purchase ON ai_conversations (resulted_in_purchase)');
  pgm.sql(`COMMENT ON TABLE ai_conversations IS 'Tracks AI assistant chat sessions'`);
  pgm.sql(`COMMENT ON COLUMN ai_conversations.session_id IS 'Unique identifier for the chat session'`);
  pgm.sql(`COMMENT ON COLUMN ai_conversations.user_id IS 'User ID if authenticated, null for anonymous'`);
  pgm.sql(`COMMENT ON COLUMN ai_conversations.total_tokens_used IS 'Total OpenAI tokens consumed'`);
  pgm.sql(`COMMENT ON COLUMN ai_conversations.total_cost IS 'Estimated cost in USD'`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_ai_conversations_resulted_in_purchase');
  pgm.sql('DROP INDEX idx_ai_conversations_started_at');
  pgm.sql('DROP INDEX idx_ai_conversations_user_id');
  pgm.sql('DROP INDEX idx_ai_conversations_session_id');
  pgm.sql('DROP TABLE ai_conversations');
}
