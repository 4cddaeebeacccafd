-- A paid demo order for each demo customer: a cleared payment of one Widget (the demo widget the
-- historical migrations insert). Keyed by the payment intent, so applying it again adds nothing.
INSERT INTO transactions (amount, currency, last_four, bank_return_code, transaction_status_id, expiry_month, expiry_year, payment_intent, payment_method)
SELECT 1000, 'USD', '4242', '00', 2, 12, 2030, 'demo-intent-' || c.email, 'demo-method'
  FROM customers c
 WHERE c.email LIKE '%@demo.usualstore.test'
   AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.payment_intent = 'demo-intent-' || c.email);

INSERT INTO orders (widget_id, transaction_id, status_id, quantity, amount, customer_id)
SELECT w.id, t.id, 1, 1, 1000, c.id
  FROM customers c
  JOIN transactions t ON t.payment_intent = 'demo-intent-' || c.email
  JOIN widgets w ON w.name = 'Widget'
 WHERE c.email LIKE '%@demo.usualstore.test'
   AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.transaction_id = t.id);
