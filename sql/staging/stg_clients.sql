-- Client settings with their defaults, one row per client.
-- materialized: table
-- incremental: client_id
-- version: 1
SELECT
    client_id,
    view_only,
    model,
    timezone,
    source_timezone,
    upper(currency) AS currency,
    platform_priority
FROM meta.clients
