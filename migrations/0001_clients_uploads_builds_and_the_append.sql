-- clients, uploads, builds and the append-only raw tables

    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE SCHEMA IF NOT EXISTS raw;

    CREATE TABLE meta.clients (
      client_id VARCHAR PRIMARY KEY,
      view_only VARCHAR NOT NULL DEFAULT 'include' CHECK (view_only IN ('include', 'exclude')),
      model VARCHAR NOT NULL DEFAULT 'flat' CHECK (model IN ('flat', 'click-priority')),
      timezone VARCHAR NOT NULL DEFAULT 'UTC',
      source_timezone VARCHAR NOT NULL DEFAULT 'UTC',
      currency VARCHAR NOT NULL DEFAULT 'USD',
      platform_priority VARCHAR[] NOT NULL DEFAULT [],
      notify VARCHAR,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );

    CREATE SEQUENCE meta.upload_id_seq START 1;
    CREATE TABLE meta.uploads (
      upload_id INTEGER PRIMARY KEY DEFAULT nextval('meta.upload_id_seq'),
      client_id VARCHAR NOT NULL,
      platform VARCHAR NOT NULL CHECK (platform IN ('postscript', 'klaviyo', 'shopify')),
      file_name VARCHAR NOT NULL,
      file_sha256 VARCHAR NOT NULL,
      row_count INTEGER NOT NULL,
      order_count INTEGER NOT NULL,
      window_from DATE,
      window_to DATE,
      window_explicit BOOLEAN NOT NULL,
      options JSON NOT NULL,
      imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (client_id, platform, file_sha256)
    );

    CREATE TABLE raw.postscript_claims (

upload_id INTEGER NOT NULL,
line INTEGER NOT NULL,
order_id VARCHAR,
order_name VARCHAR,
order_created_at TIMESTAMPTZ NOT NULL,
revenue DECIMAL(18,2) NOT NULL,
currency VARCHAR,
message_id VARCHAR,
message_name VARCHAR,
email VARCHAR,

      attribution_type VARCHAR NOT NULL,
      message_type VARCHAR,
      sent_at TIMESTAMPTZ,
      clicked_at TIMESTAMPTZ,
      minutes_from_action DOUBLE,
      subscriber_phone VARCHAR,
      subscriber_phone_e164 VARCHAR,
      subscriber_id VARCHAR,
      customer_id VARCHAR,
      coupon_code VARCHAR,
      source_record JSON NOT NULL
    );

    CREATE TABLE raw.klaviyo_claims (

upload_id INTEGER NOT NULL,
line INTEGER NOT NULL,
order_id VARCHAR,
order_name VARCHAR,
order_created_at TIMESTAMPTZ NOT NULL,
revenue DECIMAL(18,2) NOT NULL,
currency VARCHAR,
message_id VARCHAR,
message_name VARCHAR,
email VARCHAR,

      event_id VARCHAR,
      channel VARCHAR NOT NULL,
      touch_type VARCHAR NOT NULL,
      flow_id VARCHAR,
      flow_name VARCHAR,
      touch_at TIMESTAMPTZ,
      send_ts TIMESTAMPTZ,
      phone VARCHAR,
      phone_e164 VARCHAR,
      source_record JSON NOT NULL
    );

    CREATE TABLE raw.shopify_order_lines (
      upload_id INTEGER NOT NULL,
      line INTEGER NOT NULL,
      order_name VARCHAR NOT NULL,
      order_id VARCHAR,
      is_order_row BOOLEAN NOT NULL,
      email VARCHAR,
      phone VARCHAR,
      phone_e164 VARCHAR,
      financial_status VARCHAR,
      paid_at TIMESTAMPTZ,
      cancelled_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ,
      currency VARCHAR,
      subtotal DECIMAL(18,2),
      shipping DECIMAL(18,2),
      taxes DECIMAL(18,2),
      total DECIMAL(18,2),
      discount_code VARCHAR,
      discount_amount DECIMAL(18,2),
      refunded_amount DECIMAL(18,2),
      source VARCHAR,
      tags VARCHAR,
      lineitem_quantity INTEGER,
      lineitem_name VARCHAR,
      lineitem_price DECIMAL(18,2),
      lineitem_sku VARCHAR,
      source_record JSON NOT NULL
    );

    CREATE SEQUENCE meta.build_id_seq START 1;
    CREATE TABLE meta.builds (
      build_id INTEGER PRIMARY KEY DEFAULT nextval('meta.build_id_seq'),
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ NOT NULL,
      models_run INTEGER NOT NULL,
      models_skipped INTEGER NOT NULL,
      tests_run INTEGER NOT NULL,
      selector VARCHAR
    );

    CREATE TABLE meta.model_state (
      model VARCHAR PRIMARY KEY,
      version VARCHAR,
      fingerprint VARCHAR NOT NULL,
      build_id INTEGER NOT NULL,
      built_at TIMESTAMPTZ NOT NULL,
      row_count BIGINT NOT NULL
    );
