-- timestamps kept as written, removable uploads, windows only where given, clients held back by a build
--
-- Raw timestamps were instants, naive ones read in the client's source_timezone at import; they are
-- now kept as written and every build reads them (sql/macros/time.sql). Rows imported before this
-- migration no longer know which of their times were naive: each keeps its instant exactly, as a UTC
-- wall time with offset 0, so no figure changes; a later change of source_timezone applies to them
-- after a re-import. A window computed from first and last order dates is the models' to derive, so
-- only a window given with --from/--to stays on the upload.

ALTER TABLE raw.postscript_claims ALTER COLUMN order_created_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN order_created_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', order_created_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.postscript_claims ALTER COLUMN sent_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN sent_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', sent_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.postscript_claims ALTER COLUMN clicked_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN clicked_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', clicked_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.klaviyo_claims ALTER COLUMN order_created_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN order_created_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', order_created_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.klaviyo_claims ALTER COLUMN touch_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN touch_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', touch_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.klaviyo_claims ALTER COLUMN send_ts SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN send_ts IS NOT NULL THEN struct_pack(wall := timezone('UTC', send_ts), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.shopify_order_lines ALTER COLUMN paid_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN paid_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', paid_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.shopify_order_lines ALTER COLUMN cancelled_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN cancelled_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', cancelled_at), offset_minutes := CAST(0 AS SMALLINT)) END;
ALTER TABLE raw.shopify_order_lines ALTER COLUMN created_at SET DATA TYPE STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)
         USING CASE WHEN created_at IS NOT NULL THEN struct_pack(wall := timezone('UTC', created_at), offset_minutes := CAST(0 AS SMALLINT)) END;
UPDATE meta.uploads SET window_from = NULL, window_to = NULL WHERE NOT window_explicit;

CREATE TABLE meta.upload_removals (
  upload_id INTEGER NOT NULL,
  removed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  restored_at TIMESTAMPTZ
);

CREATE TABLE meta.build_failures (
  build_id INTEGER NOT NULL,
  client_id VARCHAR NOT NULL,
  test VARCHAR NOT NULL,
  failing_rows BIGINT NOT NULL,
  PRIMARY KEY (build_id, client_id, test)
);
