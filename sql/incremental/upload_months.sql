-- The months of each client that uploads touch: the months of their rows' order dates and every month of
-- their coverage windows, since an upload supersedes older rows on every day it covers (docs/attribution.md
-- section 2). :uploads is the list of upload ids. Read by src/models/slices.ts; the README's `build`
-- section says how the months are used.
SELECT DISTINCT client_id, CAST(date_trunc('month', order_date) AS DATE) AS month
FROM staging.stg_dated_rows
WHERE list_contains(:uploads, upload_id)
UNION
SELECT DISTINCT w.client_id, CAST(m.month AS DATE) AS month
FROM dedup.dedup_upload_windows AS w,
    generate_series(CAST(date_trunc('month', w.window_from) AS TIMESTAMP), CAST(w.window_to AS TIMESTAMP), INTERVAL 1 MONTH) AS m(month)
WHERE list_contains(:uploads, w.upload_id) AND w.window_from IS NOT NULL
