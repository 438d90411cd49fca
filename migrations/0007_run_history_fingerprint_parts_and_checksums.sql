-- every build and model run recorded, each model with what its fingerprint was made of and its previous version, each migration with its checksum
--
-- meta.model_state.basis: the definition, the parents' fingerprints and the sources' state, as JSON, so
-- that a build plan can say why a model is rebuilt; models recorded before have none, and their next
-- build says so.
--
-- meta.builds keeps the published builds (reports and status read the last one); meta.build_runs holds
-- every build a command started, published, held back or failed, with its error, and meta.model_runs
-- every model it ran, with its fingerprint, version label, times, rows and outcome. A failed build's
-- models are rolled back: their runs say so. The checksum of a migration is the SHA-256 of its file,
-- recorded when it is applied (for the ones applied before this one, when this one is), so that a file
-- changed after it shipped is found.
--
-- meta.previous_versions: when a change to a model's SQL (or to a model upstream of it) rebuilds it, the
-- build keeps its previous output as previous.<layer>__<name> until a later build rebuilds the model
-- again, so that `lasttouch diff` can compare the two.

ALTER TABLE meta.schema_migrations ADD COLUMN checksum VARCHAR;

ALTER TABLE meta.model_state ADD COLUMN basis JSON;

CREATE SEQUENCE meta.run_id_seq START 1;

CREATE TABLE meta.build_runs (
  run_id INTEGER PRIMARY KEY DEFAULT nextval('meta.run_id_seq'),
  build_id INTEGER,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  status VARCHAR NOT NULL CHECK (status IN ('built', 'held back', 'failed')),
  selector VARCHAR,
  full_refresh BOOLEAN NOT NULL,
  -- The data tests the build ran (a hash of their SQL): a build that would rebuild nothing and run the
  -- same tests writes nothing.
  tests_fingerprint VARCHAR,
  error VARCHAR
);

CREATE TABLE meta.model_runs (
  run_id INTEGER NOT NULL,
  model VARCHAR NOT NULL,
  action VARCHAR NOT NULL CHECK (action IN ('build', 'update')),
  clients VARCHAR[],
  fingerprint VARCHAR NOT NULL,
  version VARCHAR,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  row_count BIGINT,
  status VARCHAR NOT NULL CHECK (status IN ('built', 'failed', 'rolled back')),
  error VARCHAR,
  PRIMARY KEY (run_id, model)
);

CREATE TABLE meta.previous_versions (
  model VARCHAR PRIMARY KEY,
  table_name VARCHAR NOT NULL,
  fingerprint VARCHAR NOT NULL,
  version VARCHAR,
  build_id INTEGER NOT NULL,
  kept_at TIMESTAMPTZ NOT NULL
);
