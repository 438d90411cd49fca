// Static SVG charts for report pages, drawn at build time: Vega-Lite describes each chart, vega lays it
// out headless, and the page gets plain markup (no scripts, no fonts, no links), so it works offline,
// in mail clients and when printed.
//
// Counting data marks (what `data-marks` on the root <svg> promises):
//   stackedBars, timeline:  `g.mark-rect.role-mark > path`  (one <path> per bar)
//   lines, sparkline:       `g.mark-line.role-mark > path`  (one group, one <path>, per series)
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartText { id: string; title: string; description: string }
export interface SeriesPoint { x: string; series: string; value: number }
type ValueFormat = 'money' | 'percent';

/** Okabe–Ito, reordered so the first colours are the most distinct on white (yellow and black last). */
export const PALETTE: readonly string[] = Object.freeze([
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
]);

// Text is sized by vega's estimate rather than node-canvas, should that ever get installed: measuring
// with real fonts would make the markup depend on the fonts of the machine that builds the site.
(vega as unknown as { textMetrics: { canvas(use: boolean): void } }).textMetrics.canvas(false);

const DAY_MS = 86_400_000;
// Round-tripping through Date also refuses days a month does not have (2026-02-30).
const isDay = (x: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(x) && !Number.isNaN(Date.parse(x)) && new Date(`${x}T00:00:00Z`).toISOString().startsWith(x);
const isMonth = (x: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(x);

const CONFIG = {
  background: 'white',
  font: 'sans-serif',
  // The root is role="img" with its own title/desc; per-mark ARIA would be hidden by it and only bloat.
  aria: false,
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, labelColor: '#333', titleColor: '#333', gridColor: '#e5e5e5', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 10, labelColor: '#333', labelLimit: 140, symbolType: 'square', title: null },
} as const;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function colours(count: number): string[] {
  // Past eight series the palette repeats; callers with that many should group the tail as "Other".
  return Array.from({ length: count }, (_, i) => PALETTE[i % PALETTE.length] ?? '#000000');
}

function checkText({ id }: ChartText): void {
  // The id lands in attribute values and id references, so it is held to a safe alphabet.
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`chart id "${id}" must match [a-z0-9-]+`);
}

function checkSeries(series: readonly string[]): Map<string, number> {
  const order = new Map<string, number>();
  for (const name of series) {
    if (order.has(name)) throw new Error(`series "${name}" is listed twice`);
    order.set(name, order.size);
  }
  return order;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every day or month from the first to the last, so gaps in the data show as gaps on the axis. */
function fillDomain(xs: readonly string[], step: (x: string) => string): string[] {
  const sorted = [...new Set(xs)].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return [];
  const out = [first];
  for (let x = first; x < last; ) {
    out.push((x = step(x)));
    if (out.length > 3700) throw new Error(`${first}..${last} is too long a range for one chart`);
  }
  return out;
}

/** Sums duplicate (x, series) points and keeps the series order as a field for stacking. */
function tidy(points: readonly SeriesPoint[], order: Map<string, number>, isX: ((x: string) => boolean) | null): { x: string; series: string; value: number; order: number }[] {
  const sums = new Map<string, { x: string; series: string; value: number; order: number }>();
  for (const p of points) {
    const index = order.get(p.series);
    if (index === undefined) throw new Error(`point series "${p.series}" is not in the series list`);
    if (isX && !isX(p.x)) throw new Error(`point x "${p.x}" is not a ${isX === isDay ? 'YYYY-MM-DD day' : 'YYYY-MM month'}`);
    if (!Number.isFinite(p.value)) throw new Error(`point value for "${p.series}" at ${p.x} is not a finite number`);
    const key = JSON.stringify([p.x, p.series]);
    const row = sums.get(key) ?? { x: p.x, series: p.series, value: 0, order: index };
    row.value += p.value;
    sums.set(key, row);
  }
  return [...sums.values()].sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : a.order - b.order));
}

function valueAxis(title: string | null, format: ValueFormat | undefined): Record<string, unknown> {
  // Percent values are given as 0..100 (as the warehouse rounds them), so the label only gains a sign.
  if (format === 'percent') return { title, labelExpr: "format(datum.value, ',~f') + '%'" };
  return { title, format: format === 'money' ? ',.2~f' : ',~f' };
}

function colourScale(names: readonly string[], showLegend: boolean): Record<string, unknown> {
  return { scale: { domain: [...names], range: colours(names.length) }, legend: showLegend ? {} : null };
}

function xLabels(kind: 'day' | 'month'): string {
  return kind === 'day'
    ? "utcFormat(toDate(datum.value + 'T00:00:00Z'), '%b %-d')"
    : "utcFormat(toDate(datum.value + '-01T00:00:00Z'), '%b %Y')";
}

interface Draw { key: string; spec: () => TopLevelSpec; data: Record<string, unknown>[]; signals: Record<string, unknown>; width: number; height: number }

const runtimes = new Map<string, vega.Runtime>();

function runtimeFor(draw: Draw): vega.Runtime {
  let runtime = runtimes.get(draw.key);
  if (!runtime) {
    // Compiling and parsing cost about as much as drawing, and a page reuses a handful of chart shapes.
    if (runtimes.size >= 200) runtimes.clear();
    const spec = compile(draw.spec(), { logger: quietLogger([]) }).spec;
    runtime = vega.parse(spec);
    runtimes.set(draw.key, runtime);
  }
  return runtime;
}

function quietLogger(errors: string[]): NonNullable<vega.ViewOptions['logger']> {
  // Warnings are layout notes; errors are kept so a failed render throws instead of printing.
  let level = 1;
  const logger = {
    level(next?: number) { if (next === undefined) return level; level = next; return logger; },
    error(...args: unknown[]) { errors.push(args.map(String).join(' ')); return logger; },
    warn() { return logger; },
    info() { return logger; },
    debug() { return logger; },
  };
  return logger;
}

interface StringRenderer {
  initialize(el: null, width: number, height: number, origin: readonly number[]): StringRenderer;
  background(colour: vega.Color): StringRenderer;
  render(scene: unknown): StringRenderer;
  svg(): string;
}
type StringRendererClass = new (loader: vega.Loader) => StringRenderer;
// vega ships this renderer (it is what toSVG uses) but its typings do not declare it.
const SvgString = (vega as unknown as { SVGStringRenderer: StringRendererClass }).SVGStringRenderer;
if (typeof SvgString !== 'function') throw new Error('this vega version no longer exports SVGStringRenderer');

// Each new View compiles every expression of its spec with Function(); that was most of the time per
// chart. The parsed runtime is shared per chart shape, so its expression objects are too: the compiled
// (unbound) function is kept per expression object and bound afresh to each view's function context,
// which is exactly what vega does itself.
type Generate = (ctx: { functions?: object }, expr: object) => (...args: unknown[]) => unknown;
type Codegen = Record<'operator' | 'parameter' | 'event' | 'handler' | 'encode', Generate>;
const baseCodegen = (vega as unknown as { runtimeContext(df: unknown, transforms: object): { expr: Codegen } })
  .runtimeContext(new (vega as unknown as { Dataflow: new () => object }).Dataflow(), {}).expr;
const cachingCodegen: Codegen & Record<string, unknown> = { ...baseCodegen };
for (const method of ['operator', 'parameter', 'event', 'handler', 'encode'] as const) {
  const compiled = new WeakMap<object, (...args: unknown[]) => unknown>();
  cachingCodegen[method] = (ctx, expr) => {
    let fn = compiled.get(expr);
    if (!fn) compiled.set(expr, (fn = baseCodegen[method]({}, expr)));
    return fn.bind(ctx.functions);
  };
}

function renderSvg(draw: Draw): string {
  const started = performance.now();
  const errors: string[] = [];
  const view = new vega.View(runtimeFor(draw), { renderer: 'none', logger: quietLogger(errors), expr: cachingCodegen });
  try {
    for (const [name, value] of Object.entries(draw.signals)) view.signal(name, value as vega.SignalValue);
    view.data('rows', draw.data);
    // view.toSVG() is async only to wait for image loading, which these charts never do; running and
    // rendering directly keeps the API synchronous. Sizes are the requested ones: every spec uses
    // autosize "fit" with padding included, so the drawing is exactly width x height.
    view.run();
    if (errors.length > 0) throw new Error(`vega failed: ${errors.join('; ')}`);
    const padding = view.padding();
    const [left, top] = typeof padding === 'number' ? [padding, padding] : [padding.left ?? 0, padding.top ?? 0];
    const [ox, oy] = view.origin();
    const renderer = new SvgString(view.loader())
      .initialize(null, draw.width, draw.height, [left + ox, top + oy])
      .background(view.background());
    const root = (view.scenegraph() as unknown as { root: unknown }).root;
    return renderer.render(root).svg();
  } finally {
    view.finalize();
    chartsDrawn.count += 1;
    chartsDrawn.seconds += (performance.now() - started) / 1000;
  }
}

/** How many charts this process drew and the seconds it took: the report's account of where its time goes. */
export const chartsDrawn = { count: 0, seconds: 0 };

function frame(text: ChartText, marks: number, svg: string): string {
  const attrs = `role="img" aria-labelledby="${text.id}-title ${text.id}-desc" data-chart="${text.id}" data-marks="${marks}"`;
  const head = `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.description)}</desc>`;
  // The xlink namespace is never used by these charts; dropping it leaves the svg namespace as the only URL.
  return svg.replace(/^<svg([^>]*)>/, (_, rest: string) => `<svg${rest.replace(/ xmlns:xlink="[^"]*"/, '')} ${attrs}>${head}`);
}

function noData(text: ChartText, width: number, height: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="marks" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<rect width="${width}" height="${height}" fill="white"/>`
    + `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" dominant-baseline="middle" font-family="sans-serif" font-size="12px" fill="#666">No data</text></svg>`;
  return frame(text, 0, svg);
}

const fit = { type: 'fit', contains: 'padding' } as const;

/** Stacked bars: x is 'YYYY-MM-DD' (xKind 'day') or 'YYYY-MM' (xKind 'month'); one colour per series, in the order given. */
export function stackedBars(options: ChartText & { points: readonly SeriesPoint[]; series: readonly string[]; xKind: 'day' | 'month'; valueLabel: string; valueFormat?: ValueFormat; width?: number; height?: number; /** The first and last x the axis shows even without data (a month's days). */ xRange?: readonly [string, string] }): string {
  checkText(options);
  const { series, xKind, valueLabel, valueFormat, width = 640, height = 240 } = options;
  // Zero-height bars would be invisible yet counted, so they are left out.
  const rows = tidy(options.points, checkSeries(series), xKind === 'day' ? isDay : isMonth).filter((r) => r.value !== 0);
  if (rows.length === 0) return noData(options, width, height);
  const xDomain = fillDomain([...rows.map((r) => r.x), ...(options.xRange ?? [])], xKind === 'day' ? nextDay : nextMonth);
  const svg = renderSvg({
    key: JSON.stringify(['bars', series, xKind, valueLabel, valueFormat, width, height]),
    spec: () => ({
      width, height, autosize: fit, config: CONFIG,
      params: [{ name: 'xDomain', value: [] }],
      data: { name: 'rows' },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'x', type: 'ordinal', scale: { domain: { expr: 'xDomain' } }, axis: { title: null, labelAngle: 0, labelOverlap: 'parity', labelExpr: xLabels(xKind) } },
        y: { field: 'value', type: 'quantitative', stack: 'zero', axis: valueAxis(valueLabel, valueFormat) },
        color: { field: 'series', type: 'nominal', ...colourScale(series, series.length > 1) },
        order: { field: 'order', type: 'quantitative' },
      },
    }),
    data: rows, signals: { xDomain }, width, height,
  });
  return frame(options, rows.length, svg);
}

function lineChart(kind: 'lines' | 'spark', options: ChartText & { points: readonly SeriesPoint[]; series: readonly string[]; valueLabel: string; valueFormat?: ValueFormat; width: number; height: number }): string {
  checkText(options);
  const { series, valueLabel, valueFormat, width, height } = options;
  const rows = tidy(options.points, checkSeries(series), kind === 'lines' ? isMonth : null);
  if (rows.length === 0) return noData(options, width, height);
  const drawn = new Set(rows.map((r) => r.series)).size;
  // Months are filled so a missing month keeps its place; sparkline x values are only ordered.
  const xDomain = kind === 'lines' ? fillDomain(rows.map((r) => r.x), nextMonth) : [...new Set(rows.map((r) => r.x))].sort();
  const spark = kind === 'spark';
  const svg = renderSvg({
    key: JSON.stringify([kind, series, valueLabel, valueFormat, width, height]),
    spec: () => ({
      width, height, autosize: fit, config: CONFIG, padding: spark ? 2 : 5,
      params: [{ name: 'xDomain', value: [] }],
      data: { name: 'rows' },
      // Points make a single-month series visible; in a sparkline they would only be noise.
      mark: { type: 'line', strokeWidth: spark ? 1.5 : 2, point: !spark },
      encoding: {
        x: { field: 'x', type: 'ordinal', scale: { domain: { expr: 'xDomain' } }, axis: spark ? null : { title: null, labelAngle: 0, labelOverlap: 'parity', labelExpr: xLabels('month') } },
        y: { field: 'value', type: 'quantitative', scale: { zero: !spark }, axis: spark ? null : valueAxis(valueLabel, valueFormat) },
        color: { field: 'series', type: 'nominal', ...colourScale(series, !spark && series.length > 1) },
      },
    }),
    data: rows, signals: { xDomain }, width, height,
  });
  return frame(options, drawn, svg);
}

/** One line per series over months (e.g. platform-reported vs last-touch vs store revenue). */
export function lines(options: ChartText & { points: readonly SeriesPoint[]; series: readonly string[]; valueLabel: string; valueFormat?: ValueFormat; width?: number; height?: number }): string {
  return lineChart('lines', { ...options, width: options.width ?? 640, height: options.height ?? 240 });
}

/** A small trend for a table cell: lines per series, no axes, no legend, ~160x36. x values only need to sort in order. */
export function sparkline(options: ChartText & { points: readonly SeriesPoint[]; series: readonly string[]; width?: number; height?: number }): string {
  return lineChart('spark', { ...options, valueLabel: '', width: options.width ?? 160, height: options.height ?? 36 });
}

/** Coverage time line: one lane per platform (in order of first appearance), one bar per upload window (start/end 'YYYY-MM-DD' inclusive), coloured by kind. */
export function timeline(options: ChartText & { bars: readonly { lane: string; start: string; end: string; kind: string; label: string }[]; kinds: readonly string[]; width?: number }): string {
  checkText(options);
  const { kinds, width = 640 } = options;
  const kindOrder = checkSeries(kinds);
  const lanes: string[] = [];
  const rows = options.bars.map((bar) => {
    if (!isDay(bar.start) || !isDay(bar.end) || bar.end < bar.start) throw new Error(`bar "${bar.label}" has no valid window ${bar.start}..${bar.end}`);
    if (!kindOrder.has(bar.kind)) throw new Error(`bar kind "${bar.kind}" is not in the kinds list`);
    if (!lanes.includes(bar.lane)) lanes.push(bar.lane);
    // Inclusive end: the bar covers the whole last day.
    return { lane: bar.lane, start: Date.parse(`${bar.start}T00:00:00Z`), end: Date.parse(`${bar.end}T00:00:00Z`) + DAY_MS, kind: bar.kind, label: bar.label };
  });
  const height = Math.max(lanes.length, 1) * 24 + 36;
  if (rows.length === 0) return noData(options, width, height);
  const svg = renderSvg({
    key: JSON.stringify(['timeline', kinds, width, height]),
    spec: () => ({
      width, height, autosize: fit, config: CONFIG,
      params: [{ name: 'lanes', value: [] }],
      data: { name: 'rows' },
      // The label rides along as each bar's aria-label, the one per-mark text vega writes into the markup.
      mark: { type: 'bar', aria: true, stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        y: { field: 'lane', type: 'nominal', scale: { domain: { expr: 'lanes' }, paddingInner: 0.25 }, axis: { title: null, labelLimit: 140 } },
        x: { field: 'start', type: 'temporal', scale: { type: 'utc' }, axis: { title: null, labelOverlap: 'parity' } },
        x2: { field: 'end' },
        color: { field: 'kind', type: 'nominal', ...colourScale(kinds, kinds.length > 1) },
        description: { field: 'label' },
      },
    }),
    data: rows, signals: { lanes }, width, height,
  });
  return frame(options, rows.length, svg);
}
