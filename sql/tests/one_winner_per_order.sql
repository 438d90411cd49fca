-- At most one winning claim per client and order.
SELECT client_id, order_key, count(*) AS winners
FROM attribution.attribution_claims
WHERE is_winner
GROUP BY client_id, order_key
HAVING count(*) > 1
