-- Every claim row of every Postscript and Klaviyo upload in one shape, with its reported touch time.
-- materialized: table
-- incremental: client_id
-- version: 3
--
-- Raw rows keep their timestamps as the export wrote them; here they become instants (sql/macros/time.sql):
-- a naive time is wall-clock time in the client's source_timezone (docs/attribution.md section 3).
--
-- row_hash: 128 bits of every cell of the row but its upload and line, so that identical rows of one
-- upload can be counted as one claim (dedup.dedup_claim_rows), and a last tie-break that never depends
-- on where a row stands in its file.
--
-- Touch time (section 3) as the platform reports it; a touch later than the order is turned into
-- "unknown" in dedup.dedup_claim_rows, once the order's own creation time is known.
--   Postscript: clicked_at for a click when present; else sent_at; else order_created_at minus
--               minutes_from_action; else unknown.
--   Klaviyo:    touch_at when present; else send_ts; else unknown.
WITH postscript AS (
    SELECT
        u.client_id,
        c.timezone AS client_timezone,
        c.currency AS client_currency,
        'postscript' AS platform,
        'sms' AS channel,
        r.upload_id,
        r.line,
        r.order_id,
        r.order_name,
        lt_instant(r.order_created_at, c.source_timezone) AS order_created_at,
        r.revenue,
        r.currency,
        r.attribution_type AS touch_type,
        r.message_id,
        r.message_name,
        CASE
            WHEN r.attribution_type = 'click' AND r.clicked_at IS NOT NULL THEN lt_instant(r.clicked_at, c.source_timezone)
            WHEN r.sent_at IS NOT NULL THEN lt_instant(r.sent_at, c.source_timezone)
            WHEN r.minutes_from_action IS NOT NULL
                THEN lt_instant(r.order_created_at, c.source_timezone)
                    - to_microseconds(CAST(round(r.minutes_from_action * 60000000) AS BIGINT))
        END AS reported_touch_at,
        (hash(*COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT << 64)
            | hash('identical rows', *COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT AS row_hash
    FROM raw.postscript_claims AS r
    JOIN staging.stg_uploads AS u USING (upload_id)
    JOIN staging.stg_clients AS c ON c.client_id = u.client_id
),

klaviyo AS (
    SELECT
        u.client_id,
        c.timezone AS client_timezone,
        c.currency AS client_currency,
        'klaviyo' AS platform,
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
        lt_instant(coalesce(r.touch_at, r.send_ts), c.source_timezone) AS reported_touch_at,
        (hash(*COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT << 64)
            | hash('identical rows', *COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT AS row_hash
    FROM raw.klaviyo_claims AS r
    JOIN staging.stg_uploads AS u USING (upload_id)
    JOIN staging.stg_clients AS c ON c.client_id = u.client_id
),

claims AS (
    SELECT * FROM postscript
    UNION ALL
    SELECT * FROM klaviyo
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
