-- An order name as a key (docs/attribution.md section 1): trimmed, case-folded, one leading # dropped, so
-- #1001, 1001 and " #1001 " are one order; a store prefix or suffix stays (EU-1001 is only EU-1001).
CREATE OR REPLACE TEMP MACRO lt_order_name_key(name) AS nullif(regexp_replace(lower(trim(name)), '^#', ''), '');
