-- Per client, platform and month, the days no upload of the platform covers, and what they are.
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- A platform's months run from the month of its first covered day to the month of its last, or on to
-- the client's latest Shopify month when that is later: a month after the last upload of a platform is
-- missing data, not a quiet month (docs/attribution.md section 2). Each uncovered stretch of days is one
-- row, of one kind:
--   missing_month: the month has no covered day at all;
--   gap:           days between two uploads' windows (dedup.dedup_coverage_gaps), in a month partly covered;
--   edge:          days before the platform's first window or after its last, in a month partly covered.
-- inferred: a window beside the days was inferred from its rows' first and last order dates (no
-- --from/--to), so they may be days without orders. shopify_orders: the client's Shopify orders dated on
-- those days, the rows the missing data concerns. Only months in which the client has some data (a claim
-- or a Shopify order) are reported: a month no report shows concerns nobody. marts.data_quality reports
-- every row.
WITH windows AS (
    SELECT * FROM dedup.dedup_upload_windows WHERE window_from IS NOT NULL
),

spans AS (
    SELECT
        w.client_id,
        w.platform,
        min(w.window_from) AS first_from,
        max(w.window_to) AS last_to,
        arg_min(w.window_explicit, w.window_from) AS first_explicit,
        arg_max(w.window_explicit, w.window_to) AS last_explicit
    FROM windows AS w
    GROUP BY w.client_id, w.platform
),

ranges AS (
    SELECT
        s.*,
        CAST(date_trunc('month', s.first_from) AS DATE) AS range_from,
        last_day(greatest(s.last_to, coalesce(shopify.last_to, s.last_to))) AS range_to
    FROM spans AS s
    LEFT JOIN spans AS shopify ON shopify.client_id = s.client_id AND shopify.platform = 'shopify'
),

shopify_days AS (
    SELECT client_id, order_date AS day, count(*) AS orders
    FROM dedup.dedup_shopify_orders
    GROUP BY client_id, order_date
),

data_months AS (
    SELECT DISTINCT client_id, month FROM dedup.dedup_claim_rows
    UNION
    SELECT DISTINCT client_id, CAST(date_trunc('month', order_date) AS DATE) FROM dedup.dedup_shopify_orders
),

days AS (
    SELECT
        r.client_id,
        r.platform,
        r.first_from,
        r.last_to,
        r.first_explicit,
        r.last_explicit,
        CAST(d.day AS DATE) AS day,
        CAST(date_trunc('month', d.day) AS DATE) AS month
    FROM ranges AS r, generate_series(r.range_from, r.range_to, INTERVAL 1 DAY) AS d(day)
    WHERE EXISTS (
        SELECT 1 FROM data_months AS m WHERE m.client_id = r.client_id AND m.month = CAST(date_trunc('month', d.day) AS DATE)
    )
),

classified AS (
    SELECT
        d.*,
        EXISTS (
            SELECT 1 FROM windows AS w
            WHERE w.client_id = d.client_id AND w.platform = d.platform AND d.day BETWEEN w.window_from AND w.window_to
        ) AS covered,
        g.gap_from,
        g.gap_to,
        g.inferred_edge AS gap_inferred,
        coalesce(o.orders, 0) AS shopify_orders
    FROM days AS d
    LEFT JOIN dedup.dedup_coverage_gaps AS g
        ON g.client_id = d.client_id AND g.platform = d.platform AND d.day BETWEEN g.gap_from AND g.gap_to
    LEFT JOIN shopify_days AS o ON o.client_id = d.client_id AND o.day = d.day
),

months AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY client_id, platform, month) AS month_days,
        count(*) FILTER (WHERE covered) OVER (PARTITION BY client_id, platform, month) AS covered_days
    FROM classified
),

uncovered AS (
    SELECT
        *,
        CASE
            WHEN covered_days = 0 THEN 'missing_month'
            WHEN gap_from IS NOT NULL THEN 'gap'
            ELSE 'edge'
        END AS kind,
        CASE
            WHEN covered_days = 0 THEN false
            WHEN gap_from IS NOT NULL THEN gap_inferred
            WHEN day < first_from THEN NOT first_explicit
            ELSE NOT last_explicit
        END AS inferred
    FROM months
    WHERE NOT covered
)

SELECT
    client_id,
    platform,
    month,
    kind,
    min(day) AS first_day,
    max(day) AS last_day,
    CAST(count(*) AS INTEGER) AS days,
    any_value(month_days) AS month_days,
    any_value(covered_days) AS covered_days,
    gap_from,
    gap_to,
    bool_or(inferred) AS inferred,
    CAST(sum(shopify_orders) AS BIGINT) AS shopify_orders
FROM uncovered
GROUP BY client_id, platform, month, kind, gap_from, gap_to, day < first_from
