-- The uploads the models read: every imported file but those a user removed.
-- materialized: table
-- incremental: client_id
-- version: 1
--
-- docs/attribution.md section 2: `lasttouch upload remove ID` takes an upload out of every later build, as
-- if it had never been imported (its rows supersede nothing and count nowhere); `upload restore ID`
-- brings it back. The raw rows stay; meta.upload_removals records each removal and restore with its time.
-- given_from / given_to: the window given with --from/--to at import, if any.
SELECT
    u.upload_id,
    u.client_id,
    u.platform,
    u.file_name,
    u.imported_at,
    u.window_explicit,
    u.window_from AS given_from,
    u.window_to AS given_to
FROM meta.uploads AS u
WHERE NOT EXISTS (
    SELECT 1 FROM meta.upload_removals AS r WHERE r.upload_id = u.upload_id AND r.restored_at IS NULL
)
