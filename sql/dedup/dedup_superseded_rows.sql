-- The rows that a newer upload supersedes (attribution.md section 2), claims and Shopify orders alike.
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- For every client, platform and order date, the latest imported upload whose window covers that date
-- is authoritative: a row of an older upload on a covered date is superseded, also when the newer upload
-- no longer lists its order (the platform withdrew the claim). Rows outside every newer window stay.
SELECT r.client_id, r.platform, r.upload_id, r.line, r.order_date
FROM staging.stg_dated_rows AS r
WHERE EXISTS (
    SELECT 1
    FROM dedup.dedup_upload_windows AS newer
    WHERE newer.client_id = r.client_id
      AND newer.platform = r.platform
      AND newer.upload_id > r.upload_id
      AND r.order_date BETWEEN newer.window_from AND newer.window_to
)
