-- Every claim row and every Shopify order of every upload, with its order date in the client's time zone
-- and the order it names: what coverage windows and supersession (docs/attribution.md section 2) are
-- decided on.
-- materialized: table
-- incremental: client_id
-- partition: upload_id, month(order_date)
-- version: 3
--
-- order_id_as_name_key: a claim's order id read as an order name (section 1), by which it may meet a
-- Shopify order; with order_id and order_name_key, the texts that make rows one order when a build finds
-- the months an upload touches (sql/incremental/order_links.sql).
SELECT client_id, platform, upload_id, line, order_date, trim(order_id) AS order_id, order_name_key, order_id_as_name_key
FROM staging.stg_claims
UNION ALL
SELECT client_id, 'shopify' AS platform, upload_id, line, order_date, trim(order_id) AS order_id, order_name_key,
    NULL AS order_id_as_name_key
FROM staging.stg_shopify_orders
