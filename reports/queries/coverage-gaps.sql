-- The days between a client's uploads of one platform that no upload covers.
-- $1: a client id, or NULL for every client.
SELECT g.client_id, g.platform, strftime(g.gap_from, '%Y-%m-%d') AS gap_from, strftime(g.gap_to, '%Y-%m-%d') AS gap_to, g.days, g.inferred_edge, coalesce(p.label, g.platform) AS platform_label
FROM dedup.dedup_coverage_gaps AS g
LEFT JOIN seeds.platforms AS p ON p.platform = g.platform
WHERE ($1::VARCHAR IS NULL OR g.client_id = $1::VARCHAR)
ORDER BY g.client_id, g.platform, g.gap_from
