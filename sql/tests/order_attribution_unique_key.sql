-- marts.order_attribution: (client_id, order_key) is unique and not null.
SELECT client_id, order_key, count(*) AS rows
FROM marts.order_attribution
GROUP BY client_id, order_key
HAVING count(*) > 1 OR client_id IS NULL OR order_key IS NULL
