-- Every claim row and every Shopify order of every upload, with its order date in the client's time zone
-- and the order it names: what coverage windows and supersession (docs/attribution.md section 2) are
-- decided on.
-- materialized: table
-- incremental: client_id
-- version: 2
SELECT client_id, platform, upload_id, line, order_date, trim(order_id) AS order_id, order_name_key
FROM staging.stg_claims
UNION ALL
SELECT client_id, 'shopify' AS platform, upload_id, line, order_date, trim(order_id) AS order_id, order_name_key
FROM staging.stg_shopify_orders
