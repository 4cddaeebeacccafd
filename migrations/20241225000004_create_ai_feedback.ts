/** Soda #20: users' ratings of AI answers. */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE ai_feedback (
      id SERIAL PRIMARY KEY,
      message_id integer NOT NULL REFERENCES ai_messages (id) ON DELETE CASCADE,
      conversation_id integer NOT NULL REFERENCES ai_conversations (id) ON DELETE CASCADE,
      helpful boolean,
      rating integer CHECK (rating >= 1 AND rating <= 5),
      feedback_text text,
      feedback_type varchar(50)
        CHECK (feedback_type IN ('helpful', 'not_helpful', 'incorrect', 'inappropriate', 'other')),
      created_at timestamp with time zone DEFAULT now()
    )`);
  pgm.sql('CREATE INDEX idx_ai_feedback_message_id ON ai_feedback (message_id)');
  pgm.sql('CREATE INDEX idx_ai_feedback_conversation_id ON ai_feedback (conversation_id)');
  pgm.sql('CREATE INDEX idx_ai_feedback_helpful ON ai_feedback (helpful)');
  pgm.sql('CREATE INDEX idx_ai_feedback_rating ON ai_feedback (rating)');
  pgm.sql(`COMMENT ON TABLE ai_feedback IS 'User feedback on AI assistant responses'`);
  pgm.sql(`COMMENT ON COLUMN ai_feedback.helpful IS 'Was this response helpful?'`);
  pgm.sql(`COMMENT ON COLUMN ai_feedback.rating IS 'User rating from 1-5 stars'`);
  pgm.sql(`COMMENT ON COLUMN ai_feedback.feedback_text IS 'Optional user comment'`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_ai_feedback_rating');
  pgm.sql('DROP INDEX idx_ai_feedback_helpful');
  pgm.sql('DROP INDEX idx_ai_feedback_conversation_id');
  pgm.sql('DROP INDEX idx_ai_feedback_message_id');
  pgm.sql('DROP TABLE ai_feedback');
}
