-- One claim per client, platform and order (attribution.md section 2).
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- Several different current rows of one platform for one order: a row from an upload whose window covers
-- the order's date (the authoritative upload for that date) beats a row an upload lists outside its own
-- window; then the latest upload; then, within one upload, the latest known touch time wins and the tie
-- rules of section 4 (touch type, smaller message id, earlier line). The rows set aside are counted in
-- marts.data_quality.
SELECT
    *,
    count(*) OVER (PARTITION BY client_id, platform, order_key) AS platform_rows
FROM dedup.dedup_claim_rows
QUALIFY row_number() OVER (
    PARTITION BY client_id, platform, order_key
    ORDER BY
        in_own_window DESC,
        upload_id DESC,
        touch_at IS NULL,
        touch_at DESC,
        CASE touch_type WHEN 'click' THEN 1 WHEN 'coupon' THEN 2 WHEN 'open' THEN 3 WHEN 'view' THEN 4 END,
        try_cast(message_id AS HUGEINT) NULLS LAST,
        message_id NULLS LAST,
        line
) = 1
