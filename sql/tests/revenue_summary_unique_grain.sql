-- marts.revenue_summary: one row per client, month, platform, channel and currency, none of them null.
SELECT client_id, month, platform, channel, currency, count(*) AS rows
FROM marts.revenue_summary
GROUP BY client_id, month, platform, channel, currency
HAVING count(*) > 1
    OR client_id IS NULL OR month IS NULL OR platform IS NULL OR channel IS NULL OR currency IS NULL
