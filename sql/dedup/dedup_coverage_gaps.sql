-- The days between a client's uploads of one platform that no upload covers (docs/attribution.md section 2).
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- Windows in order of their first day; a gap runs from the day after the furthest last day so far to the
-- day before the next window. inferred_edge: a window beside the gap was inferred from its rows' first
-- and last order dates (no --from/--to), so the gap may be days without orders rather than missing data.
-- marts.data_quality reports these gaps and `status` prints them.
WITH windows AS (
    SELECT
        client_id,
        platform,
        window_from,
        window_explicit,
        max(window_to) OVER earlier AS covered_until,
        arg_max(window_explicit, window_to) OVER earlier AS covered_until_explicit
    FROM dedup.dedup_upload_windows
    WHERE window_from IS NOT NULL
    WINDOW earlier AS (
        PARTITION BY client_id, platform ORDER BY window_from, window_to, upload_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    )
)

SELECT
    client_id,
    platform,
    CAST(covered_until + 1 AS DATE) AS gap_from,
    CAST(window_from - 1 AS DATE) AS gap_to,
    CAST(window_from - covered_until - 1 AS INTEGER) AS days,
    NOT (window_explicit AND covered_until_explicit) AS inferred_edge
FROM windows
WHERE window_from > covered_until + 1
