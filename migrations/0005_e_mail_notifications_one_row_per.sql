-- e-mail notifications: one row per message and recipient, with its delivery status
--
-- One row per recipient, so that a refused address is retried alone. The message is kept whole, so
-- that a retry sends what the import or the monthly run said at the time. Status: pending (queued in
-- the same write as what it announces; a command that ends before delivering leaves it so), sent
-- (accepted by the SMTP server), written (an .eml file in the outbox), failed (last_error says why).

CREATE SEQUENCE meta.notification_id_seq START 1;
CREATE TABLE meta.notifications (
  notification_id INTEGER PRIMARY KEY DEFAULT nextval('meta.notification_id_seq'),
  client_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('import-complete', 'monthly-report')),
  upload_id INTEGER,
  month DATE,
  recipient VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  body_text VARCHAR NOT NULL,
  body_html VARCHAR NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'written', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error VARCHAR,
  delivered_to VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempted_at TIMESTAMPTZ,
  delivered_at TIMESTAMPTZ
);
