-- The demo rows the historical migrations insert (they run everywhere, production included),
-- removed from a real installation:
--   ./usualstore-db shell --database-url "$PRODUCTION_URL" < production/remove-demo-rows.sql
-- One transaction, stopping at the first error; running it again changes nothing. New demo data
-- goes to seeds/, which no deploy applies. The two widgets stay: they are the shop's catalog (the
-- Golden Plan carries its Stripe price); change them as any product.
BEGIN;

-- The demo admin (its password hash is public), once another user exists to administer the shop.
DELETE FROM users
 WHERE email = 'admin@example.com'
   AND EXISTS (SELECT 1 FROM users WHERE email <> 'admin@example.com');

-- The demo payment of 20241204063421_seed_widgets, unless an order refers to it.
DELETE FROM transactions t
 WHERE t.payment_intent = 'intent123' AND t.payment_method = 'method456'
   AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.transaction_id = t.id);

COMMIT;
