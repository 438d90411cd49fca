-- The texts by which rows of one client can be one order, where those rows span months (docs/attribution.md
-- section 1): a claim meets a Shopify order by its id, by its name, or by its id read as a name, and
-- unmatched claims meet each other by id or by name. Any two rows that share one of these texts count as one
-- order here, which is more than the rules ever join; every month from the first to the last of such an
-- order is rebuilt together, so that an order is always rebuilt whole. :clients is the list of client ids.
-- Read by src/models/slices.ts.
WITH texts AS (
    SELECT client_id, order_date, order_id AS key FROM staging.stg_dated_rows WHERE list_contains(:clients, client_id)
    UNION ALL
    SELECT client_id, order_date, order_name_key FROM staging.stg_dated_rows WHERE list_contains(:clients, client_id)
    UNION ALL
    SELECT client_id, order_date, order_id_as_name_key FROM staging.stg_dated_rows
    WHERE list_contains(:clients, client_id) AND order_id_as_name_key IS DISTINCT FROM order_name_key
)

SELECT
    client_id,
    key,
    CAST(date_trunc('month', min(order_date)) AS DATE) AS first_month,
    CAST(date_trunc('month', max(order_date)) AS DATE) AS last_month
FROM texts
WHERE key IS NOT NULL
GROUP BY client_id, key
HAVING date_trunc('month', min(order_date)) <> date_trunc('month', max(order_date))
