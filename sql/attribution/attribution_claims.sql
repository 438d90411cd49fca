-- Every deduplicated claim with its place in the competition for its order, and where its revenue goes.
-- materialized: table
-- incremental: client_id
-- partition: month(month)
-- version: 2
-- unique: client_id, platform, order_key
--
-- docs/attribution.md section 5: with view_only = exclude, view claims leave the competition first; their
-- revenue is view_only_excluded. Section 4, among the claims left on an order:
--   (click-priority model only) click and coupon claims beat open and view claims;
--   1. a known touch time beats an unknown one;
--   2. the latest touch time wins;
--   3. equal times: click > coupon > open > view;
--   4. the client's platform priority, then platform name alphabetically;
--   5. the smaller message id (as numbers when every tied id is a whole number, a missing id last), then
--      the earlier upload, then the larger claimed revenue, then the claim's remaining fields as text.
-- The winner's own claimed revenue is the order's last-touch revenue; the losers' revenue is double
-- attribution removed.
WITH competing AS (
    SELECT
        d.*,
        c.model,
        c.view_only,
        NOT (c.view_only = 'exclude' AND d.touch_type = 'view') AS competes,
        c.model = 'click-priority' AND d.touch_type NOT IN ('click', 'coupon') AS after_clicks,
        coalesce(list_position(c.platform_priority, d.platform), 1000000) AS platform_rank
    FROM dedup.dedup_claims AS d
    JOIN staging.stg_clients AS c USING (client_id)
),

tied AS (
    SELECT
        *,
        bool_and(lt_is_whole_number(message_id)) OVER (
            PARTITION BY client_id, order_key, competes, after_clicks, touch_at IS NULL, touch_at,
                lt_touch_type_rank(touch_type), platform_rank, platform
        ) AS message_ids_whole
    FROM competing
),

ranked AS (
    SELECT
        * EXCLUDE (message_ids_whole),
        CASE
            WHEN competes THEN row_number() OVER (
                PARTITION BY client_id, order_key, competes
                ORDER BY
                    after_clicks,
                    touch_at IS NULL,
                    touch_at DESC,
                    lt_touch_type_rank(touch_type),
                    platform_rank,
                    platform,
                    lt_message_id_key(message_id, message_ids_whole),
                    upload_id,
                    revenue DESC,
                    lt_claim_text(channel, order_id, order_name, order_created_at, currency, message_name, reported_touch_at),
                    row_hash
            )
        END AS competition_rank
    FROM tied
)

SELECT
    * EXCLUDE (after_clicks),
    coalesce(competition_rank = 1, false) AS is_winner,
    CASE
        WHEN NOT competes THEN 'view_only_excluded'
        WHEN competition_rank = 1 THEN 'last_touch'
        ELSE 'double_attribution_removed'
    END AS revenue_outcome
FROM ranked
