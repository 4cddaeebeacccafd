/**
 * Soda #21: product text prepared for the AI assistant, one row per widget. Keywords are
 * searched by array containment (GIN); the most-mentioned products are read first (DESC).
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE ai_product_cache (
      id SERIAL PRIMARY KEY,
      product_id integer NOT NULL UNIQUE REFERENCES widgets (id) ON DELETE CASCADE,
      description_text text NOT NULL,
      search_keywords text[],
      category varchar(100),
      price_tier varchar(20) CHECK (price_tier IN ('budget', 'mid', 'premium')),
      popularity_score integer DEFAULT 0,
      last_mentioned_at timestamp with time zone,
      created_at timestamp with time zone DEFAULT now(),
      updated_at timestamp with time zone DEFAULT now()
    )`);
  pgm.sql('CREATE INDEX idx_ai_product_cache_product_id ON ai_product_cache (product_id)');
  pgm.sql('CREATE INDEX idx_ai_product_cache_search_keywords ON ai_product_cache USING gin (search_keywords)');
  pgm.sql('CREATE INDEX idx_ai_product_cache_popularity_score ON ai_product_cache (popularity_score DESC)');
  pgm.sql(`COMMENT ON TABLE ai_product_cache IS 'Cached product information optimized for AI retrieval'`);
  pgm.sql(`COMMENT ON COLUMN ai_product_cache.description_text IS 'Product description formatted for AI context'`);
  pgm.sql(`COMMENT ON COLUMN ai_product_cache.search_keywords IS 'Keywords for semantic search'`);
  pgm.sql(`COMMENT ON COLUMN ai_product_cache.popularity_score IS 'How often product is mentioned in chats'`);
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('DROP INDEX idx_ai_product_cache_popularity_score');
  pgm.sql('DROP INDEX idx_ai_product_cache_search_keywords');
  pgm.sql('DROP INDEX idx_ai_product_cache_product_id');
  pgm.sql('DROP TABLE ai_product_cache');
}
