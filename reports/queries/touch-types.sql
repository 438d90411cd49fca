-- Last-touch revenue per client, month, currency and touch type (click, coupon, open, view) of the
-- winning claim, with what the platforms claim through each touch type.
-- $1: a client id, or NULL for every client; $2: a month 'YYYY-MM', or NULL for every month.
SELECT
    m.client_id,
    strftime(m.month, '%Y-%m') AS month,
    m.currency,
    coalesce(m.touch_type, 'unknown') AS touch_type,
    CAST(sum(m.last_touch_revenue) AS VARCHAR) AS last_touch_revenue,
    CAST(sum(m.last_touch_orders) AS BIGINT) AS last_touch_orders,
    CAST(sum(m.platform_revenue) AS VARCHAR) AS platform_revenue
FROM marts.message_revenue AS m
WHERE ($1::VARCHAR IS NULL OR m.client_id = $1::VARCHAR)
  AND ($2::VARCHAR IS NULL OR strftime(m.month, '%Y-%m') = $2::VARCHAR)
GROUP BY m.client_id, m.month, m.currency, m.touch_type
ORDER BY m.client_id, m.month, m.currency,
    CASE m.touch_type WHEN 'click' THEN 1 WHEN 'coupon' THEN 2 WHEN 'open' THEN 3 WHEN 'view' THEN 4 ELSE 5 END
