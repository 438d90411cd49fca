// Timestamps kept as written become instants at build time (sql/macros/time.sql, docs/attribution.md
// section 3): an offset is exact; a naive wall-clock time is read in the client's source_timezone, a time
// in a daylight-saving gap moving forward by the gap and one in the repeated hour taking the earlier of
// its two instants (the "compatible" rule of JavaScript's Temporal). Cases as data, run in a real DuckDB.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TestWarehouse } from '../helpers.js';

const warehouse = new TestWarehouse();
afterAll(() => warehouse.cleanup());

const MACROS = readFileSync(join(ROOT, 'sql', 'macros', 'time.sql'), 'utf8');

// wall as written, offset in minutes (null: naive), zone, expected instant (UTC)
const CASES: [string, number | null, string, string][] = [
  ['2026-07-01 09:00:00', null, 'UTC', '2026-07-01T09:00:00.000Z'],
  ['2026-07-01 09:00:00', null, 'America/New_York', '2026-07-01T13:00:00.000Z'],
  ['2026-01-15 09:00:00', null, 'America/New_York', '2026-01-15T14:00:00.000Z'],
  ['2026-07-01 23:30:00', null, 'America/New_York', '2026-07-02T03:30:00.000Z'],
  ['2026-01-15 09:00:00', null, 'Asia/Kolkata', '2026-01-15T03:30:00.000Z'],
  ['2026-07-01 09:00:00', null, 'Europe/Paris', '2026-07-01T07:00:00.000Z'],
  ['2026-01-15 09:00:00', null, 'Europe/Paris', '2026-01-15T08:00:00.000Z'],
  // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z). 02:30 does not exist: read with the
  // offset before the gap (EST, -5) it is 07:30Z, which is 03:30 EDT: forward by the gap.
  ['2026-03-08 01:59:00', null, 'America/New_York', '2026-03-08T06:59:00.000Z'],
  ['2026-03-08 02:30:00', null, 'America/New_York', '2026-03-08T07:30:00.000Z'],
  ['2026-03-08 03:00:00', null, 'America/New_York', '2026-03-08T07:00:00.000Z'],
  // New York, 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): the earlier.
  ['2026-11-01 01:30:00', null, 'America/New_York', '2026-11-01T05:30:00.000Z'],
  ['2026-11-01 00:59:00', null, 'America/New_York', '2026-11-01T04:59:00.000Z'],
  ['2026-11-01 02:00:00', null, 'America/New_York', '2026-11-01T07:00:00.000Z'],
  // Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 read with CET (+1) is 01:30Z = 03:30 CEST.
  ['2026-03-29 02:30:00', null, 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
  // Paris, 2026-10-25: 02:30 happens in CEST (00:30Z) and in CET (01:30Z): the earlier.
  ['2026-10-25 02:30:00', null, 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
  // Lord Howe Island moves by half an hour: 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11). 02:15 read
  // with +10:30 is 15:45Z the day before, 02:45 local: forward by the gap.
  ['2026-10-04 02:15:00', null, 'Australia/Lord_Howe', '2026-10-03T15:45:00.000Z'],
  // 2026-04-05 02:00 (+11) falls back to 01:30 (+10:30): 01:45 is 14:45Z (+11) or 15:15Z: the earlier.
  ['2026-04-05 01:45:00', null, 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
  // An offset written in the export is exact, whatever the client's zone.
  ['2025-10-07 09:50:26', 120, 'America/New_York', '2025-10-07T07:50:26.000Z'],
  ['2025-10-07 03:50:26', -240, 'Asia/Kolkata', '2025-10-07T07:50:26.000Z'],
  ['2026-03-08 02:30:00', 0, 'America/New_York', '2026-03-08T02:30:00.000Z'],
];

describe('lt_instant', () => {
  it.each(CASES)('%s (offset %s) in %s is %s', async (wall, offset, zone, expected) => {
    const rows = await warehouse.with(async (connection) => {
      await connection.run(MACROS);
      return connection.all(
        `SELECT lt_instant(struct_pack(wall := $1::TIMESTAMP, offset_minutes := $2::SMALLINT), $3) AS instant`,
        [wall, offset, zone],
      );
    });
    expect(rows).toEqual([{ instant: expected }]);
  });

  it('is NULL for a missing timestamp', async () => {
    const rows = await warehouse.with(async (connection) => {
      await connection.run(MACROS);
      return connection.all(`SELECT lt_instant(NULL, 'UTC') AS instant`);
    });
    expect(rows).toEqual([{ instant: null }]);
  });
});
