-- Every claim row of every claims platform's upload in one shape, with its reported touch time.
-- materialized: table
-- incremental: client_id
-- partition: upload_id, month(order_date)
-- version: 4
--
-- Raw rows keep their timestamps as the export wrote them; here they become instants (sql/macros/time.sql):
-- a naive time is wall-clock time in the client's source_timezone (docs/attribution.md section 3).
--
-- The rows come from raw.claim_rows, which holds every claims platform's rows in one shape (each
-- export format declares which of its columns fills which field; a platform added as a declaration file
-- is read here with no change). row_hash there: 128 bits of every cell of the raw row but its upload and
-- line, so that identical rows of one upload can be counted as one claim (dedup.dedup_claim_rows), and a
-- last tie-break that never depends on where a row stands in its file.
--
-- Touch time (section 3) as the platform reports it, the first of: the click's time, for a click, when
-- the export gives it (Postscript's clicked_at); the touch's own time (Klaviyo's touch_at); the send time
-- (Postscript's sent_at, Klaviyo's $send_ts); the order's creation time minus minutes_from_action; else
-- unknown. A touch later than the order is turned into "unknown" in dedup.dedup_claim_rows, once the
-- order's own creation time is known. A message without a name of its own is called by its flow's name.
WITH claims AS (
    SELECT
        u.client_id,
        c.timezone AS client_timezone,
        c.currency AS client_currency,
        r.platform,
        r.channel,
        r.upload_id,
        r.line,
        r.order_id,
        r.order_name,
        lt_instant(r.order_created_at, c.source_timezone) AS order_created_at,
        r.revenue,
        r.currency,
        r.touch_type,
        r.message_id,
        coalesce(r.message_name, r.flow_name) AS message_name,
        CASE
            WHEN r.touch_type = 'click' AND r.clicked_at IS NOT NULL THEN lt_instant(r.clicked_at, c.source_timezone)
            WHEN r.touch_at IS NOT NULL THEN lt_instant(r.touch_at, c.source_timezone)
            WHEN r.sent_at IS NOT NULL THEN lt_instant(r.sent_at, c.source_timezone)
            WHEN r.minutes_from_action IS NOT NULL
                THEN lt_instant(r.order_created_at, c.source_timezone)
                    - to_microseconds(CAST(round(r.minutes_from_action * 60000000) AS BIGINT))
        END AS reported_touch_at,
        r.row_hash
    FROM raw.claim_rows AS r
    JOIN staging.stg_uploads AS u USING (upload_id)
    JOIN staging.stg_clients AS c ON c.client_id = u.client_id
)

SELECT
    claims.client_id,
    claims.platform,
    claims.channel,
    claims.upload_id,
    claims.line,
    claims.order_id,
    claims.order_name,
    -- Order keys (section 1): the name trimmed, case-folded, one leading # dropped.
    lt_order_name_key(claims.order_name) AS order_name_key,
    lt_order_name_key(claims.order_id) AS order_id_as_name_key,
    claims.order_created_at,
    lt_local_date(claims.order_created_at, claims.client_timezone) AS order_date,
    claims.revenue,
    upper(coalesce(claims.currency, claims.client_currency)) AS currency,
    claims.touch_type,
    claims.message_id,
    claims.message_name,
    claims.reported_touch_at,
    claims.row_hash
FROM claims
