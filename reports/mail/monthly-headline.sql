-- The headline figures of the "monthly report ready" message: per channel of one client and month, what
-- the platforms claimed, what last touch credits, what was removed as double attribution, and the
-- last-touch revenue as a share of the month's store revenue in the same currency (NULL without
-- Shopify data). Parameters: $1 client id, $2 the month's first day.
SELECT
    r.currency,
    coalesce(any_value(p.label), r.platform) AS platform,
    coalesce(any_value(ch.label), r.channel) AS channel,
    CAST(sum(r.platform_revenue) AS VARCHAR) AS platform_revenue,
    CAST(sum(r.last_touch_revenue) AS VARCHAR) AS last_touch_revenue,
    CAST(sum(r.double_attribution_removed) AS VARCHAR) AS double_attribution_removed,
    CAST(CAST(sum(r.last_touch_revenue) * 100 / nullif(any_value(s.store_revenue), 0) AS DECIMAL(18, 1)) AS VARCHAR)
        AS share_of_store_revenue
FROM marts.revenue_summary AS r
LEFT JOIN marts.store_summary AS s USING (client_id, month, currency)
LEFT JOIN seeds.channels AS ch ON ch.channel = r.channel
LEFT JOIN seeds.platforms AS p ON p.platform = r.platform
WHERE r.client_id = $1 AND r.month = CAST($2 AS DATE)
GROUP BY r.currency, r.platform, r.channel
ORDER BY r.currency, min(ch.sort_order) NULLS LAST, channel, platform;

