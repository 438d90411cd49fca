-- Every deduplicated claim with its place in the competition for its order, and where its revenue goes.
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- attribution.md section 5: with view_only = exclude, view claims leave the competition first; their
-- revenue is view_only_excluded. Section 4, among the claims left on an order:
--   (click-priority model only) click and coupon claims beat open and view claims;
--   1. a known touch time beats an unknown one;
--   2. the latest touch time wins;
--   3. equal times: click > coupon > open > view;
--   4. the client's platform priority, then platform name alphabetically;
--   5. the smaller message id, then the earlier upload and line.
-- The winner's own claimed revenue is the order's last-touch revenue; the losers' revenue is double
-- attribution removed. Months are calendar months of the order's creation in the client's time zone.
WITH competing AS (
    SELECT
        d.*,
        c.model,
        c.view_only,
        NOT (c.view_only = 'exclude' AND d.touch_type = 'view') AS competes,
        CAST(date_trunc('month', timezone(c.timezone, d.order_created_at)) AS DATE) AS month,
        coalesce(list_position(c.platform_priority, d.platform), 1000000) AS platform_rank
    FROM dedup.dedup_claims AS d
    JOIN staging.stg_clients AS c USING (client_id)
),

ranked AS (
    SELECT
        *,
        CASE
            WHEN competes THEN row_number() OVER (
                PARTITION BY client_id, order_key, competes
                ORDER BY
                    CASE WHEN model = 'click-priority' AND touch_type NOT IN ('click', 'coupon') THEN 1 ELSE 0 END,
                    touch_at IS NULL,
                    touch_at DESC,
                    CASE touch_type WHEN 'click' THEN 1 WHEN 'coupon' THEN 2 WHEN 'open' THEN 3 WHEN 'view' THEN 4 END,
                    platform_rank,
                    platform,
                    try_cast(message_id AS HUGEINT) NULLS LAST,
                    message_id NULLS LAST,
                    upload_id,
                    line
            )
        END AS competition_rank
    FROM competing
)

SELECT
    *,
    coalesce(competition_rank = 1, false) AS is_winner,
    CASE
        WHEN NOT competes THEN 'view_only_excluded'
        WHEN competition_rank = 1 THEN 'last_touch'
        ELSE 'double_attribution_removed'
    END AS revenue_outcome
FROM ranked
