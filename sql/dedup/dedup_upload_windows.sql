-- The coverage window of every upload: [--from, --to] when given at import, else the first and last
-- order dates of its rows in the client's time zone (attribution.md section 2).
-- materialized: table
-- incremental: client_id
-- version: 1
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
LEFT JOIN staging.stg_dated_rows AS d USING (upload_id)
GROUP BY u.upload_id, u.client_id, u.platform, u.file_name, u.imported_at, u.window_explicit
