-- Summed over platforms, last-touch revenue counts each attributed order once: the revenue summary and
-- the order table agree per client, month and currency.
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
SELECT *
FROM by_orders FULL OUTER JOIN by_summary USING (client_id, month, currency)
WHERE by_orders.revenue IS DISTINCT FROM by_summary.revenue OR by_orders.orders IS DISTINCT FROM by_summary.orders
