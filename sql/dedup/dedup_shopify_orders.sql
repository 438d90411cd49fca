-- The current Shopify orders of each client: one row per order key.
-- materialized: table
-- incremental: client_id
-- partition: month(order_date)
-- version: 2
--
-- As for claims (docs/attribution.md section 2), orders a newer Shopify upload supersedes are left out
-- (dedup.dedup_superseded_rows); an order still listed by several uploads is taken from the latest. The order key is the normalised order name, which Shopify keeps unique within a store.
WITH current_rows AS (
    SELECT o.*
    FROM staging.stg_shopify_orders AS o
    WHERE NOT EXISTS (
        SELECT 1 FROM dedup.dedup_superseded_rows AS s WHERE s.upload_id = o.upload_id AND s.line = o.line
    )
)

SELECT
    client_id,
    order_name_key AS order_key,
    order_name,
    order_name_key,
    order_id,
    upload_id,
    line,
    created_at,
    order_date,
    currency,
    total,
    refunded_amount,
    is_cancelled,
    financial_status,
    line_items,
    order_rows
FROM current_rows
QUALIFY row_number() OVER (PARTITION BY client_id, order_name_key ORDER BY upload_id DESC, line) = 1
