-- One claim per client, platform and order (docs/attribution.md section 2).
-- materialized: table
-- incremental: client_id
-- partition: month(month)
-- version: 2
-- unique: client_id, platform, order_key
--
-- Several different current rows of one platform for one order: a row from an upload whose window covers
-- the order's date (the authoritative upload for that date) beats a row an upload lists outside its own
-- window; then the latest upload; then, within one upload, the latest known touch time wins and the tie
-- rules of section 4: touch type, the smaller message id (as numbers when every tied id is a whole
-- number), the larger claimed revenue, the claim's remaining fields as text. Never the row's line, so
-- shuffling a file's rows changes nothing. The rows set aside are counted in marts.data_quality.
WITH tied AS (
    SELECT
        *,
        bool_and(lt_is_whole_number(message_id)) OVER (
            PARTITION BY client_id, platform, order_key, in_own_window, upload_id, touch_at IS NULL, touch_at,
                lt_touch_type_rank(touch_type)
        ) AS message_ids_whole
    FROM dedup.dedup_claim_rows
)

SELECT
    * EXCLUDE (message_ids_whole),
    count(*) OVER (PARTITION BY client_id, platform, order_key) AS platform_rows
FROM tied
QUALIFY row_number() OVER (
    PARTITION BY client_id, platform, order_key
    ORDER BY
        in_own_window DESC,
        upload_id DESC,
        touch_at IS NULL,
        touch_at DESC,
        lt_touch_type_rank(touch_type),
        lt_message_id_key(message_id, message_ids_whole),
        revenue DESC,
        lt_claim_text(channel, order_id, order_name, order_created_at, currency, message_name, reported_touch_at),
        row_hash
) = 1
