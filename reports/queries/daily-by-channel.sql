-- Last-touch revenue per client, day and channel in each currency: the month page's daily chart.
-- $1: a client id, or NULL for every client; $2: a month 'YYYY-MM', or NULL for every month.
SELECT
    m.client_id,
    strftime(m.month, '%Y-%m') AS month,
    strftime(m.day, '%Y-%m-%d') AS day,
    m.currency,
    coalesce(any_value(ch.label), m.channel) AS channel_label,
    CAST(sum(m.last_touch_revenue) AS VARCHAR) AS last_touch_revenue
FROM marts.message_revenue AS m
LEFT JOIN seeds.channels AS ch ON ch.channel = m.channel
WHERE ($1::VARCHAR IS NULL OR m.client_id = $1::VARCHAR)
  AND ($2::VARCHAR IS NULL OR strftime(m.month, '%Y-%m') = $2::VARCHAR)
GROUP BY m.client_id, m.month, m.day, m.currency, m.channel
HAVING sum(m.last_touch_revenue) <> 0
ORDER BY m.client_id, m.month, m.day, m.currency, min(ch.sort_order) NULLS LAST, channel_label
