-- Orderings the competition for an order uses (docs/attribution.md section 4), shared by the models that
-- pick one claim out of several.

-- Equal touch times: click > coupon > open > view.
CREATE OR REPLACE TEMP MACRO lt_touch_type_rank(touch_type) AS
  CASE touch_type WHEN 'click' THEN 1 WHEN 'coupon' THEN 2 WHEN 'open' THEN 3 WHEN 'view' THEN 4 ELSE 5 END;

-- Message ids compare as numbers when every id in the tie is a whole number, else as text; a missing
-- id comes last. all_whole is bool_and(lt_is_whole_number(message_id)) over the claims still tied.
-- As numbers, without a width limit: fewer digits first, then the digits (leading zeros dropped).
CREATE OR REPLACE TEMP MACRO lt_is_whole_number(text) AS regexp_full_match(text, '[0-9]+');
CREATE OR REPLACE TEMP MACRO lt_message_id_key(message_id, all_whole) AS
  {
    'missing': message_id IS NULL,
    'digits': CASE WHEN all_whole THEN length(ltrim(message_id, '0')) END,
    'number': CASE WHEN all_whole THEN ltrim(message_id, '0') END,
    'text': message_id
  };

-- The last tie-break between two different claims: their remaining fields as text, so that the result
-- never depends on the order of rows in a file.
CREATE OR REPLACE TEMP MACRO lt_claim_text(channel, order_id, order_name, order_created_at, currency, message_name, reported_touch_at) AS
  concat_ws(chr(31), channel, order_id, order_name, CAST(order_created_at AS VARCHAR), currency, message_name,
            CAST(reported_touch_at AS VARCHAR));
