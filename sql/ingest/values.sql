-- How the importer reads one cell of an export (docs/formats.md, "Values"), as SQL macros that it creates
-- on its connection before it loads a file with DuckDB's own CSV reader. These macros are the only value
-- rules: every form of a value that an export may write, and every problem a bad value has, is here.
-- test/value-cases.tsv holds their cases, as data; test/integration/value-rules.test.ts runs them.
--
-- For each kind K (money, cents, integer, number, timestamp, timestamp_or_epoch) there are two macros
-- over a cleaned cell t (the output of lt_clean, '' meaning an empty cell):
--   lt_K(t)          the typed value; NULL for an empty cell and NULL for a value that does not read;
--   lt_K_problem(t)  NULL for an empty cell and for a value that reads, else the problem in words, which
--                    the importer reports after the line, column and value ("is not an amount").
-- So for a cell that is not empty, lt_K(t) IS NULL exactly when lt_K_problem(t) IS NOT NULL. Whether an
-- empty cell is a problem is for the format to say (a required column), not the value. A NULL reads as an
-- empty cell.
--
-- No macro raises an error: a bad value is a problem to report with its line, never a failed load. So
-- every cast here is a TRY_CAST, even where a pattern has already been matched (DuckDB may evaluate an
-- expression on rows whose CASE branch is not taken, e.g. when it folds constants), and the one function
-- that can fail, make_date, is only reached where the date has been checked.
--
-- Speed: a million-row export goes through these. Each kind first checks the forms exports write most, one
-- regexp_full_match for each family of them (a DFA, the cheapest test RE2 has: plain amounts, then amounts
-- with a code; ISO timestamps, then US ones), and reads them with DuckDB's own casts; only a cell of another
-- form, or a bad one, takes the general reading, which follows the rules step by step.
-- The general readings bind each intermediate result once with list_transform([x], lt_v -> ...)[1]: a
-- macro parameter used twice is expanded, and evaluated, twice. (Lambda parameters are named lt_...:
-- a column of the same name in the query would take their place.)
--
-- White space is JavaScript's, as the importer has always read it: the ASCII spaces, vertical tab,
-- no-break space, the BOM, the line and paragraph separators and every Unicode space separator. In a
-- pattern it is written [\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}] (RE2's \s is ASCII only). Where a rule
-- takes "any text" it means text without a line break (\n, \r, U+2028, U+2029), as a JavaScript '.'.

-- ---------------------------------------------------------------------------------------------------
-- Text

-- A cell's text: surrounding white space trimmed and the leading apostrophe that Excel adds to keep a value
-- as text dropped (then trimmed again); '' for an empty or missing cell. Most cells need neither, which one
-- anchored match tells.
CREATE OR REPLACE TEMP MACRO lt_clean(s) AS
  CASE
    WHEN s IS NULL THEN ''
    WHEN regexp_matches(s, '^([\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]|'')|[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]$')
      THEN regexp_replace(
        s,
        '^[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*''?[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*|[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*$',
        '',
        'g'
      )
    ELSE s
  END;

-- Surrounding white space trimmed (between the steps of a general reading below), likewise.
CREATE OR REPLACE TEMP MACRO lt_trim(s) AS
  regexp_replace(s, '^[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]+|[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]+$', '', 'g');

-- ---------------------------------------------------------------------------------------------------
-- Money
--
-- The accepted range of an amount, either sign: at most 10 digits before the point, up to
-- 9,999,999,999.99, i.e. fewer than 10^12 cents (docs/formats.md, "Money"). Raw columns and the marts'
-- sums are DECIMAL(18,2), below 10^16: with every amount below 10^10, a million of them still add up to
-- less than 10^16, so no mart's sum of any store's month can overflow.
--
-- An amount is read in this order, and the first step that fails names the problem:
--   1. a three-letter currency code before the amount (USD 12.00, USD12.00), else one after it (12.00 EUR);
--   2. parentheses around the rest: negative, as accountants write it;
--   3. the currency symbols $ € £ ¥ dropped, wherever they are;
--   4. a minus sign (a second one, inside parentheses, is refused rather than read as a double negative);
--   5. a plus sign, which changes nothing;
--   6. commas: only as thousands separators (1,234,567.89); any other comma is refused as ambiguous, since
--      1.234,56 and 12,34 are European decimals that could not be told from thousands;
--   7. digits with at most one point; a cents column (a header ending in "cents") takes whole cents;
--   8. the range, counted in digits before the point (so that a long amount is never read as a float);
--   9. at most two decimals, except where the extra digits are a float artefact of an exact cent amount
--      (54.990000000001, written by a program that computed 54.99 in floating point): the amount as a
--      double, times 100, within 10^-4 of a whole number of cents. Anything else would be silently
--      rounded, so it is refused.

CREATE OR REPLACE TEMP MACRO lt_amount_range_problem() AS
  'is beyond the accepted range of amounts (-9,999,999,999.99 to 9,999,999,999.99)';

-- The forms exports write most: 1234.56, 1,234.56, $1,234.56, -12.00, -$5, .5, with at most two decimals
-- and within the range; then the same with a code just before or after (USD 12.00, 58.00 USD, 12.00EUR).
CREATE OR REPLACE TEMP MACRO lt_money_is_common(t) AS
  regexp_full_match(t, '-?\$?(?:(?:\d{1,3}(?:,\d{3}){1,2}|\d(?:,\d{3}){3})(?:\.\d{1,2})?|\d{1,10}(?:\.\d{0,2})?|\.\d{1,2})');
CREATE OR REPLACE TEMP MACRO lt_money_is_common_with_code(t) AS
  regexp_full_match(
    t,
    '[A-Za-z]{3} ?-?\$?(?:(?:\d{1,3}(?:,\d{3}){1,2}|\d(?:,\d{3}){3})(?:\.\d{1,2})?|\d{1,10}(?:\.\d{0,2})?|\.\d{1,2})'
      || '|-?\$?(?:(?:\d{1,3}(?:,\d{3}){1,2}|\d(?:,\d{3}){3})(?:\.\d{1,2})?|\d{1,10}(?:\.\d{0,2})?|\.\d{1,2}) ?[A-Za-z]{3}'
  );
CREATE OR REPLACE TEMP MACRO lt_cents_is_common(t) AS regexp_full_match(t, '-?\d{1,12}');
CREATE OR REPLACE TEMP MACRO lt_cents_is_common_with_code(t) AS
  regexp_full_match(t, '[A-Za-z]{3} ?-?\d{1,12}|-?\d{1,12} ?[A-Za-z]{3}');

-- A common form with a code, without it (a code is ASCII letters, and no other character of these forms
-- sorts after 'A'), for DuckDB's cast, which allows the space left over; and the code.
CREATE OR REPLACE TEMP MACRO lt_without_code(t) AS
  CASE WHEN t[1] >= 'A' THEN substr(t, 4) ELSE substr(t, 1, length(t) - 3) END;
CREATE OR REPLACE TEMP MACRO lt_code(t) AS
  upper(CASE WHEN t[1] >= 'A' THEN t[1:3] ELSE right(t, 3) END);

-- Step 1: STRUCT(code, amount), the amount without the white space next to the code (the cell has none at
-- its ends).
CREATE OR REPLACE TEMP MACRO lt_money_split(t) AS
  CASE
    WHEN regexp_full_match(t, '[A-Za-z]{3}[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*[^\n\r\x{2028}\x{2029}]*')
      THEN struct_pack(
        code := upper(t[1:3]),
        amount := regexp_replace(substr(t, 4), '^[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]+', '')
      )
    WHEN regexp_full_match(t, '[^\n\r\x{2028}\x{2029}]*[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*[A-Za-z]{3}')
      THEN struct_pack(
        code := upper(right(t, 3)),
        amount := regexp_replace(substr(t, 1, length(t) - 3), '[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]+$', '')
      )
    ELSE struct_pack(code := NULL::VARCHAR, amount := t)
  END;

-- Steps 2 and 3: STRUCT(parens, text).
CREATE OR REPLACE TEMP MACRO lt_drop_symbols(s) AS
  replace(replace(replace(replace(s, '$', ''), '€', ''), '£', ''), '¥', '');
CREATE OR REPLACE TEMP MACRO lt_money_unwrap(a) AS
  list_transform([regexp_full_match(a, '\([^\n\r\x{2028}\x{2029}]*\)')], lt_parens -> struct_pack(
    parens := lt_parens,
    text := lt_trim(lt_drop_symbols(CASE WHEN lt_parens THEN substr(a, 2, length(a) - 2) ELSE a END))
  ))[1];

-- Steps 4 and 5: STRUCT(minus, rest), the rest without its signs (a minus, then a plus) and the white space
-- after each.
CREATE OR REPLACE TEMP MACRO lt_money_unsign(s) AS
  struct_pack(
    minus := starts_with(s, '-'),
    rest := regexp_replace(s, '^(?:-[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*)?(?:\+[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*)?', '')
  );

-- Steps 7 to 9, on the digits of an amount without sign, code or separators: STRUCT(cents, problem).
CREATE OR REPLACE TEMP MACRO lt_amount_cents(n, in_cents) AS
  CASE
    WHEN NOT regexp_full_match(n, '\d+(?:\.\d*)?|\.\d+')
      THEN struct_pack(cents := NULL::BIGINT, problem := 'is not an amount')
    WHEN in_cents THEN
      CASE
        WHEN NOT regexp_full_match(n, '\d+')
          THEN struct_pack(cents := NULL::BIGINT, problem := 'is not a whole number of cents')
        WHEN length(ltrim(n, '0')) > 12
          THEN struct_pack(cents := NULL::BIGINT, problem := lt_amount_range_problem())
        ELSE struct_pack(cents := TRY_CAST(coalesce(nullif(ltrim(n, '0'), ''), '0') AS BIGINT), problem := NULL::VARCHAR)
      END
    WHEN length(ltrim(split_part(n, '.', 1), '0')) > 10
      THEN struct_pack(cents := NULL::BIGINT, problem := lt_amount_range_problem())
    WHEN length(split_part(n, '.', 2)) <= 2
      THEN struct_pack(
        cents := TRY_CAST(coalesce(nullif(ltrim(split_part(n, '.', 1), '0'), ''), '0') AS BIGINT) * 100
          + TRY_CAST(rpad(split_part(n, '.', 2), 2, '0') AS BIGINT),
        problem := NULL::VARCHAR
      )
    ELSE list_transform([TRY_CAST(n AS DOUBLE) * 100], lt_x100 -> CASE
        WHEN abs(lt_x100 - round(lt_x100)) > 1e-4
          THEN struct_pack(cents := NULL::BIGINT, problem := 'has more than 2 decimal places')
        WHEN round(lt_x100) > 999999999999
          THEN struct_pack(cents := NULL::BIGINT, problem := lt_amount_range_problem())
        ELSE struct_pack(cents := TRY_CAST(round(lt_x100) AS BIGINT), problem := NULL::VARCHAR)
      END)[1]
  END;

-- Every step, on a cleaned cell that is not empty: STRUCT(cents, currency, problem), the cents signed.
CREATE OR REPLACE TEMP MACRO lt_money_read(t, in_cents) AS
  list_transform([lt_money_split(t)], lt_split ->
    list_transform([lt_money_unwrap(lt_split.amount)], lt_unwrapped ->
      list_transform([lt_money_unsign(lt_unwrapped.text)], lt_signed -> CASE
        WHEN lt_unwrapped.parens AND lt_signed.minus
          THEN struct_pack(cents := NULL::BIGINT, currency := lt_split.code, problem := 'has two minus signs')
        WHEN NOT regexp_full_match(lt_signed.rest, '\d{1,3}(?:,\d{3})+(?:\.\d+)?') AND contains(lt_signed.rest, ',')
          THEN struct_pack(
            cents := NULL::BIGINT,
            currency := lt_split.code,
            problem := 'is ambiguous (a comma that is not a thousands separator, e.g. 1.234,56); write it as 1234.56'
          )
        ELSE list_transform([lt_amount_cents(replace(lt_signed.rest, ',', ''), in_cents)], lt_amount -> struct_pack(
            cents := CASE WHEN lt_unwrapped.parens OR lt_signed.minus THEN -lt_amount.cents ELSE lt_amount.cents END,
            currency := lt_split.code,
            problem := lt_amount.problem
          ))[1]
      END)[1]
    )[1]
  )[1];

-- An amount as DECIMAL(18,2).
CREATE OR REPLACE TEMP MACRO lt_money(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN lt_money_is_common(t) THEN TRY_CAST(replace(replace(t, '$', ''), ',', '') AS DECIMAL(18,2))
    WHEN lt_money_is_common_with_code(t) THEN TRY_CAST(replace(replace(lt_without_code(t), '$', ''), ',', '') AS DECIMAL(18,2))
    ELSE TRY_CAST((lt_money_read(t, false)).cents * 0.01 AS DECIMAL(18,2))
  END;

CREATE OR REPLACE TEMP MACRO lt_money_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR lt_money_is_common(t) OR lt_money_is_common_with_code(t) THEN NULL
    ELSE (lt_money_read(t, false)).problem
  END;

-- A whole number of cents (a column named "... cents"), as the DECIMAL(18,2) amount: 1234 is 12.34.
CREATE OR REPLACE TEMP MACRO lt_cents(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN lt_cents_is_common(t) THEN TRY_CAST(TRY_CAST(t AS BIGINT) * 0.01 AS DECIMAL(18,2))
    WHEN lt_cents_is_common_with_code(t) THEN TRY_CAST(TRY_CAST(lt_without_code(t) AS BIGINT) * 0.01 AS DECIMAL(18,2))
    ELSE TRY_CAST((lt_money_read(t, true)).cents * 0.01 AS DECIMAL(18,2))
  END;

CREATE OR REPLACE TEMP MACRO lt_cents_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR lt_cents_is_common(t) OR lt_cents_is_common_with_code(t) THEN NULL
    ELSE (lt_money_read(t, true)).problem
  END;

-- The currency code written with an amount (upper-case); NULL where none is written, and where the amount
-- does not read (it then has a problem of its own). in_cents := true for a cents column, whose amounts
-- read differently (USD 12.34 is an amount but not a number of cents).
CREATE OR REPLACE TEMP MACRO lt_money_currency(t, in_cents := false) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN NOT regexp_matches(t, '[A-Za-z]') THEN NULL
    WHEN CASE WHEN in_cents THEN lt_cents_is_common_with_code(t) ELSE lt_money_is_common_with_code(t) END THEN lt_code(t)
    ELSE list_transform([lt_money_read(t, in_cents)], lt_read -> CASE WHEN lt_read.problem IS NULL THEN lt_read.currency END)[1]
  END;

-- The currency of a row: its currency column (t) where written, in any case (usd is USD), else the code
-- written with the amount (from_amount, from lt_money_currency); NULL where neither is, or where t has a
-- problem: it is not a code, or it disagrees with the amount's code (the row would be counted in the
-- wrong currency, so it is refused rather than one of the two believed).
CREATE OR REPLACE TEMP MACRO lt_currency(t, from_amount) AS
  CASE
    WHEN coalesce(t, '') = '' THEN from_amount
    WHEN NOT regexp_full_match(t, '[A-Za-z]{3}') THEN NULL
    WHEN from_amount IS NOT NULL AND upper(t) <> upper(from_amount) THEN NULL
    ELSE upper(t)
  END;

CREATE OR REPLACE TEMP MACRO lt_currency_problem(t, from_amount) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN NOT regexp_full_match(t, '[A-Za-z]{3}') THEN 'is not a three-letter currency code'
    WHEN from_amount IS NOT NULL AND upper(t) <> upper(from_amount)
      THEN 'disagrees with the currency written in the amount (' || from_amount || ')'
    ELSE NULL
  END;

-- ---------------------------------------------------------------------------------------------------
-- Numbers

-- A whole number (Lineitem quantity), in the raw table's INTEGER: -2,147,483,648 to 2,147,483,647. Up to 9
-- digits always fit, which is the fast path; a longer one (leading zeros included) has its digits counted
-- first, so that no cast sees a number beyond BIGINT.
CREATE OR REPLACE TEMP MACRO lt_integer_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR regexp_full_match(t, '-?\d{1,9}') THEN NULL
    WHEN NOT regexp_full_match(t, '-?\d+') THEN 'is not a whole number'
    WHEN length(ltrim(ltrim(t, '-'), '0')) > 10 OR TRY_CAST(t AS BIGINT) NOT BETWEEN -2147483648 AND 2147483647
      THEN 'is beyond the accepted range (-2,147,483,648 to 2,147,483,647)'
    ELSE NULL
  END;

CREATE OR REPLACE TEMP MACRO lt_integer(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN regexp_full_match(t, '-?\d{1,9}') THEN TRY_CAST(t AS INTEGER)
    WHEN lt_integer_problem(t) IS NULL THEN TRY_CAST(t AS INTEGER)
    ELSE NULL
  END;

-- A plain number (minutes_from_action) of at most 9 digits before the point (leading zeros aside), so
-- -999,999,999 to 999,999,999: fewer than 10^9 minutes either way (about 1,900 years), so that the build's
-- touch time (the order time minus that many minutes, in microseconds as a BIGINT) can never overflow.
CREATE OR REPLACE TEMP MACRO lt_number_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR regexp_full_match(t, '-?(?:\d{1,9}(?:\.\d{0,6})?|\.\d{1,6})') THEN NULL
    WHEN NOT regexp_full_match(t, '-?(?:\d+(?:\.\d*)?|\.\d+)') THEN 'is not a number'
    WHEN length(ltrim(split_part(ltrim(t, '-'), '.', 1), '0')) > 9
      THEN 'is beyond the accepted range (-999,999,999 to 999,999,999)'
    ELSE NULL
  END;

CREATE OR REPLACE TEMP MACRO lt_number(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN regexp_full_match(t, '-?(?:\d{1,9}(?:\.\d{0,6})?|\.\d{1,6})') THEN TRY_CAST(t AS DOUBLE)
    WHEN lt_number_problem(t) IS NULL THEN TRY_CAST(t AS DOUBLE)
    ELSE NULL
  END;

-- ---------------------------------------------------------------------------------------------------
-- Phones: the raw text is kept; E.164 where it can be derived without guessing a country: a + and 8 to 15
-- digits (whatever else is written between them), or 10 North American digits, with or without the
-- leading 1, written with nothing but spaces, parentheses, dots and hyphens (an area code never starts
-- with 0 or 1, so a national number such as 06 10 82 64 17 is not taken for one). NULL otherwise, which is
-- never a problem. Most phones in exports are E.164 already, or digits with ( ) . - and plain spaces,
-- which one match each tells.
CREATE OR REPLACE TEMP MACRO lt_north_american(digits) AS
  list_transform([digits], lt_digits -> CASE
    WHEN regexp_full_match(lt_digits, '1?[2-9]\d{9}') THEN CASE WHEN length(lt_digits) = 10 THEN '+1' ELSE '+' END || lt_digits
  END)[1];
CREATE OR REPLACE TEMP MACRO lt_phone_e164_digits(t, digits) AS
  CASE
    WHEN starts_with(t, '+') AND length(digits) BETWEEN 8 AND 15 THEN '+' || digits
    WHEN regexp_full_match(t, '[0-9\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}().-]+') THEN lt_north_american(digits)
    ELSE NULL
  END;
CREATE OR REPLACE TEMP MACRO lt_phone_e164(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN regexp_full_match(t, '\+\d{8,15}') THEN t
    WHEN regexp_full_match(t, '[0-9() .-]+') THEN lt_north_american(translate(t, '() .-', ''))
    ELSE lt_phone_e164_digits(t, regexp_replace(t, '[^0-9]', '', 'g'))
  END;

-- ---------------------------------------------------------------------------------------------------
-- Timestamps, kept as written: STRUCT(wall TIMESTAMP, offset_minutes SMALLINT), the offset NULL for a
-- naive value (which every build reads in the client's source_timezone: sql/macros/time.sql).
--
-- The forms: ISO 8601 (2025-10-07 09:50:26 +0200, 2025-10-07T07:50:26Z, with or without seconds, with
-- fractions of a second, which are kept to the microsecond and never rounded into the next second; a date
-- alone is 00:00) and US month/day/year with an optional AM/PM (10/07/2025 9:50 AM; always month first).
-- Letters in any case. A zone is Z, UTC, GMT or an offset (+02, +0200, +02:00) of at most 18:00 either way
-- with minutes 00 to 59, as ISO 8601 and every zone database have it: anything else is refused rather
-- than read as a shift of up to a day.
--
-- A value is checked in this order, and the first check that fails names the problem: the form, an AM/PM
-- hour outside 1..12, the year (years before 1000 are no export's, and a reader that takes them would read
-- 0050 as 1950), the month, the day (leap years included), the time of day, then the zone. A leap second
-- (:60) is accepted and, as the importer has always read it, is the first second of the next minute.

CREATE OR REPLACE TEMP MACRO lt_offset_problem() AS
  'has no such offset from UTC (offsets run from -18:00 to +18:00, with minutes 00 to 59)';

-- The forms exports use most (2025-10-07 09:50:26 +0200, 2025-10-07T07:50:26Z, 2025-10-07 09:50:26),
-- every field within its range (a 29 February goes the general way, which knows leap years), read with
-- DuckDB's own timestamp cast and a few string functions, much cheaper than the general reading.
CREATE OR REPLACE TEMP MACRO lt_common_timestamp_pattern() AS
  '[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)'
    || '[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:Z| ?[+-](?:(?:0\d|1[0-7]):?[0-5]\d|18:?00))?';
CREATE OR REPLACE TEMP MACRO lt_timestamp_is_common(t) AS regexp_full_match(t, lt_common_timestamp_pattern());

-- Minutes of an offset +hhmm or -hhmm (the colon dropped).
CREATE OR REPLACE TEMP MACRO lt_hhmm_minutes(z) AS
  (CASE WHEN starts_with(z, '-') THEN -1 ELSE 1 END) * (TRY_CAST(z[2:3] AS INTEGER) * 60 + TRY_CAST(z[4:5] AS INTEGER));

CREATE OR REPLACE TEMP MACRO lt_common_timestamp(t) AS
  struct_pack(
    wall := TRY_CAST(replace(t[1:19], 'T', ' ') AS TIMESTAMP),
    offset_minutes := TRY_CAST(CASE
      WHEN length(t) = 19 THEN NULL
      WHEN t[20] = 'Z' THEN 0
      ELSE lt_hhmm_minutes(replace(ltrim(t[20:]), ':', ''))
    END AS SMALLINT)
  );

-- The US forms exports use most, naive (10/07/2025 9:50 AM, 10/7/2025 9:50:26 PM, 10/07/2025 21:50,
-- 10/07/2025), every field within its range (a 29 February goes the general way), read by DuckDB's own
-- strptime with the one format that fits (a format that does not fit is costly to try).
CREATE OR REPLACE TEMP MACRO lt_us_timestamp_is_common(t) AS
  regexp_full_match(
    t,
    '(?:(?:0?[1-9]|1[0-2])/(?:0?[1-9]|1\d|2[0-8])|(?:0?[13-9]|1[0-2])/(?:29|30)|(?:0?[13578]|1[02])/31)/[1-9]\d{3}'
      || '(?: (?:(?:0?[1-9]|1[0-2]):[0-5]\d(?::[0-5]\d)? [AaPp][Mm]|(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?))?'
  );
CREATE OR REPLACE TEMP MACRO lt_us_common_timestamp(t) AS
  struct_pack(
    wall := CASE
      WHEN NOT contains(t, ' ') THEN try_strptime(t, '%m/%d/%Y')
      WHEN right(t, 1) IN ('M', 'm') THEN
        CASE WHEN t LIKE '%:%:%' THEN try_strptime(t, '%m/%d/%Y %I:%M:%S %p') ELSE try_strptime(t, '%m/%d/%Y %I:%M %p') END
      WHEN t LIKE '%:%:%' THEN try_strptime(t, '%m/%d/%Y %H:%M:%S')
      ELSE try_strptime(t, '%m/%d/%Y %H:%M')
    END,
    offset_minutes := NULL::SMALLINT
  );

-- The general reading. The fields of each form, '' where not written (an ISO value starts with four digits
-- and a dash, so has a dash fifth; a US one starts with one or two digits and a slash, so never has). A
-- zone's sign, hours and minutes are also taken apart.
CREATE OR REPLACE TEMP MACRO lt_iso_fields(t) AS
  regexp_extract(
    t,
    '(?i)^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*(Z|UTC|GMT|([+-])(\d{2})(?::?(\d{2}))?)?$',
    ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z', 'z_sign', 'z_hours', 'z_minutes']
  );
CREATE OR REPLACE TEMP MACRO lt_us_fields(t) AS
  regexp_extract(
    t,
    '(?i)^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*(AM|PM)?)?[\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}]*(Z|UTC|GMT|([+-])(\d{2})(?::?(\d{2}))?)?$',
    ['mo', 'd', 'y', 'h', 'mi', 's', 'meridiem', 'z', 'z_sign', 'z_hours', 'z_minutes']
  );

-- The fields as text, the same for both forms.
CREATE OR REPLACE TEMP MACRO lt_timestamp_fields(t) AS
  CASE
    WHEN t[5] = '-' THEN list_transform([lt_iso_fields(t)], lt_f -> struct_pack(
      y := lt_f.y, mo := lt_f.mo, d := lt_f.d, h := lt_f.h, mi := lt_f.mi, s := lt_f.s, f := lt_f.f, meridiem := '',
      z := lt_f.z, z_sign := lt_f.z_sign, z_hours := lt_f.z_hours, z_minutes := lt_f.z_minutes
    ))[1]
    ELSE list_transform([lt_us_fields(t)], lt_f -> struct_pack(
      y := lt_f.y, mo := lt_f.mo, d := lt_f.d, h := lt_f.h, mi := lt_f.mi, s := lt_f.s, f := '', meridiem := lt_f.meridiem,
      z := lt_f.z, z_sign := lt_f.z_sign, z_hours := lt_f.z_hours, z_minutes := lt_f.z_minutes
    ))[1]
  END;

-- The fields as numbers (0 for a time field not written; a zone not written has none).
CREATE OR REPLACE TEMP MACRO lt_timestamp_numbers(f) AS
  struct_pack(
    matched := f.y <> '',
    y := TRY_CAST(f.y AS INTEGER),
    mo := TRY_CAST(f.mo AS INTEGER),
    d := TRY_CAST(f.d AS INTEGER),
    h := coalesce(TRY_CAST(f.h AS INTEGER), 0),
    mi := coalesce(TRY_CAST(f.mi AS INTEGER), 0),
    s := coalesce(TRY_CAST(f.s AS INTEGER), 0),
    micros := CASE WHEN f.f = '' THEN 0 ELSE TRY_CAST(rpad(f.f, 6, '0') AS INTEGER) END,
    meridiem := f.meridiem <> '',
    pm := f.meridiem IN ('PM', 'pm', 'Pm', 'pM'),
    zone := f.z <> '',
    zone_sign := CASE WHEN f.z_sign = '-' THEN -1 ELSE 1 END,
    zone_hours := coalesce(TRY_CAST(f.z_hours AS INTEGER), 0),
    zone_minutes := coalesce(TRY_CAST(f.z_minutes AS INTEGER), 0)
  );

-- The hour of the day (12 AM is 0, 12 PM is 12), the date where there is such a day (proleptic Gregorian,
-- leap years included), and the offset in minutes, NULL for one no zone has.
CREATE OR REPLACE TEMP MACRO lt_days_in_month(y, mo) AS
  CASE
    WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
    WHEN mo IN (4, 6, 9, 11) THEN 30
    ELSE 31
  END;
CREATE OR REPLACE TEMP MACRO lt_timestamp_derived(n) AS
  struct_pack(
    n := n,
    hour := CASE WHEN n.meridiem THEN n.h % 12 + CASE WHEN n.pm THEN 12 ELSE 0 END ELSE n.h END,
    date := CASE
      WHEN n.y >= 1000 AND n.mo BETWEEN 1 AND 12 AND n.d BETWEEN 1 AND lt_days_in_month(n.y, n.mo) THEN make_date(n.y, n.mo, n.d)
    END,
    offset_minutes := CASE
      WHEN NOT n.zone OR n.zone_minutes > 59 OR n.zone_hours * 60 + n.zone_minutes > 18 * 60 THEN NULL
      ELSE n.zone_sign * (n.zone_hours * 60 + n.zone_minutes)
    END
  );

-- STRUCT(problem, wall, offset_minutes); the wall is only meant where there is no problem.
CREATE OR REPLACE TEMP MACRO lt_timestamp_checked(v) AS
  struct_pack(
    problem := CASE
      WHEN NOT v.n.matched
        THEN 'is not a timestamp (expected e.g. 2025-10-07 09:50:26 +0200, 2025-10-07T07:50:26Z or 10/07/2025 9:50 AM)'
      WHEN v.n.meridiem AND v.n.h NOT BETWEEN 1 AND 12 THEN 'has an hour that does not fit AM/PM'
      WHEN v.n.y < 1000 THEN 'has a year before 1000'
      WHEN v.n.mo NOT BETWEEN 1 AND 12 THEN 'has no such month'
      WHEN v.date IS NULL THEN 'has no such day'
      WHEN v.hour > 23 OR v.n.mi > 59 OR v.n.s > 60 THEN 'has no such time of day'
      WHEN v.n.zone AND v.offset_minutes IS NULL THEN lt_offset_problem()
      ELSE NULL
    END,
    wall := v.date + to_microseconds(((v.hour * 60 + v.n.mi) * 60 + v.n.s) * 1000000::BIGINT + v.n.micros),
    offset_minutes := TRY_CAST(v.offset_minutes AS SMALLINT)
  );

CREATE OR REPLACE TEMP MACRO lt_timestamp_read(t) AS
  list_transform([lt_timestamp_fields(t)], lt_fields ->
    list_transform([lt_timestamp_numbers(lt_fields)], lt_numbers ->
      list_transform([lt_timestamp_derived(lt_numbers)], lt_derived -> lt_timestamp_checked(lt_derived))[1]
    )[1]
  )[1];

-- The value of a general reading, NULL where it has a problem.
CREATE OR REPLACE TEMP MACRO lt_read_timestamp_value(r) AS
  list_transform([r], lt_r -> CASE
    WHEN lt_r.problem IS NULL THEN struct_pack(wall := lt_r.wall, offset_minutes := lt_r.offset_minutes)
  END)[1];

CREATE OR REPLACE TEMP MACRO lt_timestamp(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN lt_timestamp_is_common(t) THEN lt_common_timestamp(t)
    WHEN lt_us_timestamp_is_common(t) THEN lt_us_common_timestamp(t)
    ELSE lt_read_timestamp_value(lt_timestamp_read(t))
  END;

CREATE OR REPLACE TEMP MACRO lt_timestamp_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR lt_timestamp_is_common(t) OR lt_us_timestamp_is_common(t) THEN NULL
    ELSE (lt_timestamp_read(t)).problem
  END;

-- Epoch seconds (Klaviyo's numeric $send_ts): 9 to 11 digits, years 1973 to 5138, so never epoch
-- milliseconds; an exact UTC time kept to the microsecond. Or any timestamp lt_timestamp reads. One
-- pattern takes epoch seconds and the common timestamps; the fifth character tells them apart.
CREATE OR REPLACE TEMP MACRO lt_timestamp_or_epoch_is_common(t) AS
  regexp_full_match(t, '\d{9,11}(?:\.\d+)?|' || lt_common_timestamp_pattern());

CREATE OR REPLACE TEMP MACRO lt_epoch(t) AS
  struct_pack(
    wall := make_timestamp(
      TRY_CAST(split_part(t, '.', 1) AS BIGINT) * 1000000 + TRY_CAST(rpad(split_part(t, '.', 2), 6, '0') AS BIGINT)
    ),
    offset_minutes := 0::SMALLINT
  );

CREATE OR REPLACE TEMP MACRO lt_timestamp_or_epoch(t) AS
  CASE
    WHEN coalesce(t, '') = '' THEN NULL
    WHEN lt_timestamp_or_epoch_is_common(t) THEN CASE WHEN t[5] = '-' THEN lt_common_timestamp(t) ELSE lt_epoch(t) END
    WHEN lt_us_timestamp_is_common(t) THEN lt_us_common_timestamp(t)
    ELSE lt_read_timestamp_value(lt_timestamp_read(t))
  END;

CREATE OR REPLACE TEMP MACRO lt_timestamp_or_epoch_problem(t) AS
  CASE
    WHEN coalesce(t, '') = '' OR lt_timestamp_or_epoch_is_common(t) OR lt_us_timestamp_is_common(t) THEN NULL
    ELSE (lt_timestamp_read(t)).problem
  END;
