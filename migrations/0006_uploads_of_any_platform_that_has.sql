-- uploads of any platform that has an export format
--
-- The platforms were a fixed list in a CHECK; a platform is now any export format declared under
-- src/ingest/formats/, whose raw table is created from its declaration (format-tables.ts). DuckDB
-- cannot drop a constraint, so the table is rebuilt with its rows, ids and keys as they are.

CREATE TABLE meta.uploads_v6 (
  upload_id INTEGER PRIMARY KEY DEFAULT nextval('meta.upload_id_seq'),
  client_id VARCHAR NOT NULL,
  platform VARCHAR NOT NULL CHECK (regexp_full_match(platform, '[a-z][a-z0-9_]*')),
  file_name VARCHAR NOT NULL,
  file_sha256 VARCHAR NOT NULL,
  row_count INTEGER NOT NULL,
  order_count INTEGER NOT NULL,
  window_from DATE,
  window_to DATE,
  window_explicit BOOLEAN NOT NULL,
  options JSON NOT NULL,
  imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  source_headers VARCHAR[],
  UNIQUE (client_id, platform, file_sha256)
);
INSERT INTO meta.uploads_v6 BY NAME SELECT * FROM meta.uploads ORDER BY upload_id;
DROP TABLE meta.uploads;
ALTER TABLE meta.uploads_v6 RENAME TO uploads;
