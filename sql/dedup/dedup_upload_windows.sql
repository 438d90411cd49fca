-- The coverage window of every upload (docs/attribution.md section 2): [--from, --to] when given at import,
-- else the first and last order dates of its rows in the client's time zone. `import` and `status`
-- print the windows this model gives.
-- materialized: table
-- incremental: client_id
-- partition: upload_id
-- version: 2
SELECT
    u.upload_id,
    u.client_id,
    u.platform,
    u.file_name,
    u.imported_at,
    u.window_explicit,
    CASE WHEN u.window_explicit THEN any_value(u.given_from) ELSE min(d.order_date) END AS window_from,
    CASE WHEN u.window_explicit THEN any_value(u.given_to) ELSE max(d.order_date) END AS window_to
FROM staging.stg_uploads AS u
LEFT JOIN staging.stg_dated_rows AS d USING (upload_id)
GROUP BY u.upload_id, u.client_id, u.platform, u.file_name, u.imported_at, u.window_explicit
