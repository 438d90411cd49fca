-- Claim rows that are still current, each with its resolved order key and effective touch time.
-- materialized: table
-- incremental: client_id
-- partition: month(month)
-- version: 3
--
-- docs/attribution.md section 2: rows a newer upload supersedes are left out (dedup.dedup_superseded_rows);
-- within one upload, identical rows are one claim.
-- Section 1: a claim matches a Shopify order by numeric Id, then by normalised order name; a claim
-- that matches none keeps its own key: its normalised name, else the name another unmatched claim gives
-- the same order id (so a name-and-id claim and an id-only claim stay one order), else its order id.
-- Section 3: a touch later than the order's creation time counts as unknown.
WITH current_rows AS (
    SELECT c.*
    FROM staging.stg_claims AS c
    WHERE NOT EXISTS (
        SELECT 1 FROM dedup.dedup_superseded_rows AS s WHERE s.upload_id = c.upload_id AND s.line = c.line
    )
),

-- Windows partition by client_id too, though an upload's rows are all one client's: a build that rebuilds
-- some clients only can then leave the others' rows out before the windows run.
distinct_rows AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY client_id, upload_id, row_hash) AS identical_rows
    FROM current_rows
    QUALIFY row_number() OVER (PARTITION BY client_id, upload_id, row_hash ORDER BY line) = 1
),

matched AS (
    SELECT
        c.*,
        coalesce(by_id.order_key, by_name.order_key, by_id_as_name.order_key) AS shopify_order_key,
        CASE
            WHEN by_id.order_key IS NOT NULL THEN 'id'
            WHEN by_name.order_key IS NOT NULL THEN 'name'
            WHEN by_id_as_name.order_key IS NOT NULL THEN 'id as name'
        END AS matched_by
    FROM distinct_rows AS c
    LEFT JOIN dedup.dedup_shopify_orders AS by_id
        ON by_id.client_id = c.client_id AND by_id.order_id = trim(c.order_id)
    LEFT JOIN dedup.dedup_shopify_orders AS by_name
        ON by_name.client_id = c.client_id AND by_name.order_name_key = c.order_name_key
    LEFT JOIN dedup.dedup_shopify_orders AS by_id_as_name
        ON by_id_as_name.client_id = c.client_id AND by_id_as_name.order_name_key = c.order_id_as_name_key
    -- A Shopify Id shared by two order names would match twice; keep one, the id match first.
    QUALIFY row_number() OVER (
        PARTITION BY c.client_id, c.upload_id, c.line
        ORDER BY by_id.order_key NULLS LAST, by_name.order_key NULLS LAST, by_id_as_name.order_key NULLS LAST
    ) = 1
),

names_of_unmatched_ids AS (
    SELECT client_id, trim(order_id) AS order_id, min(order_name_key) AS order_name_key
    FROM matched
    WHERE shopify_order_key IS NULL AND order_id IS NOT NULL AND order_name_key IS NOT NULL
    GROUP BY client_id, trim(order_id)
),

keyed AS (
    SELECT
        m.*,
        coalesce(m.shopify_order_key, m.order_name_key, named.order_name_key, trim(m.order_id)) AS order_key
    FROM matched AS m
    -- (a matched claim takes its Shopify key first, so the bridge only ever names unmatched ones)
    LEFT JOIN names_of_unmatched_ids AS named
        ON named.client_id = m.client_id AND named.order_id = trim(m.order_id)
),

timed AS (
    SELECT
        k.*,
        k.order_date BETWEEN w.window_from AND w.window_to AS in_own_window,
        s.created_at AS shopify_created_at,
        coalesce(s.created_at, min(k.order_created_at) OVER (PARTITION BY k.client_id, k.order_key))
            AS resolved_order_created_at
    FROM keyed AS k
    JOIN dedup.dedup_upload_windows AS w ON w.upload_id = k.upload_id
    LEFT JOIN dedup.dedup_shopify_orders AS s
        ON s.client_id = k.client_id AND s.order_key = k.shopify_order_key
)

SELECT
    timed.client_id,
    platform,
    channel,
    upload_id,
    line,
    order_id,
    order_name,
    order_key,
    shopify_order_key IS NOT NULL AS shopify_matched,
    matched_by,
    resolved_order_created_at AS order_created_at,
    -- Months are calendar months of the order's creation in the client's time zone (section 6).
    CAST(date_trunc('month', timezone(c.timezone, resolved_order_created_at)) AS DATE) AS month,
    order_date,
    coalesce(in_own_window, false) AS in_own_window,
    revenue,
    timed.currency,
    touch_type,
    message_id,
    message_name,
    reported_touch_at,
    reported_touch_at > resolved_order_created_at AS touch_after_order,
    CASE WHEN reported_touch_at > resolved_order_created_at THEN NULL ELSE reported_touch_at END AS touch_at,
    identical_rows,
    row_hash
FROM timed
JOIN staging.stg_clients AS c USING (client_id)
