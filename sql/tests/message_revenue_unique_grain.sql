-- marts.message_revenue: one row per client, day, platform, channel, currency, touch type and message,
-- none of client, day, platform, channel, currency null; the revenue identity holds on every row.
SELECT client_id, day, platform, channel, currency, touch_type, message_id, count(*) AS rows,
    sum(platform_revenue) AS platform_revenue,
    sum(last_touch_revenue + double_attribution_removed + view_only_excluded_revenue) AS accounted
FROM marts.message_revenue
GROUP BY client_id, day, platform, channel, currency, touch_type, message_id
HAVING count(*) > 1
    OR client_id IS NULL OR day IS NULL OR platform IS NULL OR channel IS NULL OR currency IS NULL
    OR sum(platform_revenue) <> sum(last_touch_revenue + double_attribution_removed + view_only_excluded_revenue)
