-- The coverage window of every upload: [--from, --to] when given at import, else the first and last
-- order dates of its rows in the client's time zone (attribution.md section 2).
-- materialized: table
-- version: 1
WITH row_dates AS (
    SELECT upload_id, order_date FROM staging.stg_claims
    UNION ALL
    SELECT upload_id, order_date FROM staging.stg_shopify_orders
)

SELECT
    u.upload_id,
    u.client_id,
    u.platform,
    u.file_name,
    u.imported_at,
    u.window_explicit,
    CASE WHEN u.window_explicit THEN any_value(u.window_from) ELSE min(d.order_date) END AS window_from,
    CASE WHEN u.window_explicit THEN any_value(u.window_to) ELSE max(d.order_date) END AS window_to
FROM meta.uploads AS u
LEFT JOIN row_dates AS d USING (upload_id)
GROUP BY u.upload_id, u.client_id, u.platform, u.file_name, u.imported_at, u.window_explicit
