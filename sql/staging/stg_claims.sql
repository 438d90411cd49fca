-- Every claim row of every Postscript and Klaviyo upload in one shape, with its reported touch time.
-- materialized: table
-- incremental: client_id
-- version: 2
--
-- row_hash: 128 bits of every cell of the row but its upload and line, so that identical rows of one
-- upload can be counted as one claim (dedup.dedup_claim_rows).
--
-- Touch time (attribution.md section 3) as the platform reports it; a touch later than the order is
-- turned into "unknown" in dedup.dedup_claims, once the order's own creation time is known.
--   Postscript: clicked_at for a click when present; else sent_at; else order_created_at minus
--               minutes_from_action; else unknown.
--   Klaviyo:    touch_at when present; else send_ts; else unknown.
WITH postscript AS (
    SELECT
        u.client_id,
        'postscript' AS platform,
        'sms' AS channel,
        r.upload_id,
        r.line,
        r.order_id,
        r.order_name,
        r.order_created_at,
        r.revenue,
        r.currency,
        r.attribution_type AS touch_type,
        r.message_id,
        r.message_name,
        CASE
            WHEN r.attribution_type = 'click' AND r.clicked_at IS NOT NULL THEN r.clicked_at
            WHEN r.sent_at IS NOT NULL THEN r.sent_at
            WHEN r.minutes_from_action IS NOT NULL
                THEN r.order_created_at - to_microseconds(CAST(round(r.minutes_from_action * 60000000) AS BIGINT))
        END AS reported_touch_at,
        (hash(*COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT << 64)
            | hash('identical rows', *COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT AS row_hash
    FROM raw.postscript_claims AS r
    JOIN meta.uploads AS u USING (upload_id)
),

klaviyo AS (
    SELECT
        u.client_id,
        'klaviyo' AS platform,
        r.channel,
        r.upload_id,
        r.line,
        r.order_id,
        r.order_name,
        r.order_created_at,
        r.revenue,
        r.currency,
        r.touch_type,
        r.message_id,
        coalesce(r.message_name, r.flow_name) AS message_name,
        coalesce(r.touch_at, r.send_ts) AS reported_touch_at,
        (hash(*COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT << 64)
            | hash('identical rows', *COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT AS row_hash
    FROM raw.klaviyo_claims AS r
    JOIN meta.uploads AS u USING (upload_id)
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
    -- Order keys (attribution.md section 1): the name trimmed, case-folded, one leading # dropped.
    nullif(regexp_replace(lower(trim(claims.order_name)), '^#', ''), '') AS order_name_key,
    nullif(regexp_replace(lower(trim(claims.order_id)), '^#', ''), '') AS order_id_as_name_key,
    claims.order_created_at,
    CAST(timezone(c.timezone, claims.order_created_at) AS DATE) AS order_date,
    claims.revenue,
    upper(coalesce(claims.currency, c.currency)) AS currency,
    claims.touch_type,
    claims.message_id,
    claims.message_name,
    claims.reported_touch_at,
    claims.row_hash
FROM claims
JOIN staging.stg_clients AS c USING (client_id)
