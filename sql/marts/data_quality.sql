-- One row per client and finding: what a reader of the numbers should know about the data behind them.
-- materialized: table
-- incremental: client_id
-- version: 1
WITH clients_with_shopify AS (
    SELECT DISTINCT client_id FROM dedup.dedup_shopify_orders
),

findings AS (
    SELECT
        client_id,
        'unmatched_claims' AS check_name,
        CASE WHEN client_id IN (SELECT client_id FROM clients_with_shopify) THEN 'warning' ELSE 'info' END AS severity,
        count(*) AS affected_rows,
        CASE WHEN client_id IN (SELECT client_id FROM clients_with_shopify)
            THEN 'claims that match no Shopify order by id or name; they keep their own order key and still count: '
                || string_agg(DISTINCT platform || ' ' || coalesce(order_name, order_id), ', ' ORDER BY platform || ' ' || coalesce(order_name, order_id))
            ELSE 'no Shopify orders are loaded for this client: every claim keeps its own order key'
        END AS detail
    FROM dedup.dedup_claims
    WHERE NOT shopify_matched
    GROUP BY client_id

    UNION ALL
    SELECT client_id, 'unknown_touch_time', 'warning', count(*),
        'claims with no touch time in the export; they lose to any claim with a known time'
    FROM dedup.dedup_claims
    WHERE reported_touch_at IS NULL
    GROUP BY client_id

    UNION ALL
    SELECT client_id, 'touch_after_order', 'warning', count(*),
        'claims whose touch time is later than the order''s creation; their touch time counts as unknown'
    FROM dedup.dedup_claims
    WHERE touch_after_order
    GROUP BY client_id

    UNION ALL
    SELECT client_id, 'identical_rows_in_upload', 'info', sum(identical_rows - 1),
        'identical rows repeated within one upload, counted once'
    FROM dedup.dedup_claim_rows
    WHERE identical_rows > 1
    GROUP BY client_id

    UNION ALL
    SELECT client_id, 'several_rows_one_order', 'warning', sum(platform_rows - 1),
        'different rows of one platform for the same order; the latest touch kept, the others set aside: '
            || string_agg(platform || ' ' || coalesce(order_name, order_id), ', ' ORDER BY platform || ' ' || coalesce(order_name, order_id))
    FROM dedup.dedup_claims
    WHERE platform_rows > 1
    GROUP BY client_id

    UNION ALL
    SELECT c.client_id, 'superseded_rows', 'info', count(*),
        'claim rows of older uploads on dates a newer upload of the same platform covers (replaced, or withdrawn by the platform)'
    FROM dedup.dedup_superseded_rows AS s
    JOIN staging.stg_claims AS c USING (upload_id, line)
    -- an identical repeat of an earlier row is counted once, as identical_rows_in_upload says
    WHERE NOT EXISTS (
          SELECT 1 FROM staging.stg_claims AS twin
          WHERE twin.upload_id = c.upload_id AND twin.row_hash = c.row_hash AND twin.line < c.line
      )
    GROUP BY c.client_id

    UNION ALL
    SELECT client_id, 'several_order_rows_in_shopify_upload', 'warning', count(*),
        'Shopify orders with more than one row carrying order fields in one upload; the first was used'
    FROM staging.stg_shopify_orders
    WHERE order_rows > 1
    GROUP BY client_id

    UNION ALL
    SELECT client_id, 'claims_on_cancelled_orders', 'info', count(*),
        'claims on orders Shopify marks cancelled; they count in attribution but not in store revenue'
    FROM dedup.dedup_claims AS d
    WHERE EXISTS (
        SELECT 1 FROM dedup.dedup_shopify_orders AS s
        WHERE s.client_id = d.client_id AND s.order_key = d.order_key AND s.is_cancelled
    )
    GROUP BY client_id
),

windows AS (
    SELECT
        client_id,
        platform,
        window_from,
        window_to,
        max(window_to) OVER (
            PARTITION BY client_id, platform ORDER BY window_from, window_to
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS covered_until
    FROM dedup.dedup_upload_windows
    WHERE window_from IS NOT NULL
),

gaps AS (
    SELECT
        client_id,
        'coverage_gap' AS check_name,
        'warning' AS severity,
        CAST(window_from - covered_until - 1 AS BIGINT) AS affected_rows,
        platform || ' uploads cover no day from ' || CAST(covered_until + 1 AS VARCHAR) || ' to '
            || CAST(window_from - 1 AS VARCHAR) || ' (' || CAST(window_from - covered_until - 1 AS VARCHAR) || ' days)' AS detail
    FROM windows
    WHERE window_from > covered_until + 1
),

month_days AS (
    SELECT DISTINCT r.client_id, r.platform, r.month, CAST(d.day AS DATE) AS day
    FROM marts.revenue_summary AS r,
        generate_series(r.month, CAST(r.month + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), INTERVAL 1 DAY) AS d(day)
),

partial_months AS (
    SELECT
        m.client_id,
        'month_not_fully_covered' AS check_name,
        'warning' AS severity,
        count(*) FILTER (WHERE NOT covered) AS affected_rows,
        m.platform || ' ' || strftime(m.month, '%Y-%m') || ': uploads cover '
            || CAST(count(*) FILTER (WHERE covered) AS VARCHAR) || ' of ' || CAST(count(*) AS VARCHAR) || ' days' AS detail
    FROM (
        SELECT
            md.*,
            EXISTS (
                SELECT 1 FROM dedup.dedup_upload_windows AS w
                WHERE w.client_id = md.client_id AND w.platform = md.platform
                  AND md.day BETWEEN w.window_from AND w.window_to
            ) AS covered
        FROM month_days AS md
    ) AS m
    GROUP BY m.client_id, m.platform, m.month
    HAVING count(*) FILTER (WHERE NOT covered) > 0
)

SELECT client_id, check_name, severity, CAST(affected_rows AS BIGINT) AS affected_rows, detail
FROM (
    SELECT * FROM findings
    UNION ALL
    SELECT * FROM gaps
    UNION ALL
    SELECT * FROM partial_months
)
WHERE affected_rows > 0
ORDER BY client_id, CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, check_name, detail
