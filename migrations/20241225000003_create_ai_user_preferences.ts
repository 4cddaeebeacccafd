/** Soda #19: what the AI assistant has learned about each user (one row per user). */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE ai_user_preferences (
      id SERIAL PRIMARY KEY,
      user_id integer UNIQUE REFERENCES users (id) ON DELETE CASCADE,
      session_id varchar(255),
      preferred_categories text[],
      budget_min numeric(10,2),
      budget_max numeric(10,2),
      interaction_count integer DEFAULT 0,
      last_products_viewed integer[],
      last_products_purchased integer[],
      conversation_style varchar(50)
        CHECK (conversation_style IN ('concise', 'detailed', 'friendly', 'professional')),
      preferred_language varchar(10) DEFAULT 'en',
      created_at timestamp with time zone DEFAULT now(),
      updated_at timestamp with time zone DEFAULT now()
    )`);
  pgm.sql('CREATE INDEX idx_ai_user_preferences_user_id ON ai_user_preferences (user_id)');
  pgm.sql('CREATE INDEX idx_ai_user_preferences_session_id ON ai_user_preferences (session_id)');
  pgm.sql(`COMMENT ON TABLE ai_user_preferences IS 'Stores learned preferences from user interactions with AI'`);
  pgm.sql(`COMMENT ON COLUMN ai_user_preferences.preferred_categories IS 'Array of category names user is interested in'`);
  pgm.sql(`COMMENT ON COLUMN ai_user_preferences.budget_min IS 'Minimum budget mentioned by user'`);
  pgm.sql(`COMMENT ON COLUMN ai_user_preferences.budget_max IS 'Maximum budget mentioned by user'`);
  pgm.sql(`COMMENT ON COLUMN ai_user_preferences.last_products_viewed IS 'Array of product IDs viewed in chat'`);
  pgm.sql(`COMMENT ON COLUMN ai_user_preferences.conversation_style IS 'How the user prefers to communicate'`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_ai_user_preferences_session_id');
  pgm.sql('DROP INDEX idx_ai_user_preferences_user_id');
  pgm.sql('DROP TABLE ai_user_preferences');
}
