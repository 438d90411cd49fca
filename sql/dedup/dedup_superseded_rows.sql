-- The rows that a newer upload supersedes (docs/attribution.md section 2), claims and Shopify orders alike.
-- materialized: table
-- incremental: client_id
-- partition: month(order_date)
-- version: 2
--
-- For every client, platform and order date, the latest imported upload whose window covers that date
-- is authoritative: a row of an older upload on a covered date is superseded, also when the newer upload
-- no longer lists its order (the platform withdrew the claim). Rows outside every newer window stay.
-- superseded_by: the authoritative upload for the row's date. `import` prints what a new upload
-- supersedes from this model.
WITH authoritative AS (
    -- one row per client, platform and covered day (windows are a few months each), so that rows meet
    -- their authoritative upload in an equi-join
    SELECT w.client_id, w.platform, CAST(d.day AS DATE) AS day, max(w.upload_id) AS upload_id
    FROM dedup.dedup_upload_windows AS w, generate_series(w.window_from, w.window_to, INTERVAL 1 DAY) AS d(day)
    WHERE w.window_from IS NOT NULL
    GROUP BY ALL
)

SELECT
    r.client_id,
    r.platform,
    r.upload_id,
    r.line,
    r.order_date,
    r.order_id,
    r.order_name_key,
    a.upload_id AS superseded_by
FROM staging.stg_dated_rows AS r
JOIN authoritative AS a ON a.client_id = r.client_id AND a.platform = r.platform AND a.day = r.order_date
WHERE a.upload_id > r.upload_id
