-- The campaigns, flows and automations that won the most last-touch revenue, per client, month and
-- currency (the ten first), with the revenue their platform claims for them.
-- $1: a client id, or NULL for every client; $2: a month 'YYYY-MM', or NULL for every month.
WITH messages AS (
    SELECT
        m.client_id,
        m.month,
        m.currency,
        m.platform,
        m.channel,
        m.message_id,
        any_value(m.message_name ORDER BY m.day DESC) AS message_name,
        sum(m.platform_revenue) AS platform_revenue,
        sum(m.platform_orders) AS platform_orders,
        sum(m.last_touch_revenue) AS last_touch_revenue,
        sum(m.last_touch_orders) AS last_touch_orders
    FROM marts.message_revenue AS m
    WHERE ($1::VARCHAR IS NULL OR m.client_id = $1::VARCHAR)
      AND ($2::VARCHAR IS NULL OR strftime(m.month, '%Y-%m') = $2::VARCHAR)
    GROUP BY m.client_id, m.month, m.currency, m.platform, m.channel, m.message_id
),
ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY client_id, month, currency
            ORDER BY last_touch_revenue DESC, platform_revenue DESC, platform, channel, message_id NULLS LAST
        ) AS rank
    FROM messages
)
SELECT
    r.client_id,
    strftime(r.month, '%Y-%m') AS month,
    r.currency,
    CAST(r.rank AS INTEGER) AS rank,
    coalesce(p.label, r.platform) AS platform_label,
    coalesce(ch.label, r.channel) AS channel_label,
    r.message_id,
    r.message_name,
    CAST(r.platform_revenue AS VARCHAR) AS platform_revenue,
    CAST(r.platform_orders AS BIGINT) AS platform_orders,
    CAST(r.last_touch_revenue AS VARCHAR) AS last_touch_revenue,
    CAST(r.last_touch_orders AS BIGINT) AS last_touch_orders
FROM ranked AS r
LEFT JOIN seeds.platforms AS p ON p.platform = r.platform
LEFT JOIN seeds.channels AS ch ON ch.channel = r.channel
WHERE r.rank <= 10
ORDER BY r.client_id, r.month, r.currency, r.rank
