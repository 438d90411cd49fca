-- Per client, month, platform, channel and currency: what the platform claims, what last touch gives it,
-- and what was removed as double attribution or left out as view-only.
-- materialized: table
-- incremental: client_id
-- version: 2
-- unique: client_id, month, platform, channel, currency
-- not_null: client_id, month, platform, channel, currency
--
-- Identity (docs/attribution.md section 6), checked by sql/tests/revenue_identity.sql:
--   platform_revenue = last_touch_revenue + double_attribution_removed + view_only_excluded_revenue
--
-- The sums of marts.message_revenue, which splits each figure by day, touch type and message: one home
-- for how a claim's revenue is counted, so the summary and its breakdowns cannot disagree. A claim is one
-- platform's claim on one order, so each order is in one message row per platform and the order counts
-- add up.
--
-- Widths: every amount is at most 9,999,999,999.99 either way (the importer's range, docs/formats.md
-- "Money"). DuckDB adds DECIMAL(18,2) as DECIMAL(38,2), and the cast of a sum back to the marts'
-- DECIMAL(18,2) (below 10^16) holds a million amounts at that bound, so no month can overflow it.
SELECT
    m.client_id,
    m.month,
    m.platform,
    m.channel,
    m.currency,
    CAST(sum(m.platform_orders) AS INTEGER) AS platform_orders,
    CAST(sum(m.platform_revenue) AS DECIMAL(18, 2)) AS platform_revenue,
    CAST(sum(m.view_only_excluded_revenue) AS DECIMAL(18, 2)) AS view_only_excluded_revenue,
    CAST(sum(m.double_attribution_removed) AS DECIMAL(18, 2)) AS double_attribution_removed,
    CAST(sum(m.last_touch_orders) AS INTEGER) AS last_touch_orders,
    CAST(sum(m.last_touch_revenue) AS DECIMAL(18, 2)) AS last_touch_revenue,
    coalesce(any_value(p.engagement_tracked), false) AS engagement_tracked,
    CAST(0 AS BIGINT) AS sends,
    CAST(0 AS BIGINT) AS clicks
FROM marts.message_revenue AS m
LEFT JOIN seeds.platforms AS p ON p.platform = m.platform
GROUP BY m.client_id, m.month, m.platform, m.channel, m.currency
ORDER BY m.client_id, m.month, m.platform, m.channel, m.currency
