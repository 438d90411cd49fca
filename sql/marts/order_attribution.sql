-- One row per client and order that has at least one claim: who won it and its last-touch revenue.
-- materialized: table
-- incremental: client_id
-- partition: month(month)
-- version: 1
-- unique: client_id, order_key
-- not_null: client_id, order_key
WITH orders AS (
    SELECT
        client_id,
        order_key,
        any_value(order_created_at) AS order_created_at,
        any_value(month) AS month,
        CAST(count(*) AS INTEGER) AS claims,
        bool_or(shopify_matched) AS shopify_matched,
        min(CASE WHEN regexp_full_match(trim(order_id), '[0-9]+') THEN trim(order_id) END) AS claimed_order_id,
        min(order_name) AS claimed_order_name,
        min(currency) AS claimed_currency
    FROM attribution.attribution_claims
    GROUP BY client_id, order_key
),

winners AS (
    SELECT * FROM attribution.attribution_claims WHERE is_winner
)

SELECT
    o.client_id,
    o.order_key,
    coalesce(s.order_id, o.claimed_order_id) AS order_id,
    coalesce(s.order_name, o.claimed_order_name) AS order_name,
    o.order_created_at,
    o.month,
    coalesce(w.currency, s.currency, o.claimed_currency) AS currency,
    o.claims,
    w.platform AS winner_platform,
    w.channel AS winner_channel,
    w.touch_type AS winner_touch_type,
    w.touch_at AS winner_touch_at,
    w.message_id AS winner_message_id,
    w.message_name AS winner_message_name,
    CAST(coalesce(w.revenue, 0) AS DECIMAL(18, 2)) AS last_touch_revenue,
    o.shopify_matched
FROM orders AS o
LEFT JOIN winners AS w USING (client_id, order_key)
-- An equi-join on the key of matched orders only (a NULL key joins nothing).
LEFT JOIN dedup.dedup_shopify_orders AS s
    ON s.client_id = o.client_id AND s.order_key = CASE WHEN o.shopify_matched THEN o.order_key END
ORDER BY o.client_id, o.order_created_at, o.order_key
