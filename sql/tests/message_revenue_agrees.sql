-- marts.message_revenue is the revenue summary at a finer grain: one row per key (none of client, day,
-- platform, channel, currency null), and summed per month, platform, channel and currency it gives the
-- summary's claimed and last-touch figures exactly.
WITH duplicated AS (
    SELECT client_id, day, platform, channel, currency, touch_type, message_id, 'duplicate key' AS problem
    FROM marts.message_revenue
    GROUP BY client_id, day, platform, channel, currency, touch_type, message_id
    HAVING count(*) > 1
        OR client_id IS NULL OR day IS NULL OR platform IS NULL OR channel IS NULL OR currency IS NULL
),
by_message AS (
    SELECT client_id, month, platform, channel, currency,
        sum(platform_revenue) AS platform_revenue, sum(last_touch_revenue) AS last_touch_revenue,
        sum(double_attribution_removed) AS removed, sum(view_only_excluded_revenue) AS excluded,
        sum(last_touch_orders) AS last_touch_orders
    FROM marts.message_revenue
    GROUP BY ALL
),
disagreeing AS (
    SELECT client_id, NULL::DATE AS day, platform, channel, currency, NULL AS touch_type, NULL AS message_id,
        'totals differ in ' || strftime(month, '%Y-%m') AS problem
    FROM by_message FULL OUTER JOIN marts.revenue_summary AS r USING (client_id, month, platform, channel, currency)
    WHERE by_message.platform_revenue IS DISTINCT FROM r.platform_revenue
       OR by_message.last_touch_revenue IS DISTINCT FROM r.last_touch_revenue
       OR by_message.removed IS DISTINCT FROM r.double_attribution_removed
       OR by_message.excluded IS DISTINCT FROM r.view_only_excluded_revenue
       OR by_message.last_touch_orders IS DISTINCT FROM r.last_touch_orders
)
SELECT * FROM duplicated
UNION ALL
SELECT * FROM disagreeing
