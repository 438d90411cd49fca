-- One row per client and finding: what a reader of the numbers should know about the data behind them.
-- materialized: table
-- incremental: client_id
-- version: 2
--
-- month: the month a finding concerns (the order month of the claims it counts, the month of the days
-- it names), NULL when it is not about one month. affected_rows counts rows: claim rows, Shopify orders,
-- or, for the coverage findings, the client's Shopify orders on the days no upload covers (their days are
-- in the detail). The checks and their severities are listed in docs/marts.md.
WITH clients_with_shopify AS (
    SELECT DISTINCT client_id FROM dedup.dedup_shopify_orders
),

claim_findings AS (
    SELECT
        d.client_id,
        d.month,
        'unmatched_claims' AS check_name,
        CASE WHEN w.client_id IS NOT NULL THEN 'warning' ELSE 'info' END AS severity,
        count(*) AS affected_rows,
        CASE WHEN w.client_id IS NOT NULL
            THEN 'claims that match no Shopify order by id or name; they keep their own order key and still count, outside store revenue: '
                || string_agg(DISTINCT d.platform || ' ' || coalesce(d.order_name, d.order_id), ', '
                              ORDER BY d.platform || ' ' || coalesce(d.order_name, d.order_id))
            ELSE 'no Shopify orders are loaded for this client: every claim keeps its own order key'
        END AS detail
    FROM dedup.dedup_claims AS d
    LEFT JOIN clients_with_shopify AS w USING (client_id)
    WHERE NOT d.shopify_matched
    GROUP BY d.client_id, d.month, w.client_id

    UNION ALL
    SELECT client_id, month, 'unknown_touch_time', 'warning', count(*),
        'claims with no touch time in the export; they lose to any claim with a known time'
    FROM dedup.dedup_claims
    WHERE reported_touch_at IS NULL
    GROUP BY client_id, month

    UNION ALL
    SELECT client_id, month, 'touch_after_order', 'warning', count(*),
        'claims whose touch time is later than the order''s creation; their touch time counts as unknown'
    FROM dedup.dedup_claims
    WHERE touch_after_order
    GROUP BY client_id, month

    UNION ALL
    SELECT client_id, month, 'identical_rows_in_upload', 'info', sum(identical_rows - 1),
        'identical rows repeated within one upload, counted once'
    FROM dedup.dedup_claim_rows
    WHERE identical_rows > 1
    GROUP BY client_id, month

    UNION ALL
    SELECT client_id, month, 'several_rows_one_order', 'warning', sum(platform_rows - 1),
        'different rows of one platform for the same order; the latest touch kept, the others set aside: '
            || string_agg(platform || ' ' || coalesce(order_name, order_id), ', ' ORDER BY platform || ' ' || coalesce(order_name, order_id))
    FROM dedup.dedup_claims
    WHERE platform_rows > 1
    GROUP BY client_id, month

    UNION ALL
    SELECT c.client_id, CAST(date_trunc('month', c.order_date) AS DATE), 'superseded_rows', 'info', count(*),
        'claim rows of older uploads on dates a newer upload of the same platform covers (replaced, or withdrawn by the platform)'
    FROM dedup.dedup_superseded_rows AS s
    JOIN staging.stg_claims AS c USING (upload_id, line)
    -- an identical repeat of an earlier row is counted once, as identical_rows_in_upload says
    WHERE NOT EXISTS (
          SELECT 1 FROM staging.stg_claims AS twin
          WHERE twin.upload_id = c.upload_id AND twin.row_hash = c.row_hash AND twin.line < c.line
      )
    GROUP BY c.client_id, date_trunc('month', c.order_date)

    UNION ALL
    SELECT client_id, CAST(date_trunc('month', order_date) AS DATE), 'several_order_rows_in_shopify_upload', 'warning', count(*),
        'Shopify orders with more than one row carrying order fields in one upload; the first was used'
    FROM staging.stg_shopify_orders
    WHERE order_rows > 1
    GROUP BY client_id, date_trunc('month', order_date)

    UNION ALL
    SELECT client_id, month, 'claims_on_cancelled_orders', 'info', count(*),
        'claims on orders Shopify marks cancelled; they count in attribution but not in store revenue'
    FROM dedup.dedup_claims AS d
    WHERE EXISTS (
        SELECT 1 FROM dedup.dedup_shopify_orders AS s
        WHERE s.client_id = d.client_id AND s.order_key = d.order_key AND s.is_cancelled
    )
    GROUP BY client_id, month
),

-- Days no upload covers (dedup.dedup_coverage_months); a window inferred from first and last order dates
-- makes a gap beside it only possible.
coverage_findings AS (
    SELECT
        client_id,
        month,
        CASE kind
            WHEN 'missing_month' THEN 'platform_month_missing'
            WHEN 'gap' THEN CASE WHEN inferred THEN 'possible_coverage_gap' ELSE 'coverage_gap' END
            ELSE 'month_not_fully_covered'
        END AS check_name,
        CASE WHEN inferred THEN 'info' ELSE 'warning' END AS severity,
        shopify_orders AS affected_rows,
        CASE kind
            WHEN 'missing_month' THEN
                'no ' || platform || ' upload covers any day of ' || strftime(month, '%Y-%m') || ' ('
                    || CAST(days AS VARCHAR) || ' days): the month''s ' || platform || ' figures are missing, not zero'
            WHEN 'gap' THEN
                platform || ' uploads cover no day from ' || CAST(gap_from AS VARCHAR) || ' to ' || CAST(gap_to AS VARCHAR)
                    || ' (' || CAST(gap_to - gap_from + 1 AS VARCHAR) || ' days, ' || CAST(days AS VARCHAR) || ' of them in '
                    || strftime(month, '%Y-%m') || ')'
            ELSE
                platform || ' ' || strftime(month, '%Y-%m') || ': uploads cover ' || CAST(covered_days AS VARCHAR) || ' of '
                    || CAST(month_days AS VARCHAR) || ' days; none covers ' || CAST(first_day AS VARCHAR) || ' .. '
                    || CAST(last_day AS VARCHAR) || ' (' || CAST(days AS VARCHAR) || ' days)'
        END
        || CASE WHEN inferred
            THEN '; a window beside these days was taken from the first and last order dates of its export, so they may be days without orders: give --from/--to at import to say which days an export covers'
            ELSE ''
        END AS detail
    FROM dedup.dedup_coverage_months
)

SELECT
    client_id,
    month,
    check_name,
    severity,
    CAST(affected_rows AS BIGINT) AS affected_rows,
    detail
FROM (
    SELECT * FROM claim_findings WHERE affected_rows > 0
    UNION ALL
    SELECT * FROM coverage_findings
)
ORDER BY client_id, month NULLS FIRST, CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, check_name, detail
