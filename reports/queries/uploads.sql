-- Every upload of the clients with its coverage window (as the build computed it; the window given at
-- import for an upload the build has not seen) and whether it is removed: the coverage page's time line.
-- $1: a client id, or NULL for every client.
SELECT
    u.client_id,
    u.upload_id,
    u.platform,
    coalesce(p.label, u.platform) AS platform_label,
    u.file_name,
    CAST(u.row_count AS BIGINT) AS row_count,
    strftime(u.imported_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS imported_at,
    strftime(coalesce(w.window_from, u.window_from), '%Y-%m-%d') AS window_from,
    strftime(coalesce(w.window_to, u.window_to), '%Y-%m-%d') AS window_to,
    coalesce(w.window_explicit, u.window_explicit) AS window_explicit,
    w.upload_id IS NULL AND NOT removed.is_removed AS after_build,
    removed.is_removed AS removed
FROM meta.uploads AS u
LEFT JOIN dedup.dedup_upload_windows AS w ON w.upload_id = u.upload_id
LEFT JOIN seeds.platforms AS p ON p.platform = u.platform
CROSS JOIN LATERAL (
    SELECT count(*) > 0 AS is_removed FROM meta.upload_removals AS r
    WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL
) AS removed
WHERE ($1::VARCHAR IS NULL OR u.client_id = $1::VARCHAR)
ORDER BY u.client_id, u.platform, window_from NULLS LAST, u.upload_id
