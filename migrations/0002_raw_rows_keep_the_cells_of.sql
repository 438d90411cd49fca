-- raw rows keep the cells of the columns the importer does not read, named once per upload
--
-- The bulk loader keeps, of every row, the cells that no raw column holds, as a list in the order of
-- meta.uploads.source_headers. Rows imported before this migration kept all their cells as a JSON
-- object; they move over whole (every header, every cell, in their order), so nothing is lost.

ALTER TABLE meta.uploads ADD COLUMN source_headers VARCHAR[];
UPDATE meta.uploads AS u SET source_headers = s.headers
FROM (
  SELECT upload_id, map_keys(json_transform(any_value(source_record), '"MAP(VARCHAR, VARCHAR)"')) AS headers FROM raw.postscript_claims GROUP BY upload_id
  UNION ALL SELECT upload_id, map_keys(json_transform(any_value(source_record), '"MAP(VARCHAR, VARCHAR)"')) AS headers FROM raw.klaviyo_claims GROUP BY upload_id
  UNION ALL SELECT upload_id, map_keys(json_transform(any_value(source_record), '"MAP(VARCHAR, VARCHAR)"')) AS headers FROM raw.shopify_order_lines GROUP BY upload_id
) AS s
WHERE s.upload_id = u.upload_id;

CREATE TABLE raw.postscript_claims_v2 AS
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) AS source_cells FROM raw.postscript_claims LIMIT 0;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN upload_id SET NOT NULL;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN line SET NOT NULL;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN order_created_at SET NOT NULL;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN revenue SET NOT NULL;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN attribution_type SET NOT NULL;
ALTER TABLE raw.postscript_claims_v2 ALTER COLUMN source_cells SET NOT NULL;
INSERT INTO raw.postscript_claims_v2
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) FROM raw.postscript_claims ORDER BY upload_id, line;
DROP TABLE raw.postscript_claims;
ALTER TABLE raw.postscript_claims_v2 RENAME TO postscript_claims;

CREATE TABLE raw.klaviyo_claims_v2 AS
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) AS source_cells FROM raw.klaviyo_claims LIMIT 0;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN upload_id SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN line SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN order_created_at SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN revenue SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN channel SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN touch_type SET NOT NULL;
ALTER TABLE raw.klaviyo_claims_v2 ALTER COLUMN source_cells SET NOT NULL;
INSERT INTO raw.klaviyo_claims_v2
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) FROM raw.klaviyo_claims ORDER BY upload_id, line;
DROP TABLE raw.klaviyo_claims;
ALTER TABLE raw.klaviyo_claims_v2 RENAME TO klaviyo_claims;

CREATE TABLE raw.shopify_order_lines_v2 AS
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) AS source_cells FROM raw.shopify_order_lines LIMIT 0;
ALTER TABLE raw.shopify_order_lines_v2 ALTER COLUMN upload_id SET NOT NULL;
ALTER TABLE raw.shopify_order_lines_v2 ALTER COLUMN line SET NOT NULL;
ALTER TABLE raw.shopify_order_lines_v2 ALTER COLUMN order_name SET NOT NULL;
ALTER TABLE raw.shopify_order_lines_v2 ALTER COLUMN is_order_row SET NOT NULL;
ALTER TABLE raw.shopify_order_lines_v2 ALTER COLUMN source_cells SET NOT NULL;
INSERT INTO raw.shopify_order_lines_v2
  SELECT * EXCLUDE (source_record), map_values(json_transform(source_record, '"MAP(VARCHAR, VARCHAR)"')) FROM raw.shopify_order_lines ORDER BY upload_id, line;
DROP TABLE raw.shopify_order_lines;
ALTER TABLE raw.shopify_order_lines_v2 RENAME TO shopify_order_lines;
