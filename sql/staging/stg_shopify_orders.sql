-- Shopify line-item rows grouped into orders: one row per upload and order, from the order's first row.
-- materialized: table
-- incremental: client_id
-- partition: upload_id, month(order_date)
-- version: 3
--
-- The order's own fields sit on its first row only (docs/formats.md); Total is never summed across rows.
-- Times as written become instants in the client's source_timezone (sql/macros/time.sql).
-- Windows partition by client_id too, though an upload is one client's: a build that rebuilds some clients
-- only can then leave the others' rows out before the windows run.
WITH lines AS (
    SELECT
        u.client_id,
        l.*,
        count(*) OVER (PARTITION BY u.client_id, l.upload_id, l.order_name) AS line_rows,
        count(*) FILTER (WHERE l.is_order_row) OVER (PARTITION BY u.client_id, l.upload_id, l.order_name) AS order_rows,
        row_number() OVER (
            PARTITION BY u.client_id, l.upload_id, l.order_name ORDER BY l.is_order_row DESC, l.line
        ) AS row_in_order
    FROM raw.shopify_order_lines AS l
    JOIN staging.stg_uploads AS u USING (upload_id)
)

SELECT
    lines.client_id,
    lines.upload_id,
    lines.line,
    lines.order_name,
    lt_order_name_key(lines.order_name) AS order_name_key,
    lines.order_id,
    lt_instant(lines.created_at, c.source_timezone) AS created_at,
    lt_local_date(lt_instant(lines.created_at, c.source_timezone), c.timezone) AS order_date,
    upper(lines.currency) AS currency,
    lines.total,
    coalesce(lines.refunded_amount, 0) AS refunded_amount,
    lt_instant(lines.cancelled_at, c.source_timezone) AS cancelled_at,
    lines.cancelled_at IS NOT NULL AS is_cancelled,
    lines.financial_status,
    lines.line_rows AS line_items,
    lines.order_rows
FROM lines
JOIN staging.stg_clients AS c USING (client_id)
WHERE lines.row_in_order = 1
