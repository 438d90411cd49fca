import { describe, expect, it } from 'vitest';
import { lines, PALETTE, sparkline, stackedBars, timeline, type SeriesPoint } from '../../src/report/charts.js';

const text = (id: string) => ({ id, title: `Title of ${id}`, description: `Description of ${id}` });

/** The <g> groups a selector like `g.mark-rect.role-mark` matches: vega writes only self-closing <path/> inside them. */
function markGroups(svg: string, mark: 'rect' | 'line'): string[] {
  const groups: string[] = [];
  const open = new RegExp(`<g class="mark-${mark} role-mark[ "]`, 'g');
  for (let m = open.exec(svg); m; m = open.exec(svg)) groups.push(svg.slice(m.index, svg.indexOf('</g>', m.index)));
  return groups;
}
/** How many elements `g.mark-<mark>.role-mark > path` selects. */
function countMarks(svg: string, mark: 'rect' | 'line'): number {
  return markGroups(svg, mark).reduce((n, g) => n + (g.match(/<path /g)?.length ?? 0), 0);
}
function fills(svg: string, mark: 'rect' | 'line'): string[] {
  return markGroups(svg, mark).flatMap((g) => [...g.matchAll(/<path [^>]*?(?:fill|stroke)="(#[0-9A-Fa-f]{6})"/g)].map((m) => m[1] ?? ''));
}
function rootTag(svg: string): string {
  return /^<svg[^>]*>/.exec(svg)?.[0] ?? '';
}
function dataMarks(svg: string): number {
  return Number(/data-marks="(\d+)"/.exec(rootTag(svg))?.[1]);
}
/** Every opened tag is closed in order: enough to catch broken splicing without a DOM library. */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const [tag, close, name = '', selfClose] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    void tag;
    if (selfClose) continue;
    if (close) { if (stack.pop() !== name) return false; } else stack.push(name);
  }
  return stack.length === 0;
}
function expectFramed(svg: string, id: string): void {
  const root = rootTag(svg);
  expect(svg.startsWith('<svg ')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(root).toContain('role="img"');
  expect(root).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
  expect(root).toContain(`data-chart="${id}"`);
  expect(svg.slice(root.length)).toMatch(new RegExp(`^<title id="${id}-title">[^<]*</title><desc id="${id}-desc">[^<]*</desc>`));
  expect(balanced(svg)).toBe(true);
  // Self-contained: no prolog, script, link, CSS url or font, and no ids that could clash between charts on one page.
  expect(svg).not.toMatch(/<\?xml|<script|href|url\(|@import|@font-face|<image|<defs/i);
  expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
  expect([...svg.matchAll(/ id="([^"]*)"/g)].map((m) => m[1])).toEqual([`${id}-title`, `${id}-desc`]);
}

const SERIES = ['Meta', 'Google', 'SMS'];
const dayPoints: SeriesPoint[] = [
  { x: '2026-03-01', series: 'Meta', value: 1200.5 },
  { x: '2026-03-01', series: 'SMS', value: 300 },
  { x: '2026-03-02', series: 'Google', value: 0 },
  { x: '2026-03-04', series: 'Google', value: 15000 },
  { x: '2026-03-04', series: 'Google', value: 250 }, // summed into one bar
  { x: '2026-03-04', series: 'Meta', value: 40 },
];
const monthPoints: SeriesPoint[] = ['2026-01', '2026-02', '2026-03'].flatMap((x, i) => [
  { x, series: 'Meta', value: 10_000 + i * 2500 },
  { x, series: 'SMS', value: 4000 - i * 500 },
]);

describe('stackedBars', () => {
  const svg = stackedBars({ ...text('daily-revenue'), points: dayPoints, series: SERIES, xKind: 'day', valueLabel: 'Revenue (USD)', valueFormat: 'money' });

  it('draws one bar per non-zero (x, series) and says so on the root', () => {
    expectFramed(svg, 'daily-revenue');
    expect(dataMarks(svg)).toBe(4);
    expect(countMarks(svg, 'rect')).toBe(4);
    expect(svg).toContain('<title id="daily-revenue-title">Title of daily-revenue</title>');
  });

  it('colours a series by its position in the series list, whatever the data holds', () => {
    const onlySms = stackedBars({ ...text('sms'), points: [{ x: '2026-03-01', series: 'SMS', value: 5 }], series: SERIES, xKind: 'day', valueLabel: 'Orders' });
    expect(fills(onlySms, 'rect')).toEqual([PALETTE[2]]);
    // Stack order within a day follows the series list too: Meta then SMS on 1 March.
    expect(fills(svg, 'rect').slice(0, 2)).toEqual([PALETTE[0], PALETTE[2]]);
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });

  it('has a legend only for more than one series', () => {
    expect(svg).toContain('role-legend');
    const single = stackedBars({ ...text('one'), points: monthPoints.filter((p) => p.series === 'Meta'), series: ['Meta'], xKind: 'month', valueLabel: 'Revenue' });
    expect(single).not.toContain('role-legend');
    expect(dataMarks(single)).toBe(3);
  });

  it('formats money with thousands separators and keeps empty days and months on the axis', () => {
    expect(svg).toMatch(/>1[05],000</);
    expect(svg).toContain('>Mar 3<');
    const gap = stackedBars({ ...text('gap'), points: monthPoints.filter((p) => p.x !== '2026-02'), series: SERIES, xKind: 'month', valueLabel: 'Revenue' });
    expect(gap).toContain('>Feb 2026<');
  });

  it('writes percent axes for values given as 0..100', () => {
    const pct = stackedBars({ ...text('share'), points: [{ x: '2026-01', series: 'Meta', value: 62.5 }, { x: '2026-01', series: 'SMS', value: 37.5 }], series: SERIES, xKind: 'month', valueLabel: 'Share', valueFormat: 'percent' });
    expect(pct).toContain('>100%<');
    expect(pct).toContain('>40%<');
    expect(pct).not.toContain('>0.5<');
  });

  it('rejects points it could not colour or place', () => {
    expect(() => stackedBars({ ...text('x'), points: [{ x: '2026-03-01', series: 'TikTok', value: 1 }], series: SERIES, xKind: 'day', valueLabel: 'v' })).toThrow(/TikTok/);
    expect(() => stackedBars({ ...text('x'), points: [{ x: '2026-03', series: 'Meta', value: 1 }], series: SERIES, xKind: 'day', valueLabel: 'v' })).toThrow(/2026-03/);
    expect(() => stackedBars({ ...text('x'), points: [{ x: '2026-02-30', series: 'Meta', value: 1 }], series: SERIES, xKind: 'day', valueLabel: 'v' })).toThrow(/2026-02-30/);
    expect(() => stackedBars({ ...text('Bad Id'), points: [], series: SERIES, xKind: 'day', valueLabel: 'v' })).toThrow(/id/);
  });
});

describe('lines', () => {
  it('draws one line per series that has points', () => {
    const svg = lines({ ...text('revenue-sources'), points: monthPoints, series: ['Meta', 'Google', 'SMS'], valueLabel: 'Revenue', valueFormat: 'money' });
    expectFramed(svg, 'revenue-sources');
    expect(dataMarks(svg)).toBe(2);
    expect(countMarks(svg, 'line')).toBe(2);
    expect(markGroups(svg, 'line')).toHaveLength(2);
    expect(fills(svg, 'line')).toEqual([PALETTE[0], PALETTE[2]]);
    expect(svg).toContain('role-legend');
    expect(svg).toContain('>Feb 2026<');
  });

  it('still draws a series with a single month', () => {
    const svg = lines({ ...text('single'), points: [{ x: '2026-05', series: 'Store', value: 12 }], series: ['Store'], valueLabel: 'Revenue', valueFormat: 'percent' });
    expect(dataMarks(svg)).toBe(1);
    expect(countMarks(svg, 'line')).toBe(1);
    expect(svg).toContain('mark-symbol role-mark');
    expect(svg).not.toContain('role-legend');
  });
});

describe('sparkline', () => {
  it('is a small chart with lines only: no axes, no legend', () => {
    const svg = sparkline({ ...text('spark-meta'), points: monthPoints, series: ['Meta', 'SMS'] });
    expectFramed(svg, 'spark-meta');
    expect(rootTag(svg)).toContain('width="160" height="36"');
    expect(dataMarks(svg)).toBe(2);
    expect(countMarks(svg, 'line')).toBe(2);
    expect(svg).not.toContain('role-axis');
    expect(svg).not.toContain('role-legend');
  });
});

describe('timeline', () => {
  const bars = [
    { lane: 'Meta', start: '2026-01-01', end: '2026-01-31', kind: 'covered', label: 'meta-jan.csv' },
    { lane: 'Google', start: '2026-01-05', end: '2026-02-10', kind: 'covered', label: 'google.csv' },
    { lane: 'Meta', start: '2026-02-01', end: '2026-02-14', kind: 'gap', label: 'no upload' },
    { lane: 'TikTok', start: '2026-01-10', end: '2026-01-10', kind: 'removed', label: 'tiktok-10.csv' },
  ];
  it('draws one bar per window, one-day windows included, coloured by kind', () => {
    const svg = timeline({ ...text('coverage'), bars, kinds: ['covered', 'removed', 'gap'] });
    expectFramed(svg, 'coverage');
    expect(dataMarks(svg)).toBe(4);
    expect(countMarks(svg, 'rect')).toBe(4);
    expect(fills(svg, 'rect')).toEqual([PALETTE[0], PALETTE[0], PALETTE[2], PALETTE[1]]);
    const oneDay = /aria-label="tiktok-10.csv"[^>]* d="M[\d.]+,[\d.]+h([\d.]+)v/.exec(svg);
    expect(Number(oneDay?.[1])).toBeGreaterThan(1);
    expect(svg).toContain('role-legend');
  });
  it('rejects windows that end before they start', () => {
    expect(() => timeline({ ...text('t'), bars: [{ lane: 'a', start: '2026-02-02', end: '2026-02-01', kind: 'gap', label: 'x' }], kinds: ['gap'] })).toThrow(/window/);
  });
});

describe('all charts', () => {
  const evil = '<script>alert(1)</script>';
  const all = () => [
    stackedBars({ ...text('a'), title: `Bars ${evil}`, description: `"${evil}" & co`, points: [{ x: '2026-01', series: evil, value: 1 }, { x: '2026-01', series: 'b', value: 2 }], series: [evil, 'b'], xKind: 'month', valueLabel: evil }),
    lines({ ...text('b'), title: evil, points: [{ x: '2026-01', series: evil, value: 1 }, { x: '2026-02', series: 'b', value: 2 }], series: [evil, 'b'], valueLabel: 'v' }),
    sparkline({ ...text('c'), description: evil, points: [{ x: '1', series: evil, value: 1 }, { x: '2', series: evil, value: 3 }], series: [evil] }),
    timeline({ ...text('d'), bars: [{ lane: evil, start: '2026-01-01', end: '2026-01-02', kind: evil, label: evil }, { lane: 'x', start: '2026-01-01', end: '2026-01-02', kind: 'ok', label: 'y' }], kinds: [evil, 'ok'] }),
  ];

  it('escapes every text that comes from data', () => {
    for (const svg of all()) {
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script');
      expect(balanced(svg)).toBe(true);
    }
    expect(all()[0]).toContain('<desc id="a-desc">&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; co</desc>');
  });

  it('is byte-identical for the same input, whatever was drawn in between', () => {
    const first = all();
    stackedBars({ ...text('other'), points: dayPoints, series: SERIES, xKind: 'day', valueLabel: 'Revenue' });
    expect(all()).toEqual(first);
  });

  it('says "No data" when there is nothing to draw', () => {
    const empty = [
      stackedBars({ ...text('e1'), points: [], series: SERIES, xKind: 'day', valueLabel: 'v' }),
      stackedBars({ ...text('e2'), points: [{ x: '2026-01', series: 'Meta', value: 0 }], series: SERIES, xKind: 'month', valueLabel: 'v' }),
      lines({ ...text('e3'), points: [], series: SERIES, valueLabel: 'v' }),
      sparkline({ ...text('e4'), points: [], series: SERIES }),
      timeline({ ...text('e5'), bars: [], kinds: ['covered'] }),
    ];
    empty.forEach((svg, i) => {
      expectFramed(svg, `e${i + 1}`);
      expect(dataMarks(svg)).toBe(0);
      expect(svg).toContain('>No data</text>');
    });
  });
});
