-- Per client, month, platform, channel and currency: what the platform claims, what last touch gives it,
-- and what was removed as double attribution or left out as view-only.
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- Identity (docs/attribution.md section 6), checked by sql/tests/revenue_identity.sql:
--   platform_revenue = last_touch_revenue + double_attribution_removed + view_only_excluded_revenue
--
-- Widths: every amount is at most 9,999,999,999.99 either way (the importer's range, docs/formats.md
-- "Money"). DuckDB adds DECIMAL(18,2) as DECIMAL(38,2), and the cast of a sum back to the marts'
-- DECIMAL(18,2) (below 10^16) holds a million amounts at that bound, so no month can overflow it.
SELECT
    a.client_id,
    a.month,
    a.platform,
    a.channel,
    a.currency,
    CAST(count(DISTINCT a.order_key) AS INTEGER) AS platform_orders,
    CAST(sum(a.revenue) AS DECIMAL(18, 2)) AS platform_revenue,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'view_only_excluded'), 0) AS DECIMAL(18, 2))
        AS view_only_excluded_revenue,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'double_attribution_removed'), 0) AS DECIMAL(18, 2))
        AS double_attribution_removed,
    CAST(count(DISTINCT a.order_key) FILTER (WHERE a.revenue_outcome = 'last_touch') AS INTEGER) AS last_touch_orders,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'last_touch'), 0) AS DECIMAL(18, 2))
        AS last_touch_revenue,
    coalesce(any_value(p.engagement_tracked), false) AS engagement_tracked,
    CAST(0 AS BIGINT) AS sends,
    CAST(0 AS BIGINT) AS clicks
FROM attribution.attribution_claims AS a
LEFT JOIN seeds.platforms AS p ON p.platform = a.platform
GROUP BY a.client_id, a.month, a.platform, a.channel, a.currency
ORDER BY a.client_id, a.month, a.platform, a.channel, a.currency
