-- dedup.dedup_shopify_orders: one current row per client and order key.
SELECT client_id, order_key, count(*) AS rows
FROM dedup.dedup_shopify_orders
GROUP BY client_id, order_key
HAVING count(*) > 1 OR order_key IS NULL
