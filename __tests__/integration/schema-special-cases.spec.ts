/**
 * The two migrations whose behaviour depends on what is already in the database:
 * #10 adds orders.customer_id only where it is missing, and #16's down deletes exactly the demo
 * rows #16 inserted: not look-alikes added later, and not (through ON DELETE CASCADE) orders.
 */
import { Client } from 'pg';
import { columns } from '../support/catalog';
import { MIGRATIONS_DIR, runCli } from '../support/cli';
import { createTestDatabase, TestDatabase } from '../support/database';
import { migrationFileNames, migrationPrefix, MigrationPrefix } from '../support/migration-prefix';

const names = migrationFileNames();
const position = (suffix: string) => names.findIndex((n) => n.endsWith(suffix)) + 1;
const ADD_CUSTOMER_ID_AGAIN = position('_add_customer_id_to_orders_table.ts'); // #10
const SEED_WIDGETS = position('_seed_widgets.ts'); // #16

describe('migrations that depend on the data they meet', () => {
  let db: TestDatabase;
  let client: Client;
  let prefix: MigrationPrefix;

  const migrate = (args: string[]) => runCli(['migrate', ...args], { env: { DATABASE_URL: db.url } });
  async function upTo(count: number): Promise<void> {
    prefix.extendTo(count);
    const result = await migrate(['up', '--migrations-dir', prefix.dir]);
    if (result.code !== 0) throw new Error(`migrate up failed (${result.code}): ${result.stderr}`);
  }
  const downOne = () => migrate(['down', '--count', '1', '--yes', '--migrations-dir', MIGRATIONS_DIR]);
  const widgetNames = async () => (await client.query('SELECT id, name FROM widgets ORDER BY id')).rows.map((r) => `${r.id} ${r.name}`);

  beforeEach(async () => {
    db = await createTestDatabase('special');
    client = new Client({ connectionString: db.url });
    await client.connect();
    prefix = migrationPrefix();
  });

  afterEach(async () => {
    prefix?.remove();
    await client?.end();
    await db?.drop();
  });

  test('#10 adds orders.customer_id where it is missing', async () => {
    expect(ADD_CUSTOMER_ID_AGAIN).toBe(10);
    await upTo(ADD_CUSTOMER_ID_AGAIN - 1);
    await client.query('ALTER TABLE orders DROP COLUMN customer_id'); // a database #8 did not fully reach
    await upTo(ADD_CUSTOMER_ID_AGAIN);
    expect((await columns(client)).orders).toContain('customer_id integer');
  });

  test('#16 down removes the seeded rows and leaves identical rows added later', async () => {
    expect(SEED_WIDGETS).toBe(16);
    await upTo(SEED_WIDGETS);
    // Look-alikes of every seeded row, written after the seed (so with later ids).
    await client.query(`
      INSERT INTO widgets (name, description, inventory_level, price, image, is_recurring, plan_id)
        SELECT name, description, inventory_level, price, image, is_recurring, plan_id FROM widgets ORDER BY id`);
    await client.query(`
      INSERT INTO transactions (amount, currency, last_four, bank_return_code, expiry_month, expiry_year,
                                payment_intent, payment_method, transaction_status_id)
        SELECT amount, currency, last_four, bank_return_code, expiry_month, expiry_year,
               payment_intent, payment_method, transaction_status_id FROM transactions`);
    expect(await widgetNames()).toEqual(['1 Widget', '2 Golden Plan', '3 Widget', '4 Golden Plan']);

    expect((await downOne()).code).toBe(0);
    expect(await widgetNames()).toEqual(['3 Widget', '4 Golden Plan']);
    expect((await client.query('SELECT id FROM transactions')).rows).toEqual([{ id: 2 }]);
  });

  test('#16 down refuses, changing nothing, while an order refers to a seeded row', async () => {
    await upTo(SEED_WIDGETS);
    await client.query('INSERT INTO orders (widget_id, quantity, amount) VALUES (1, 1, 1000)');

    const refused = await downOne();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/cannot undo seed_widgets: 1 order\(s\) refer to its demo widgets or payment/);
    expect(await widgetNames()).toEqual(['1 Widget', '2 Golden Plan']);
    expect((await client.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(1);

    await client.query('DELETE FROM orders');
    expect((await downOne()).code).toBe(0);
    expect(await widgetNames()).toEqual([]);
  });
});
