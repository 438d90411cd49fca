-- per model and client, the state of the client the model was last built for

CREATE TABLE meta.model_client_state (
  model VARCHAR NOT NULL,
  client_id VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  PRIMARY KEY (model, client_id)
);
