/** Soda #18: the messages of each AI conversation. metadata is searched by containment, hence GIN. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE ai_messages (
      id SERIAL PRIMARY KEY,
      conversation_id integer NOT NULL REFERENCES ai_conversations (id) ON DELETE CASCADE,
      role varchar(20) NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
      content text NOT NULL,
      tokens_used integer DEFAULT 0,
      response_time_ms integer,
      model varchar(50) DEFAULT 'gpt-3.5-turbo',
      temperature numeric(3,2),
      metadata jsonb,
      created_at timestamp with time zone DEFAULT now()
    )`);
  pgm.sql('CREATE INDEX idx_ai_messages_conversation_id ON ai_messages (conversation_id)');
  pgm.sql('CREATE INDEX idx_ai_messages_created_at ON ai_messages (created_at)');
  pgm.sql('CREATE INDEX idx_ai_messages_role ON ai_messages USING btree (role)');
  pgm.sql('CREATE INDEX idx_ai_messages_metadata ON ai_messages USING gin (metadata)');
  pgm.sql(`COMMENT ON TABLE ai_messages IS 'Stores individual messages in AI conversations'`);
  pgm.sql(`COMMENT ON COLUMN ai_messages.role IS 'Message sender: user, assistant, or system'`);
  pgm.sql(`COMMENT ON COLUMN ai_messages.content IS 'The actual message text'`);
  pgm.sql(`COMMENT ON COLUMN ai_messages.tokens_used IS 'OpenAI tokens consumed by this message'`);
  pgm.sql(`COMMENT ON COLUMN ai_messages.response_time_ms IS 'API response time in milliseconds'`);
  pgm.sql(`COMMENT ON COLUMN ai_messages.metadata IS 'Additional data like product IDs mentioned, intents, etc.'`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_ai_messages_metadata');
  pgm.sql('DROP INDEX idx_ai_messages_role');
  pgm.sql('DROP INDEX idx_ai_messages_created_at');
  pgm.sql('DROP INDEX idx_ai_messages_conversation_id');
  pgm.sql('DROP TABLE ai_messages');
}
