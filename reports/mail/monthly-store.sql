-- The store side of the "monthly report ready" message: one client's store revenue in the month per
-- currency, and the share of it that last touch attributes (NULL without Shopify data).
-- Parameters: $1 client id, $2 the month's first day.
SELECT
    s.currency,
    CAST(s.store_revenue AS VARCHAR) AS store_revenue,
    CAST(CAST(s.attributed_share * 100 AS DECIMAL(18, 1)) AS VARCHAR) AS attributed_share
FROM marts.store_summary AS s
WHERE s.client_id = $1 AND s.month = CAST($2 AS DATE)
ORDER BY s.currency;
