-- How the bulk loader reads one cell of an export (docs/formats.md, "Values"), as SQL macros
-- that the importer creates on its connection before it loads a file with DuckDB's own CSV reader.
--
-- These macros read the common, unambiguous forms of each kind of value exactly as the importer's cell
-- reader (src/ingest/values.ts) reads them. Any other form, valid or not, stops the bulk load with
-- lt_decline(): the importer then reads the whole file again cell by cell, which either imports it or
-- names every bad line, column and value. So a macro never guesses: it reads a value the same way as the
-- cell reader, or it declines. test/integration/import-paths.test.ts holds the two readers to that.

-- The loader cleans each cell it reads once (lt_clean), in an inner projection; every other macro takes
-- that cleaned text, where '' is an empty cell.

-- Stops the bulk load; the importer falls back to the cell-by-cell reader.
CREATE OR REPLACE TEMP MACRO lt_decline(what, raw) AS
  error('lasttouch bulk load declined: ' || what || ' "' || coalesce(raw, '') || '"');

-- Text: surrounding white space trimmed (JavaScript's definition of it) and the leading apostrophe that
-- Excel adds dropped; '' for an empty cell. Most cells need neither, which one anchored match tells.
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

-- A value that must be there.
CREATE OR REPLACE TEMP MACRO lt_required(value) AS
  CASE WHEN value IS NULL THEN lt_decline('required value missing', NULL) ELSE value END;

-- One cell of a kind: NULL when empty, the value when it has the form, else the load declines.
CREATE OR REPLACE TEMP MACRO lt_read(t, has_form, value, what) AS
  CASE WHEN t = '' THEN NULL WHEN has_form THEN value ELSE lt_decline(what, t) END;

-- Money: 1234.56, 1,234.56, $1,234.56, -12.00 (at most two decimals, no currency code, no parentheses),
-- within the accepted range of either sign: at most 10 digits before the point, so up to
-- 9,999,999,999.99 (docs/formats.md, "Money"; the cell reader's MAX_AMOUNT_CENTS). Raw columns and the
-- marts' sums are DECIMAL(18,2), below 10^16: with every amount below 10^10, a million of them still fit,
-- so no mart's sum can overflow. The range is part of the form, so an amount beyond it declines the load
-- like any other form the macros do not take, and the cell reader names it.
CREATE OR REPLACE TEMP MACRO lt_money(t) AS
  lt_read(
    t,
    regexp_full_match(t, '-?\$?(\d{1,3}(,\d{3}){1,2}|\d(,\d{3}){3}|\d{1,10})(\.\d{0,2})?|-?\$?\.\d{1,2}'),
    replace(replace(t, '$', ''), ',', '')::DECIMAL(18,2),
    'amount'
  );

-- A whole number of cents (a column named "... cents"): at most 12 digits, the same range.
CREATE OR REPLACE TEMP MACRO lt_cents(t) AS
  lt_read(t, regexp_full_match(t, '-?\d{1,12}'), (t::BIGINT * 0.01)::DECIMAL(18,2), 'amount in cents');

CREATE OR REPLACE TEMP MACRO lt_currency(t) AS lt_read(t, regexp_full_match(t, '[A-Za-z]{3}'), upper(t), 'currency');

-- Whole numbers of up to 9 digits, inside the raw INTEGER (the cell reader takes the rest of its range).
CREATE OR REPLACE TEMP MACRO lt_integer(t) AS lt_read(t, regexp_full_match(t, '-?\d{1,9}'), t::INTEGER, 'whole number');

-- A plain number (minutes_from_action) of up to 9 digits before the point: the cell reader's range, which
-- keeps the build's touch time (order time minus that many minutes) from overflowing.
CREATE OR REPLACE TEMP MACRO lt_number(t) AS
  lt_read(t, regexp_full_match(t, '-?(\d{1,9}(\.\d{0,6})?|\.\d{1,6})'), t::DOUBLE, 'number');

-- Phones: the raw text is kept; E.164 where it can be derived without guessing a country.
CREATE OR REPLACE TEMP MACRO lt_phone_e164_digits(t, digits) AS
  CASE
    WHEN t = '' THEN NULL
    WHEN starts_with(t, '+') AND length(digits) BETWEEN 8 AND 15 THEN '+' || digits
    WHEN regexp_full_match(t, '[0-9\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}().-]+') AND regexp_full_match(digits, '[2-9]\d{9}') THEN '+1' || digits
    WHEN regexp_full_match(t, '[0-9\s\x0B\x{FEFF}\x{2028}\x{2029}\p{Zs}().-]+') AND regexp_full_match(digits, '1[2-9]\d{9}') THEN '+' || digits
    ELSE NULL
  END;
CREATE OR REPLACE TEMP MACRO lt_phone_e164(t) AS lt_phone_e164_digits(t, regexp_replace(t, '[^0-9]', '', 'g'));

-- Timestamps, kept as written: STRUCT(wall TIMESTAMP, offset_minutes SMALLINT), the offset NULL for a
-- naive value (which every build reads in the client's source_timezone: sql/macros/time.sql).
-- ISO 8601 (with or without T, seconds, fractions) and US month/day/year with an optional AM/PM.
CREATE OR REPLACE TEMP MACRO lt_ts_iso(t) AS
  regexp_extract(
    t,
    '(?i)^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?[ \t]*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$',
    ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z']
  );
CREATE OR REPLACE TEMP MACRO lt_ts_us(t) AS
  regexp_extract(
    t,
    '(?i)^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?[ \t]*(AM|PM)?)?[ \t]*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$',
    ['mo', 'd', 'y', 'h', 'mi', 's', 'ampm', 'z']
  );

-- Offset of a written zone (Z, UTC, GMT, +02, +0200, +02:00) in minutes; NULL for none.
CREATE OR REPLACE TEMP MACRO lt_offset_minutes(z) AS
  CAST(CASE
    WHEN z = '' THEN NULL
    WHEN upper(z) IN ('Z', 'UTC', 'GMT') THEN 0
    ELSE (CASE WHEN starts_with(z, '-') THEN -1 ELSE 1 END)
      * (replace(z[2:], ':', '')[1:2]::INTEGER * 60 + coalesce(nullif(replace(z[2:], ':', '')[3:4], '')::INTEGER, 0))
  END AS SMALLINT);

-- A written zone no zone has: an offset beyond 18:00 either way, or offset minutes of 60 or more. '' (no
-- zone), Z, UTC and GMT are fine.
-- (A CASE, not AND: DuckDB evaluates both sides of an AND, and the casts must not see Z.)
CREATE OR REPLACE TEMP MACRO lt_no_such_offset(z) AS
  CASE
    WHEN z = '' OR upper(z) IN ('Z', 'UTC', 'GMT') THEN false
    ELSE coalesce(nullif(replace(z[2:], ':', '')[3:4], '')::INTEGER, 0) > 59
      OR replace(z[2:], ':', '')[1:2]::INTEGER * 60 + coalesce(nullif(replace(z[2:], ':', '')[3:4], '')::INTEGER, 0) > 1080
  END;

CREATE OR REPLACE TEMP MACRO lt_written(wall, zone_text) AS
  struct_pack(wall := wall, offset_minutes := lt_offset_minutes(zone_text));

-- One reading of a timestamp's parts (ISO or US, already matched).
CREATE OR REPLACE TEMP MACRO lt_ts_from_parts(p, hour, fraction) AS
  lt_written(
    make_timestamp(p.y::INTEGER, p.mo::INTEGER, p.d::INTEGER, hour, coalesce(nullif(p.mi, '')::INTEGER, 0),
      coalesce(nullif(p.s, '')::INTEGER, 0))
      + to_microseconds(rpad(fraction, 6, '0')[1:6]::BIGINT),
    p.z
  );

-- Parts that name no time: no year (the pattern did not match) or one before 1000, no such month or day,
-- minutes or seconds past 59. The hour is checked by each form.
CREATE OR REPLACE TEMP MACRO lt_no_such_wall_time(p) AS
  CASE
    WHEN p.y = '' THEN true
    WHEN p.y::INTEGER < 1000 OR p.mo::INTEGER NOT BETWEEN 1 AND 12 OR p.d::INTEGER < 1 THEN true
    ELSE p.d::INTEGER > day(last_day(make_date(p.y::INTEGER, p.mo::INTEGER, 1)))
      OR coalesce(nullif(p.mi, '')::INTEGER, 0) > 59 OR coalesce(nullif(p.s, '')::INTEGER, 0) > 59
  END;

CREATE OR REPLACE TEMP MACRO lt_timestamp_general(t) AS
  CASE
    WHEN t = '' THEN NULL
    WHEN regexp_full_match(t, '(?i)\d{4}-\d{2}-\d{2}.*')
      THEN list_transform([lt_ts_iso(t)], p -> CASE
        WHEN lt_no_such_wall_time(p) OR coalesce(nullif(p.h, '')::INTEGER, 0) > 23 OR lt_no_such_offset(p.z)
          THEN lt_decline('timestamp', t)
        ELSE lt_ts_from_parts(p, coalesce(nullif(p.h, '')::INTEGER, 0), p.f)
      END)[1]
    WHEN regexp_full_match(t, '\d{1,2}/\d{1,2}/\d{4}.*')
      THEN list_transform([lt_ts_us(t)], p -> CASE
        WHEN lt_no_such_wall_time(p)
          OR (p.ampm <> '' AND coalesce(nullif(p.h, '')::INTEGER, 0) NOT BETWEEN 1 AND 12)
          OR (p.ampm = '' AND coalesce(nullif(p.h, '')::INTEGER, 0) > 23)
          OR lt_no_such_offset(p.z)
          THEN lt_decline('timestamp', t)
        ELSE lt_ts_from_parts(
          p,
          CASE
            WHEN p.ampm = '' THEN coalesce(nullif(p.h, '')::INTEGER, 0)
            ELSE p.h::INTEGER % 12 + CASE WHEN upper(p.ampm) = 'PM' THEN 12 ELSE 0 END
          END,
          ''
        )
      END)[1]
    ELSE lt_decline('timestamp', t)
  END;
-- The forms exports use most (2025-10-07 09:50:26 +0200, 2025-10-07T07:50:26Z, 2025-10-07 09:50:26) by
-- DuckDB's own timestamp cast, which is much cheaper; the hour is held to 00-23, the seconds to 00-59 and
-- the offset to -18:00..+18:00 with minutes 00-59 first, as the cell reader does. Everything else takes
-- the general reading above.
CREATE OR REPLACE TEMP MACRO lt_timestamp(t) AS
  CASE
    WHEN t = '' THEN NULL
    WHEN regexp_full_match(t, '[1-9]\d{3}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(Z| ?[+-]((0\d|1[0-7]):?[0-5]\d|18:?00))?')
      THEN lt_written(replace(t[1:19], 'T', ' ')::TIMESTAMP, trim(t[20:]))
    ELSE lt_timestamp_general(t)
  END;

-- Epoch seconds (Klaviyo's numeric $send_ts), an exact UTC time, or any timestamp lt_timestamp reads.
CREATE OR REPLACE TEMP MACRO lt_timestamp_or_epoch(t) AS
  CASE
    WHEN regexp_full_match(t, '\d{9,11}(\.\d+)?')
      THEN lt_written(
        make_timestamp(
          split_part(t, '.', 1)::BIGINT * 1000000 + coalesce(nullif(rpad(split_part(t, '.', 2), 6, '0')[1:6], '')::BIGINT, 0)
        ),
        'Z'
      )
    ELSE lt_timestamp(t)
  END;
