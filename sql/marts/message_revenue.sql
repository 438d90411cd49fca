-- Per client, day, platform, channel, currency, touch type and message (campaign, flow or automation):
-- what the platform claims and what last touch gives it. The revenue summary at the finest grain the
-- claims carry, so a report can show daily revenue, top messages and revenue by touch type, and every
-- one of them adds up to marts.revenue_summary (sql/tests/message_revenue_agrees.sql).
-- materialized: table
-- incremental: client_id
-- partition: month(month)
-- version: 1
SELECT
    a.client_id,
    a.order_date AS day,
    a.month,
    a.platform,
    a.channel,
    a.currency,
    a.touch_type,
    a.message_id,
    any_value(a.message_name ORDER BY a.message_name) AS message_name,
    CAST(count(DISTINCT a.order_key) AS INTEGER) AS platform_orders,
    CAST(sum(a.revenue) AS DECIMAL(18, 2)) AS platform_revenue,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'view_only_excluded'), 0) AS DECIMAL(18, 2))
        AS view_only_excluded_revenue,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'double_attribution_removed'), 0) AS DECIMAL(18, 2))
        AS double_attribution_removed,
    CAST(count(DISTINCT a.order_key) FILTER (WHERE a.revenue_outcome = 'last_touch') AS INTEGER) AS last_touch_orders,
    CAST(coalesce(sum(a.revenue) FILTER (WHERE a.revenue_outcome = 'last_touch'), 0) AS DECIMAL(18, 2))
        AS last_touch_revenue
FROM attribution.attribution_claims AS a
GROUP BY a.client_id, a.order_date, a.month, a.platform, a.channel, a.currency, a.touch_type, a.message_id
ORDER BY a.client_id, a.order_date, a.platform, a.channel, a.currency, a.touch_type, a.message_id
