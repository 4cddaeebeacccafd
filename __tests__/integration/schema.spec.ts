/**
 * The schema and rows that `usualstore-db migrate up` builds, checked against
 * /work/shared/schema/SPEC.md through the catalogs. The expectations below are written from
 * SPEC.md by hand, in the form PostgreSQL prints them back (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef), and compared whole: a missing, extra or different
 * column, default, constraint, index or comment fails.
 */
import { Client } from 'pg';
import { columns, comments, constraints, indexes } from '../support/catalog';
import { MIGRATIONS_DIR, runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';

// ---- How PostgreSQL prints the conventions of SPEC.md ---------------------------------------

const vc = (n: number) => `character varying(${n})`;
const serialPk = (table: string) => `id integer NOT NULL DEFAULT nextval('${table}_id_seq'::regclass)`;
/** SPEC "ts": timestamp without time zone DEFAULT CURRENT_TIMESTAMP, nullable. */
const ts = (name: string) => `${name} timestamp without time zone DEFAULT CURRENT_TIMESTAMP`;
/** SPEC "tstz now": timestamp with time zone DEFAULT now(), nullable. */
const tstzNow = (name: string) => `${name} timestamp with time zone DEFAULT now()`;
const emptyVc255 = (name: string) => `${name} ${vc(255)} NOT NULL DEFAULT ''::character varying`;

const pk = (table: string) => `${table} ${table}_pkey: PRIMARY KEY (id)`;
const unique = (table: string, column: string) => `${table} ${table}_${column}_key: UNIQUE (${column})`;
const CASCADE_CASCADE = ' ON UPDATE CASCADE ON DELETE CASCADE';
const DELETE_CASCADE = ' ON DELETE CASCADE';
const DELETE_SET_NULL = ' ON DELETE SET NULL';
const fk = (table: string, column: string, target: string, actions: string, name = `${table}_${column}_fkey`) =>
  `${table} ${name}: FOREIGN KEY (${column}) REFERENCES ${target}(id)${actions}`;
/** A `column IN (...)` check on a varchar column, as PostgreSQL rewrites it. */
const checkIn = (table: string, column: string, values: string[]) =>
  `${table} ${table}_${column}_check: CHECK (((${column})::text = ANY ((ARRAY[${values
    .map((v) => `'${v}'::character varying`)
    .join(', ')}])::text[])))`;

const index = (name: string, table: string, columnList: string, method = 'btree') =>
  `CREATE INDEX ${name} ON public.${table} USING ${method} (${columnList})`;
const uniqueIndex = (name: string, table: string, column: string) =>
  `CREATE UNIQUE INDEX ${name} ON public.${table} USING btree (${column})`;
const pkIndex = (table: string) => uniqueIndex(`${table}_pkey`, table, 'id');
/** The indexes idx_<table>_<column> that the support tables name after their columns. */
const namedIndexes = (table: string, cols: string[]) => cols.map((c) => index(`idx_${table}_${c}`, table, c));

// ---- SPEC.md, table by table (columns in creation order, including later additions) ----------

interface ExpectedTable {
  columns: string[];
  constraints: string[];
  indexes: string[];
}

const EXPECTED: Record<string, ExpectedTable> = {
  widgets: {
    columns: [
      serialPk('widgets'),
      `name ${vc(255)} NOT NULL`,
      'description text',
      'inventory_level integer',
      'price integer',
      ts('created_at'),
      ts('updated_at'),
      `image ${vc(255)} NOT NULL DEFAULT ''::character varying`, // #7
      'is_recurring boolean NOT NULL DEFAULT false', // #12
      emptyVc255('plan_id'), // #12
    ],
    constraints: [pk('widgets')],
    indexes: [pkIndex('widgets')],
  },
  transaction_statuses: {
    columns: [serialPk('transaction_statuses'), `name ${vc(255)} NOT NULL`, ts('created_at'), ts('updated_at')],
    constraints: [pk('transaction_statuses')],
    indexes: [pkIndex('transaction_statuses')],
  },
  transactions: {
    columns: [
      serialPk('transactions'),
      'amount integer NOT NULL',
      `currency ${vc(255)} NOT NULL`,
      `last_four ${vc(4)} NOT NULL`,
      `bank_return_code ${vc(255)}`,
      'transaction_status_id integer',
      ts('created_at'),
      ts('updated_at'),
      'expiry_month integer NOT NULL DEFAULT 0', // #9
      'expiry_year integer NOT NULL DEFAULT 0', // #9
      emptyVc255('payment_intent'), // #11
      emptyVc255('payment_method'), // #11
    ],
    constraints: [pk('transactions'), fk('transactions', 'transaction_status_id', 'transaction_statuses', CASCADE_CASCADE)],
    indexes: [pkIndex('transactions')],
  },
  orders: {
    columns: [
      serialPk('orders'),
      'widget_id integer',
      'transaction_id integer',
      'status_id integer',
      'quantity integer NOT NULL',
      'amount integer NOT NULL',
      ts('created_at'),
      ts('updated_at'),
      'customer_id integer', // #8 (and #10, which finds it there)
    ],
    constraints: [
      pk('orders'),
      fk('orders', 'widget_id', 'widgets', CASCADE_CASCADE),
      fk('orders', 'transaction_id', 'transactions', CASCADE_CASCADE),
      fk('orders', 'status_id', 'transaction_statuses', CASCADE_CASCADE),
      fk('orders', 'status_id', 'statuses', CASCADE_CASCADE, 'fk_status_id'), // #5: the second FK
      fk('orders', 'customer_id', 'customers', CASCADE_CASCADE, 'fk_customer_id'), // #8
    ],
    indexes: [pkIndex('orders')],
  },
  statuses: {
    columns: [serialPk('statuses'), `name ${vc(255)} NOT NULL`, ts('created_at'), ts('updated_at')],
    constraints: [pk('statuses')],
    indexes: [pkIndex('statuses')],
  },
  users: {
    columns: [
      serialPk('users'),
      `first_name ${vc(255)} NOT NULL`,
      `last_name ${vc(255)} NOT NULL`,
      `email ${vc(255)} NOT NULL`,
      `password ${vc(60)} NOT NULL`,
      ts('created_at'),
      ts('updated_at'),
      `role ${vc(50)} NOT NULL DEFAULT 'user'::character varying`, // #25
    ],
    constraints: [pk('users'), unique('users', 'email')],
    indexes: [pkIndex('users'), uniqueIndex('users_email_key', 'users', 'email'), index('idx_users_role', 'users', 'role')],
  },
  customers: {
    columns: [
      serialPk('customers'),
      `first_name ${vc(255)} NOT NULL`,
      `last_name ${vc(255)} NOT NULL`,
      `email ${vc(255)} NOT NULL`,
      ts('created_at'),
      ts('updated_at'),
    ],
    constraints: [pk('customers'), unique('customers', 'email')],
    indexes: [pkIndex('customers'), uniqueIndex('customers_email_key', 'customers', 'email')],
  },
  tokens: {
    columns: [
      serialPk('tokens'),
      'user_id integer NOT NULL',
      `name ${vc(255)} NOT NULL`,
      `email ${vc(255)} NOT NULL`,
      'token_hash bytea NOT NULL',
      ts('created_at'),
      ts('updated_at'),
      'expiry timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP', // #14
    ],
    constraints: [pk('tokens'), unique('tokens', 'email'), unique('tokens', 'token_hash')],
    indexes: [
      pkIndex('tokens'),
      uniqueIndex('tokens_email_key', 'tokens', 'email'),
      uniqueIndex('tokens_token_hash_key', 'tokens', 'token_hash'),
    ],
  },
  sessions: {
    columns: ['token character(43) NOT NULL', 'data bytea NOT NULL', 'expiry timestamp(6) without time zone NOT NULL'],
    constraints: ['sessions sessions_pkey: PRIMARY KEY (token)'],
    indexes: [uniqueIndex('sessions_pkey', 'sessions', 'token'), index('sessions_expiry_idx', 'sessions', 'expiry')],
  },
  ai_conversations: {
    columns: [
      serialPk('ai_conversations'),
      `session_id ${vc(255)} NOT NULL`,
      'user_id integer',
      tstzNow('started_at'),
      'ended_at timestamp with time zone',
      'total_messages integer DEFAULT 0',
      'resulted_in_purchase boolean DEFAULT false',
      'total_tokens_used integer DEFAULT 0',
      'total_cost numeric(10,6) DEFAULT 0.00',
      'user_agent text',
      `ip_address ${vc(45)}`,
      tstzNow('created_at'),
      tstzNow('updated_at'),
    ],
    constraints: [
      pk('ai_conversations'),
      unique('ai_conversations', 'session_id'),
      fk('ai_conversations', 'user_id', 'users', DELETE_SET_NULL),
    ],
    indexes: [
      pkIndex('ai_conversations'),
      uniqueIndex('ai_conversations_session_id_key', 'ai_conversations', 'session_id'),
      ...namedIndexes('ai_conversations', ['session_id', 'user_id', 'started_at', 'resulted_in_purchase']),
    ],
  },
  ai_messages: {
    columns: [
      serialPk('ai_messages'),
      'conversation_id integer NOT NULL',
      `role ${vc(20)} NOT NULL`,
      'content text NOT NULL',
      'tokens_used integer DEFAULT 0',
      'response_time_ms integer',
      `model ${vc(50)} DEFAULT 'gpt-3.5-turbo'::character varying`,
      'temperature numeric(3,2)',
      'metadata jsonb',
      tstzNow('created_at'),
    ],
    constraints: [
      pk('ai_messages'),
      fk('ai_messages', 'conversation_id', 'ai_conversations', DELETE_CASCADE),
      checkIn('ai_messages', 'role', ['user', 'assistant', 'system']),
    ],
    indexes: [
      pkIndex('ai_messages'),
      ...namedIndexes('ai_messages', ['conversation_id', 'created_at', 'role']),
      index('idx_ai_messages_metadata', 'ai_messages', 'metadata', 'gin'),
    ],
  },
  ai_user_preferences: {
    columns: [
      serialPk('ai_user_preferences'),
      'user_id integer',
      `session_id ${vc(255)}`,
      'preferred_categories text[]',
      'budget_min numeric(10,2)',
      'budget_max numeric(10,2)',
      'interaction_count integer DEFAULT 0',
      'last_products_viewed integer[]',
      'last_products_purchased integer[]',
      `conversation_style ${vc(50)}`,
      `preferred_language ${vc(10)} DEFAULT 'en'::character varying`,
      tstzNow('created_at'),
      tstzNow('updated_at'),
    ],
    constraints: [
      pk('ai_user_preferences'),
      unique('ai_user_preferences', 'user_id'),
      fk('ai_user_preferences', 'user_id', 'users', DELETE_CASCADE),
      checkIn('ai_user_preferences', 'conversation_style', ['concise', 'detailed', 'friendly', 'professional']),
    ],
    indexes: [
      pkIndex('ai_user_preferences'),
      uniqueIndex('ai_user_preferences_user_id_key', 'ai_user_preferences', 'user_id'),
      ...namedIndexes('ai_user_preferences', ['user_id', 'session_id']),
    ],
  },
  ai_feedback: {
    columns: [
      serialPk('ai_feedback'),
      'message_id integer NOT NULL',
      'conversation_id integer NOT NULL',
      'helpful boolean',
      'rating integer',
      'feedback_text text',
      `feedback_type ${vc(50)}`,
      tstzNow('created_at'),
    ],
    constraints: [
      pk('ai_feedback'),
      fk('ai_feedback', 'message_id', 'ai_messages', DELETE_CASCADE),
      fk('ai_feedback', 'conversation_id', 'ai_conversations', DELETE_CASCADE),
      'ai_feedback ai_feedback_rating_check: CHECK (((rating >= 1) AND (rating <= 5)))',
      checkIn('ai_feedback', 'feedback_type', ['helpful', 'not_helpful', 'incorrect', 'inappropriate', 'other']),
    ],
    indexes: [pkIndex('ai_feedback'), ...namedIndexes('ai_feedback', ['message_id', 'conversation_id', 'helpful', 'rating'])],
  },
  ai_product_cache: {
    columns: [
      serialPk('ai_product_cache'),
      'product_id integer NOT NULL',
      'description_text text NOT NULL',
      'search_keywords text[]',
      `category ${vc(100)}`,
      `price_tier ${vc(20)}`,
      'popularity_score integer DEFAULT 0',
      'last_mentioned_at timestamp with time zone',
      tstzNow('created_at'),
      tstzNow('updated_at'),
    ],
    constraints: [
      pk('ai_product_cache'),
      unique('ai_product_cache', 'product_id'),
      fk('ai_product_cache', 'product_id', 'widgets', DELETE_CASCADE),
      checkIn('ai_product_cache', 'price_tier', ['budget', 'mid', 'premium']),
    ],
    indexes: [
      pkIndex('ai_product_cache'),
      uniqueIndex('ai_product_cache_product_id_key', 'ai_product_cache', 'product_id'),
      index('idx_ai_product_cache_product_id', 'ai_product_cache', 'product_id'),
      index('idx_ai_product_cache_search_keywords', 'ai_product_cache', 'search_keywords', 'gin'),
      index('idx_ai_product_cache_popularity_score', 'ai_product_cache', 'popularity_score DESC'),
    ],
  },
  support_tickets: {
    columns: [
      serialPk('support_tickets'),
      'user_id integer',
      'supporter_id integer',
      `subject ${vc(255)} NOT NULL`,
      `status ${vc(50)} NOT NULL DEFAULT 'open'::character varying`,
      `priority ${vc(20)} DEFAULT 'medium'::character varying`,
      `session_id ${vc(255)} NOT NULL`,
      `user_email ${vc(255)}`,
      `user_name ${vc(255)}`,
      'created_at timestamp without time zone NOT NULL DEFAULT now()',
      'updated_at timestamp without time zone NOT NULL DEFAULT now()',
      'closed_at timestamp without time zone',
    ],
    constraints: [
      pk('support_tickets'),
      unique('support_tickets', 'session_id'),
      fk('support_tickets', 'user_id', 'users', DELETE_CASCADE),
      fk('support_tickets', 'supporter_id', 'users', DELETE_SET_NULL),
    ],
    indexes: [
      pkIndex('support_tickets'),
      uniqueIndex('support_tickets_session_id_key', 'support_tickets', 'session_id'),
      ...namedIndexes('support_tickets', ['user_id', 'supporter_id', 'status', 'session_id', 'created_at']),
    ],
  },
  support_messages: {
    columns: [
      serialPk('support_messages'),
      'ticket_id integer NOT NULL',
      'sender_id integer',
      `sender_type ${vc(20)} NOT NULL`,
      `sender_name ${vc(255)}`,
      'message text NOT NULL',
      'is_read boolean DEFAULT false',
      'created_at timestamp without time zone NOT NULL DEFAULT now()',
    ],
    constraints: [
      pk('support_messages'),
      fk('support_messages', 'ticket_id', 'support_tickets', DELETE_CASCADE),
      fk('support_messages', 'sender_id', 'users', DELETE_SET_NULL),
    ],
    indexes: [pkIndex('support_messages'), ...namedIndexes('support_messages', ['ticket_id', 'sender_id', 'created_at', 'is_read'])],
  },
  support_sessions: {
    columns: [
      serialPk('support_sessions'),
      'ticket_id integer NOT NULL',
      'user_id integer',
      'supporter_id integer',
      'is_active boolean DEFAULT true',
      'started_at timestamp without time zone NOT NULL DEFAULT now()',
      'ended_at timestamp without time zone',
      'user_connected boolean DEFAULT false',
      'supporter_connected boolean DEFAULT false',
    ],
    constraints: [
      pk('support_sessions'),
      fk('support_sessions', 'ticket_id', 'support_tickets', DELETE_CASCADE),
      fk('support_sessions', 'user_id', 'users', DELETE_CASCADE),
      fk('support_sessions', 'supporter_id', 'users', DELETE_SET_NULL),
    ],
    indexes: [pkIndex('support_sessions'), ...namedIndexes('support_sessions', ['ticket_id', 'user_id', 'supporter_id', 'is_active'])],
  },
};

const EXPECTED_COMMENTS: Record<string, string> = {
  ai_conversations: 'Tracks AI assistant chat sessions',
  'ai_conversations.session_id': 'Unique identifier for the chat session',
  'ai_conversations.user_id': 'User ID if authenticated, null for anonymous',
  'ai_conversations.total_tokens_used': 'Total OpenAI tokens consumed',
  'ai_conversations.total_cost': 'Estimated cost in USD',
  ai_messages: 'Stores individual messages in AI conversations',
  'ai_messages.role': 'Message sender: user, assistant, or system',
  'ai_messages.content': 'The actual message text',
  'ai_messages.tokens_used': 'OpenAI tokens consumed by this message',
  'ai_messages.response_time_ms': 'API response time in milliseconds',
  'ai_messages.metadata': 'Additional data like product IDs mentioned, intents, etc.',
  ai_user_preferences: 'Stores learned preferences from user interactions with AI',
  'ai_user_preferences.preferred_categories': 'Array of category names user is interested in',
  'ai_user_preferences.budget_min': 'Minimum budget mentioned by user',
  'ai_user_preferences.budget_max': 'Maximum budget mentioned by user',
  'ai_user_preferences.last_products_viewed': 'Array of product IDs viewed in chat',
  'ai_user_preferences.conversation_style': 'How the user prefers to communicate',
  ai_feedback: 'User feedback on AI assistant responses',
  'ai_feedback.helpful': 'Was this response helpful?',
  'ai_feedback.rating': 'User rating from 1-5 stars',
  'ai_feedback.feedback_text': 'Optional user comment',
  ai_product_cache: 'Cached product information optimized for AI retrieval',
  'ai_product_cache.description_text': 'Product description formatted for AI context',
  'ai_product_cache.search_keywords': 'Keywords for semantic search',
  'ai_product_cache.popularity_score': 'How often product is mentioned in chats',
  'users.role': 'User role: admin, supporter, or user',
};

const ADMIN_HASH = '$2a$12$VR1wDmweaF3ZTVgEHiJrNOSi8VcS4j0eamr96A/7iOe8vlum3O3/q';

// ---- The test --------------------------------------------------------------------------------

describe('migrate up: the schema and rows of SPEC.md', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('schema');
    const result = await runCli(['migrate', 'up', '--migrations-dir', MIGRATIONS_DIR], { env: { DATABASE_URL: db.url } });
    if (result.code !== 0) throw new Error(`migrate up failed (${result.code}): ${result.stderr}`);
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const tables = Object.keys(EXPECTED).sort();

  test('exactly the tables of SPEC.md (besides bookkeeping)', async () => {
    expect(Object.keys(await columns(client)).sort()).toEqual(tables);
  });

  test.each(tables)('%s: columns, in order, with types, nullability and defaults', async (table) => {
    expect((await columns(client))[table]).toEqual(EXPECTED[table].columns);
  });

  test('constraints: primary keys, foreign keys with their targets and actions, unique, check', async () => {
    const expected = tables.flatMap((t) => EXPECTED[t].constraints).sort();
    expect(await constraints(client)).toEqual(expected);
  });

  test('indexes: names, uniqueness, method, columns and order', async () => {
    const expected = tables.flatMap((t) => EXPECTED[t].indexes).sort();
    expect(await indexes(client)).toEqual(expected);
  });

  test('table and column comments', async () => {
    expect(await comments(client)).toEqual(EXPECTED_COMMENTS);
  });

  /** Reference rows: exactly these names with ids 1..n, and the sequence hands out n+1 next. */
  const REFERENCE_ROWS: [string, string, string[]][] = [
    ['#2', 'transaction_statuses', ['Pending', 'Cleared', 'Declined', 'Refunded', 'Partially refunded']],
    ['#5', 'statuses', ['Cleared', 'Refunded', 'Cancelled']],
  ];
  test.each(REFERENCE_ROWS)('%s %s: reference rows with ids 1..n in order; new rows get the next id', async (_, table, names) => {
    const { rows } = await client.query(`SELECT id, name FROM ${table} ORDER BY id`);
    expect(rows).toEqual(names.map((name, i) => ({ id: i + 1, name })));
    const seq = await client.query(`SELECT last_value, is_called FROM ${table}_id_seq`);
    expect(seq.rows[0]).toEqual({ last_value: String(names.length), is_called: true });
  });

  test('#6 and #25: the one admin user, with the known hash and role admin', async () => {
    const { rows } = await client.query('SELECT id, first_name, last_name, email, password, role FROM users');
    expect(rows).toEqual([
      { id: 1, first_name: 'Admin', last_name: 'User', email: 'admin@example.com', password: ADMIN_HASH, role: 'admin' },
    ]);
  });

  test('#16 demo data: two widgets and one transaction', async () => {
    const widgets = await client.query(
      'SELECT name, description, inventory_level, price, image, is_recurring, plan_id FROM widgets ORDER BY id',
    );
    expect(widgets.rows).toEqual([
      {
        name: 'Widget',
        description: 'A very nice widget.',
        inventory_level: 10,
        price: 1000,
        image: '/static/widget-1.png',
        is_recurring: false,
        plan_id: '',
      },
      {
        name: 'Golden Plan',
        description: 'Discount 30% for more than 3 subscriptions',
        inventory_level: 10,
        price: 3000,
        image: '',
        is_recurring: true,
        plan_id: 'price_1PudhBRxsxaX9o1Hau9cfEqp',
      },
    ]);
    const transactions = await client.query(`
      SELECT amount, currency, last_four, bank_return_code, expiry_month, expiry_year,
             payment_intent, payment_method, transaction_status_id FROM transactions`);
    expect(transactions.rows).toEqual([
      {
        amount: 1000,
        currency: 'USD',
        last_four: '1234',
        bank_return_code: '00',
        expiry_month: 12,
        expiry_year: 2025,
        payment_intent: 'intent123',
        payment_method: 'method456',
        transaction_status_id: 1,
      },
    ]);
  });

  test('no other rows: every other table is empty', async () => {
    const seeded = ['transaction_statuses', 'statuses', 'users', 'widgets', 'transactions'];
    for (const table of tables.filter((t) => !seeded.includes(t))) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${table}"`);
      expect({ table, rows: rows[0].n }).toEqual({ table, rows: 0 });
    }
  });
});
