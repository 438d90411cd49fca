-- Summed over platforms, last-touch revenue counts each attributed order once: the revenue summary and
-- the order table agree per client, month and currency. A month whose orders have no winner (all
-- view-only and excluded) has no row on the order side: its totals are 0 there, as in the summary.
WITH by_orders AS (
    SELECT client_id, month, currency, sum(last_touch_revenue) AS revenue, count(*) AS orders
    FROM marts.order_attribution
    WHERE winner_platform IS NOT NULL
    GROUP BY ALL
),
by_summary AS (
    SELECT client_id, month, currency, sum(last_touch_revenue) AS revenue, sum(last_touch_orders) AS orders
    FROM marts.revenue_summary
    GROUP BY ALL
)
SELECT
    client_id, month, currency,
    coalesce(by_orders.revenue, 0) AS order_revenue, coalesce(by_summary.revenue, 0) AS summary_revenue,
    coalesce(by_orders.orders, 0) AS order_count, coalesce(by_summary.orders, 0) AS summary_orders
FROM by_orders FULL OUTER JOIN by_summary USING (client_id, month, currency)
WHERE coalesce(by_orders.revenue, 0) <> coalesce(by_summary.revenue, 0)
   OR coalesce(by_orders.orders, 0) <> coalesce(by_summary.orders, 0)
