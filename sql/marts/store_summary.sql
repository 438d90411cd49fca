-- Per client, month and currency: the store's own revenue from Shopify and the share last touch
-- attributes (docs/attribution.md section 7).
-- materialized: table
-- incremental: client_id
-- version: 3
-- unique: client_id, month, currency
-- not_null: client_id, month, currency
--
-- Store revenue is the sum of Total of orders not cancelled; refunds are reported beside it. Attributed
-- revenue is all last-touch revenue of the month and currency, as marts.revenue_summary totals it: the
-- part on orders store revenue counts (matched to a Shopify order that is not cancelled) is
-- attributed_store_revenue, the rest (claims on no Shopify order, or on a cancelled one)
-- attributed_outside_store_revenue. The share compares like with like: attributed_store_revenue over
-- store_revenue, NULL without Shopify data for the client.
--
-- Widths: every amount is at most 9,999,999,999.99 either way (the importer's range, docs/formats.md
-- "Money"). DuckDB adds DECIMAL(18,2) as DECIMAL(38,2), and the cast of a sum back to the marts'
-- DECIMAL(18,2) (below 10^16) holds a million amounts at that bound, so no month can overflow it.
WITH clients_with_shopify AS (
    SELECT DISTINCT client_id FROM dedup.dedup_shopify_orders
),

store AS (
    SELECT
        o.client_id,
        CAST(date_trunc('month', o.order_date) AS DATE) AS month,
        o.currency,
        count(*) FILTER (WHERE NOT o.is_cancelled) AS store_orders,
        coalesce(sum(o.total) FILTER (WHERE NOT o.is_cancelled), 0) AS store_revenue,
        coalesce(sum(o.refunded_amount) FILTER (WHERE NOT o.is_cancelled), 0) AS refunded_revenue
    FROM dedup.dedup_shopify_orders AS o
    GROUP BY ALL
),

attributed AS (
    SELECT
        a.client_id,
        a.month,
        a.currency,
        sum(a.last_touch_revenue) AS attributed_revenue,
        coalesce(sum(a.last_touch_revenue) FILTER (WHERE s.order_key IS NOT NULL AND NOT s.is_cancelled), 0)
            AS attributed_store_revenue
    FROM marts.order_attribution AS a
    -- An equi-join on the key of matched orders only (a NULL key joins nothing).
    LEFT JOIN dedup.dedup_shopify_orders AS s
        ON s.client_id = a.client_id AND s.order_key = CASE WHEN a.shopify_matched THEN a.order_key END
    GROUP BY ALL
),

grain AS (
    SELECT client_id, month, currency FROM store
    UNION
    SELECT client_id, month, currency FROM attributed
)

SELECT
    g.client_id,
    g.month,
    g.currency,
    CAST(CASE WHEN w.client_id IS NOT NULL THEN coalesce(s.store_orders, 0) END AS INTEGER) AS store_orders,
    CAST(CASE WHEN w.client_id IS NOT NULL THEN coalesce(s.store_revenue, 0) END AS DECIMAL(18, 2)) AS store_revenue,
    CAST(CASE WHEN w.client_id IS NOT NULL THEN coalesce(s.refunded_revenue, 0) END AS DECIMAL(18, 2)) AS refunded_revenue,
    CAST(coalesce(a.attributed_revenue, 0) AS DECIMAL(18, 2)) AS attributed_revenue,
    CAST(coalesce(a.attributed_store_revenue, 0) AS DECIMAL(18, 2)) AS attributed_store_revenue,
    CAST(coalesce(a.attributed_revenue, 0) - coalesce(a.attributed_store_revenue, 0) AS DECIMAL(18, 2))
        AS attributed_outside_store_revenue,
    CASE
        WHEN w.client_id IS NOT NULL AND coalesce(s.store_revenue, 0) <> 0
            THEN CAST(coalesce(a.attributed_store_revenue, 0) AS DOUBLE) / CAST(s.store_revenue AS DOUBLE)
    END AS attributed_share
FROM grain AS g
LEFT JOIN store AS s USING (client_id, month, currency)
LEFT JOIN attributed AS a USING (client_id, month, currency)
LEFT JOIN clients_with_shopify AS w ON w.client_id = g.client_id
ORDER BY g.client_id, g.month, g.currency
