-- After deduplication, one claim per client, platform and order.
SELECT client_id, platform, order_key, count(*) AS claims
FROM dedup.dedup_claims
GROUP BY client_id, platform, order_key
HAVING count(*) > 1
