-- Instants from the times an export wrote (docs/attribution.md section 3). Raw tables keep every
-- timestamp as written: its wall-clock time and, when the export gave one, its offset from UTC in
-- minutes (STRUCT(wall TIMESTAMP, offset_minutes SMALLINT)). The build turns them into instants here,
-- so a change of the client's source_timezone applies at the next build without a re-import.

-- The zone's offset from UTC at an instant, in microseconds.
CREATE OR REPLACE TEMP MACRO lt_zone_offset_us(zone, instant) AS
  epoch_us(timezone(zone, instant)) - epoch_us(instant);

-- A wall-clock time in a zone, by the "compatible" rule of JavaScript's Temporal: a time that falls in
-- a daylight-saving gap moves forward by the gap (it is read with the offset in force before the gap);
-- a time in the repeated hour is the earlier of its two instants. The offsets a day before and a day
-- after the wall time bracket the one transition that can concern it: each gives a candidate instant,
-- valid when the zone really has that offset there.
CREATE OR REPLACE TEMP MACRO lt_wall_in_zone(wall, zone) AS
  CASE
    WHEN wall IS NULL THEN NULL
    WHEN zone IN ('UTC', 'Etc/UTC') THEN timezone('UTC', wall)
    ELSE list_transform(
      [{
        'as_utc': timezone('UTC', wall),
        'before': lt_zone_offset_us(zone, timezone('UTC', wall) - INTERVAL 1 DAY),
        'after': lt_zone_offset_us(zone, timezone('UTC', wall) + INTERVAL 1 DAY)
      }],
      o -> CASE
        WHEN lt_zone_offset_us(zone, o.as_utc - to_microseconds(o.after)) = o.after
          AND NOT (lt_zone_offset_us(zone, o.as_utc - to_microseconds(o.before)) = o.before AND o.before > o.after)
          THEN o.as_utc - to_microseconds(o.after)
        ELSE o.as_utc - to_microseconds(o.before)
      END
    )[1]
  END;

-- A timestamp as written to its instant: exact with its offset, else wall-clock time in source_zone.
CREATE OR REPLACE TEMP MACRO lt_instant(written, source_zone) AS
  CASE
    WHEN written IS NULL THEN NULL
    WHEN written.offset_minutes IS NOT NULL THEN timezone('UTC', written.wall) - to_minutes(written.offset_minutes)
    ELSE lt_wall_in_zone(written.wall, source_zone)
  END;

-- The calendar date of an instant in a zone (the client's reporting time zone).
CREATE OR REPLACE TEMP MACRO lt_local_date(instant, zone) AS CAST(timezone(zone, instant) AS DATE);
