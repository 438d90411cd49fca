-- SMS in one month, per platform and currency, with the channel's total per currency (the grouping set
-- without platform): Postscript SMS and Klaviyo SMS side by side, and what SMS brought in altogether.
SELECT
    r.currency,
    -- The platform's name capitalised (postscript -> Postscript); the channel's total is 'All SMS'.
    CASE WHEN grouping(r.platform) = 1 THEN 'All SMS' ELSE upper(r.platform[1]) || r.platform[2:] END AS platform,
    grouping(r.platform) = 1 AS is_total,
    sum(r.platform_revenue) AS platform_revenue,
    sum(r.last_touch_revenue) AS last_touch_revenue,
    sum(r.double_attribution_removed) AS double_attribution_removed,
    sum(r.last_touch_orders) AS last_touch_orders
FROM marts.revenue_summary AS r
WHERE r.client_id = $client AND r.month = $month AND r.channel = 'sms'
GROUP BY GROUPING SETS ((r.currency, r.platform), (r.currency))
ORDER BY r.currency, is_total, platform
