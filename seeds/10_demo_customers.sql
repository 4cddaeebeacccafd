-- Demo customers for development and demos (never applied by migrate up, so never in production).
-- Idempotent: applied again, nothing changes.
INSERT INTO customers (first_name, last_name, email)
VALUES ('Ada', 'Lovelace', 'ada@demo.usualstore.test'),
       ('Alan', 'Turing', 'alan@demo.usualstore.test')
ON CONFLICT (email) DO NOTHING;
