// The condition by which a month model's sliced reads and deletes keep the slices' months: one range of
// the month column per run of consecutive months of a client, so that DuckDB can skip row groups.
import { describe, expect, it } from 'vitest';
import { inMonths } from '../../src/models/slices.js';

describe('inMonths', () => {
  it('makes one range of consecutive months, across a year end, and a range per gap', () => {
    const months = new Map([
      ['acme', ['2025-11-01', '2025-12-01', '2026-01-01', '2026-03-01']],
      ["o'hara", ['2026-12-01']],
    ]);
    expect(inMonths(months, 't', 'order_date')).toBe(
      "((t.client_id = 'acme' AND t.order_date >= DATE '2025-11-01' AND t.order_date < DATE '2026-02-01') OR " +
        "(t.client_id = 'acme' AND t.order_date >= DATE '2026-03-01' AND t.order_date < DATE '2026-04-01') OR " +
        "(t.client_id = 'o''hara' AND t.order_date >= DATE '2026-12-01' AND t.order_date < DATE '2027-01-01'))",
    );
  });

  it('keeps no rows when there are no months', () => {
    expect(inMonths(new Map(), 't', 'month')).toBe('false');
    expect(inMonths(new Map([['acme', []]]), 't', 'month')).toBe('false');
  });
});
