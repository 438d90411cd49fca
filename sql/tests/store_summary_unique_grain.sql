-- marts.store_summary: one row per client, month and currency, none of them null.
SELECT client_id, month, currency, count(*) AS rows
FROM marts.store_summary
GROUP BY client_id, month, currency
HAVING count(*) > 1 OR client_id IS NULL OR month IS NULL OR currency IS NULL
