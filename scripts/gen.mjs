#!/usr/bin/env node
// Deterministic generator of realistic exports for one client, at any size (benchmarks, load tests).
//
//   node scripts/gen.mjs --orders N --seed S --out DIR [--months M] [--client ID]
//
//   --orders N   orders in total (spread over the months with mild seasonality)
//   --seed S     a whole number 0 .. 2^53-1; the same seed and arguments give byte-identical files
//   --out DIR    where the files go (created if missing; files of the same names are overwritten)
//   --months M   calendar months covered, ending with 2026-10 (default 12: 2025-11 .. 2026-10)
//   --client ID  the client id written into the manifest (default bench-brand)
//
// It writes, for the client's store in America/New_York:
//   DIR/shopify_YYYY-MM.csv         Shopify Orders export of the month (79 columns, one row per line item)
//   DIR/klaviyo_YYYY-MM.csv         Klaviyo attributed Placed Order events of the month
//   DIR/postscript_YYYY-MM-01.csv   Postscript Revenue Report exported that day, covering the 90 days before
//                                   it (one on the 1st of every month after the first, and 2026-11-01)
//   DIR/manifest.json               the demo manifest shape (clients[0] with its imports in upload order)
//                                   plus orders, seed and the imports each month brings
// Specs: docs/formats.md (headers, values) and docs/attribution.md (rules) of the project.
//
// Plain Node 20 ESM, no dependencies, the style of scripts/make-demo-seeds.mjs: every random choice
// comes from seeded mulberry32 streams and every date is computed in UTC with explicit offsets; nothing
// reads the clock or Math.random. Unlike the demo generator it never holds a whole file: each order's
// randomness is its own stream, keyed by (seed, purpose, order number), so an order's claims can be
// drawn again, identically, for every rolling Postscript report that covers it. Between files only a
// few typed arrays per order are kept (creation time, total, refund, customer: 28 bytes an order).
// Files are written in ~1 MB chunks.

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------------------------------------------
// Arguments

const USAGE = `usage: node scripts/gen.mjs --orders N --seed S --out DIR [--months M (default 12)] [--client ID (default bench-brand)]`;

function parseArgs(argv) {
  const opts = { months: '12', client: 'bench-brand' };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const m = /^--(orders|seed|out|months|client)(?:=(.*))?$/.exec(arg);
    if (!m) fail(`unknown argument "${arg}"`);
    const value = m[2] ?? argv[++k];
    if (value === undefined) fail(`--${m[1]} needs a value`);
    opts[m[1]] = value;
  }
  for (const key of ['orders', 'seed', 'out']) if (opts[key] === undefined) fail(`--${key} is required`);
  const whole = (key, lo, hi) => {
    const text = String(opts[key]).trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < lo || n > hi) fail(`--${key} must be a whole number from ${lo} to ${hi}, not "${opts[key]}"`);
    return n;
  };
  const client = String(opts.client);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(client)) fail(`--client "${client}" must be letters, digits, ".", "_" or "-"`);
  return {
    orders: whole('orders', 1, 100_000_000),
    seed: whole('seed', 0, Number.MAX_SAFE_INTEGER),
    months: whole('months', 1, 120),
    out: resolve(String(opts.out)),
    client,
  };
}
function fail(message) {
  process.stderr.write(`gen: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const ARGS = parseArgs(process.argv.slice(2));
const N = ARGS.orders;
const T0 = performance.now(); // only for the progress lines and the summary, never for the data

// ---------------------------------------------------------------------------------------------------
// Seeded randomness: mulberry32, one stream per (purpose, key), reseeded in place

function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
const SEED_LO = ARGS.seed % 4294967296;
const SEED_HI = Math.floor(ARGS.seed / 4294967296);
const SEED_BASE = fmix32(fmix32(SEED_LO ^ 0x1a570b3c) ^ Math.imul(SEED_HI + 1, 0x9e3779b1));
/** The seed of stream `purpose` for key `key` (an order number, a customer number, a month...). */
function seedFor(purpose, key) {
  return fmix32(fmix32(SEED_BASE ^ Math.imul(purpose, 0x9e3779b1)) ^ fmix32((key >>> 0) + 0x6d2b79f5));
}

class Rng {
  constructor(seed = 0) {
    this.a = seed >>> 0;
  }
  reseed(seed) {
    this.a = seed >>> 0;
    return this;
  }
  f() {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.f() * (hi - lo + 1));
  }
  pick(arr) {
    return arr[Math.floor(this.f() * arr.length)];
  }
  chance(p) {
    return this.f() < p;
  }
  alnum(n) {
    const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    while (out.length < n) out += A[Math.floor(this.f() * 62)];
    return out;
  }
  upper(n) {
    const A = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let out = '';
    while (out.length < n) out += A[Math.floor(this.f() * A.length)];
    return out;
  }
  digits(n) {
    let out = '';
    while (out.length < n) out += String(Math.floor(this.f() * 10));
    return out;
  }
}

// Purposes (never renumber one: it would change every file)
const P_MONTH_TIMES = 1;
const P_ORDER = 2;
const P_ATTR = 3;
const P_CUSTOMER = 4;
const P_CALENDAR = 5;
const P_REPORT = 6;
const P_ID = 7;

const rOrder = new Rng();
const rAttr = new Rng();
const rCust = new Rng();

// ---------------------------------------------------------------------------------------------------
// Time (UTC arithmetic only; America/New_York offsets computed from the US rules since 2007)

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const pad2 = (n) => (n < 10 ? `0${n}` : String(n));

const dstCache = new Map();
/** [start, end) of daylight time in UTC ms: 2nd Sunday of March 07:00Z .. 1st Sunday of November 06:00Z. */
function dstRange(y) {
  let r = dstCache.get(y);
  if (!r) {
    const mar1 = new Date(Date.UTC(y, 2, 1)).getUTCDay();
    const nov1 = new Date(Date.UTC(y, 10, 1)).getUTCDay();
    const secondSundayMarch = 1 + ((7 - mar1) % 7) + 7;
    const firstSundayNov = 1 + ((7 - nov1) % 7);
    r = [Date.UTC(y, 2, secondSundayMarch, 7), Date.UTC(y, 10, firstSundayNov, 6)];
    dstCache.set(y, r);
  }
  return r;
}
/** New York's offset from UTC in minutes at instant ms (-300 EST, -240 EDT). */
function nyOffsetMin(ms) {
  const [start, end] = dstRange(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? -240 : -300;
}
/** A New York wall-clock time (as if it were UTC) to the instant; a time in the spring gap moves back an hour. */
function nyLocalToUtc(localMs) {
  const est = localMs + 300 * MIN;
  return nyOffsetMin(est) === -240 ? localMs + 240 * MIN : est;
}
const nyMidnight = (y, m0, d) => nyLocalToUtc(Date.UTC(y, m0, d));

function fmtWall(ms, sep) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}${sep}${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}
const dateText = (ms) => fmtWall(ms, ' ').slice(0, 10);
/** Shopify: 2026-03-07 09:50:26 -0500 (New York wall clock) */
function shopifyTs(ms) {
  const off = nyOffsetMin(ms);
  return `${fmtWall(ms + off * MIN, ' ')} ${off === -240 ? '-0400' : '-0500'}`;
}
/** Klaviyo Datetime: 2026-03-07T09:50:26-05:00 (New York wall clock) */
function isoNy(ms) {
  const off = nyOffsetMin(ms);
  return `${fmtWall(ms + off * MIN, 'T')}${off === -240 ? '-04:00' : '-05:00'}`;
}
const isoZ = (ms) => `${fmtWall(ms, 'T')}Z`;
/** Naive UTC wall clock: read in the client's source_timezone, UTC by default (Postscript reports in UTC). */
const naiveUtc = (ms) => fmtWall(ms, ' ');
const epochS = (ms) => String(Math.floor(ms / SEC));
const floorSec = (ms) => Math.floor(ms / SEC) * SEC;

// ---------------------------------------------------------------------------------------------------
// Money (integer cents only)

function money(c) {
  const neg = c < 0;
  const a = neg ? -c : c;
  const cents = a % 100;
  return `${neg ? '-' : ''}${(a - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}
/** $1,234.56 */
function moneyDollar(c) {
  const cents = c % 100;
  const whole = String((c - cents) / 100).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${whole}.${cents < 10 ? '0' : ''}${cents}`;
}
const pct = (cents, rate) => Math.round((cents * rate) / 100);

// ---------------------------------------------------------------------------------------------------
// CSV: RFC 4180, LF line endings; only fields that can hold a comma, quote or newline go through q()

function q(v) {
  const s = v == null ? '' : String(v);
  if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
    return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/** A file written in ~1 MB chunks. */
class Out {
  constructor(dir, name) {
    this.name = name;
    this.path = join(dir, name);
    this.fd = openSync(this.path, 'w');
    this.buf = '';
    this.bytes = 0;
    this.rows = 0;
  }
  line(s) {
    this.buf += s;
    this.buf += '\n';
    if (this.buf.length >= 1 << 20) this.flush();
  }
  row(s) {
    this.rows++;
    this.line(s);
  }
  flush() {
    if (this.buf.length === 0) return;
    const b = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

// ---------------------------------------------------------------------------------------------------
// Headers

const SHOPIFY_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References'.split(
    ',',
  );
if (SHOPIFY_HEADER.length !== 79) throw new Error('Shopify header must have 79 columns');
const COL = Object.fromEntries(SHOPIFY_HEADER.map((h, k) => [h, k]));
const PS_HEADER =
  'Order ID,Order Number,Order Date,Revenue,Attribution Type,Currency,Message Type,Message Name,Message ID,Sent At,Clicked At,Subscriber Phone,Email,Coupon Code';
const KL_HEADER =
  'Event ID,Order ID,Order Name,Datetime,Value,Currency,Attributed Channel,Attributed Event,Attributed Message,Message Name,Attributed Flow,Flow Name,Touch At,Send Time,Email,Phone';

// ---------------------------------------------------------------------------------------------------
// Reference data

const VENDOR = 'Northwind Goods';
// [name, sku, USD cents, compare-at cents (0 = none), vendor, requires shipping, taxable, weight]
const PRODUCTS = [];
function product(name, sku, price, cmp, vendor, ship, taxable, w) {
  PRODUCTS.push({ name, sku, price, cmp, vendor, ship: ship ? 'true' : 'false', taxable: taxable ? 'true' : 'false', isTaxable: taxable, needsShip: ship, w });
}
function variants(base, skuBase, colors, sizes, price, cmp, vendor, w) {
  const per = w / (colors.length * sizes.length);
  for (const [color, cc] of colors) {
    for (const size of sizes) {
      const name = size ? `${base}, ${color} / ${size}` : `${base}, ${color}`;
      product(name, `${skuBase}-${cc}${size ? `-${size}` : ''}`, price, cmp, vendor, true, true, per);
    }
  }
}
variants('Classic Tee', 'NW-TEE', [['Heather Grey', 'HG'], ['Black', 'BK'], ['White', 'WH'], ['Navy', 'NV']], ['S', 'M', 'L', 'XL'], 2800, 0, VENDOR, 20);
variants('Everyday Hoodie', 'NW-HOOD', [['Oatmeal', 'OT'], ['Charcoal', 'CH']], ['S', 'M', 'L', 'XL'], 6400, 0, VENDOR, 9);
variants('Linen Shirt', 'NW-LIN', [['Sand', 'SD'], ['Sky', 'SK']], ['S', 'M', 'L'], 6800, 8500, VENDOR, 6);
variants('Canvas Sneakers', 'NW-SNK', [['White', 'WH'], ['Black', 'BK']], ['7', '8', '9', '10', '11'], 8900, 0, VENDOR, 5);
variants('Rain Jacket', 'NW-RJ', [['Navy', 'NV'], ['Olive', 'OL']], ['S', 'M', 'L'], 16500, 0, VENDOR, 3);
variants('Merino Beanie', 'NW-BEA', [['Rust', 'RU'], ['Moss', 'MO']], [''], 3600, 0, VENDOR, 5);
product('Weekender Tote, Olive', 'NW-TOTE-OL', 5400, 0, VENDOR, true, true, 5);
product('Socks 3-Pack, Assorted', 'NW-SOX-3PK', 2200, 0, VENDOR, true, true, 9);
product('Café Apron, Indigo', 'NW-APR-IN', 4200, 0, VENDOR, true, true, 3);
product('Soy Candle "Midnight Fig", 8 oz', 'HL-CAN-MF-8', 3200, 0, 'Hearth & Loom', true, true, 8);
product('Soy Candle "Cedar & Smoke", 8 oz', 'HL-CAN-CS-8', 3200, 0, 'Hearth & Loom', true, true, 6);
product('Ceramic Mug, Speckled White', 'HL-MUG-SPW', 2400, 0, 'Hearth & Loom', true, true, 8);
product('Linen Napkins (Set of 4), Natural', 'HL-NAP-4-NT', 3800, 0, 'Hearth & Loom', true, true, 4);
product('Wool Throw, Oatmeal / 50x60', 'HL-THR-OAT', 14800, 17500, 'Hearth & Loom', true, true, 3);
product('Sample Pack (3 scents)', 'HL-SMP-3', 1200, 0, 'Hearth & Loom', true, true, 5);
product('Walnut Side Table', 'HL-WST-01', 64000, 0, 'Hearth & Loom', true, true, 0.3);
product('Cold Brew Kit', 'KC-CBK-01', 4500, 0, 'Kettle Co.', true, true, 4);
product('Pour-Over Set, Matte Black', 'KC-POS-MB', 5800, 6500, 'Kettle Co.', true, true, 2);
product('Leather Weekender Bag, Cognac', 'NW-LWB-CG', 39500, 45000, VENDOR, true, true, 0.5);
product('Digital Gift Card - $25', 'GC-25', 2500, 0, VENDOR, false, false, 1);
product('Digital Gift Card - $50', 'GC-50', 5000, 0, VENDOR, false, false, 1.2);
product('Digital Gift Card - $100', 'GC-100', 10000, 0, VENDOR, false, false, 0.6);
// a table for O(1) weighted picks: each product appears in proportion to its weight
const WEIGHTED = [];
for (const p of PRODUCTS) for (let k = 0; k < Math.round(p.w * 10); k++) WEIGHTED.push(p);

// [display, ascii for e-mail]
const FIRST = 'Ava,Liam,Maya,Noah,Zoe,Ethan,Chloe,Lucas,Priya,Mateo,Hana,Owen,Sofia,Caleb,Amara,Jonah,Leah,Diego,Nora,Felix,Ines,Theo,Ruby,Omar,Grace,Kai,Elena,Jude,Aisha,Miles,Olivia,James,Emma,Benjamin,Isla,Henry,Mila,Samuel,Layla,Daniel,Aria,Leo,Naomi,Elijah,Camila,Ezra,Hazel,Isaac,Yara,Marcus'
  .split(',')
  .map((n) => [n, n.toLowerCase()])
  .concat([
    ['Zoë', 'zoe'],
    ['José', 'jose'],
    ['Chloé', 'chloe'],
    ['Renée', 'renee'],
    ['Björn', 'bjorn'],
  ]);
const LAST = "Bennett,Okafor,Nguyen,Rossi,Schmidt,Patel,Kim,Garcia,Walsh,Haddad,Moreau,Silva,Cohen,Brooks,Tanaka,Larsen,Duarte,Ivanova,Reyes,Fischer,Adeyemi,Murphy,Castillo,Novak,Lindqvist,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Martin,Jackson,Lee,Harris,Clark,Lewis,Young,Allen,Wright,Scott,Green,Baker,Adams,Nelson"
  .split(',')
  .map((n) => [n, n.toLowerCase()])
  .concat([
    ["O'Brien", 'obrien'],
    ['Muñoz', 'munoz'],
  ]);
// city, province code, zip, province name, tax rate (%), area codes, weight
const US_CITIES = [
  ['New York', 'NY', '10011', 'New York', 8.875, ['212', '646', '917'], 12],
  ['Brooklyn', 'NY', '11215', 'New York', 8.875, ['718', '347'], 8],
  ['Buffalo', 'NY', '14201', 'New York', 8.75, ['716'], 2],
  ['Jersey City', 'NJ', '07302', 'New Jersey', 6.625, ['201'], 3],
  ['Philadelphia', 'PA', '19103', 'Pennsylvania', 8, ['215', '267'], 4],
  ['Boston', 'MA', '02118', 'Massachusetts', 6.25, ['617'], 4],
  ['Washington', 'DC', '20009', 'District of Columbia', 6, ['202'], 3],
  ['Atlanta', 'GA', '30307', 'Georgia', 8.9, ['404'], 4],
  ['Miami', 'FL', '33137', 'Florida', 7, ['305'], 4],
  ['Chicago', 'IL', '60614', 'Illinois', 10.25, ['312', '773'], 7],
  ['Minneapolis', 'MN', '55408', 'Minnesota', 8.025, ['612'], 2],
  ['Nashville', 'TN', '37206', 'Tennessee', 9.25, ['615'], 2],
  ['Austin', 'TX', '78704', 'Texas', 8.25, ['512'], 4],
  ['Houston', 'TX', '77006', 'Texas', 8.25, ['713', '832'], 4],
  ['Denver', 'CO', '80205', 'Colorado', 8.81, ['303'], 3],
  ['Phoenix', 'AZ', '85004', 'Arizona', 8.6, ['602'], 3],
  ['San Francisco', 'CA', '94110', 'California', 8.625, ['415'], 5],
  ['Los Angeles', 'CA', '90026', 'California', 9.5, ['213', '323'], 8],
  ['San Diego', 'CA', '92104', 'California', 7.75, ['619'], 3],
  ['Seattle', 'WA', '98122', 'Washington', 10.25, ['206'], 4],
  ['Portland', 'OR', '97214', 'Oregon', 0, ['503'], 3],
  ['Anchorage', 'AK', '99501', 'Alaska', 0, ['907'], 0.5],
];
const CITY_TABLE = [];
for (const c of US_CITIES) for (let k = 0; k < c[6] * 2; k++) CITY_TABLE.push(c);
const STREETS = ['Maple Ave', 'Oak St', 'Pine St', 'Cedar Ln', 'Elm St', 'Washington Blvd', 'Park Ave', 'Lake Shore Dr', 'Sunset Blvd', 'Main St', 'Highland Ave', 'Bedford Ave', 'Broadway', 'Market St', 'Grand St', 'Mission St', 'Hillcrest Rd', 'Riverside Dr'];
const COMPANIES = ['Acme Studio LLC', 'Smith, Jones & Partners', 'Blue Door Design', 'Harbor & Pine Co.', 'Northside Dental'];

/** Customer j, drawn from its own stream (never stored). */
function customer(j) {
  const r = rCust.reseed(seedFor(P_CUSTOMER, j));
  const [first, firstA] = r.pick(FIRST);
  const [last, lastA] = r.pick(LAST);
  const c = r.pick(CITY_TABLE);
  const phone = `+1${r.pick(c[5])}555${r.digits(4)}`;
  const domain = r.pick(['example.com', 'example.com', 'example.net', 'example.org']);
  const sep = r.pick(['.', '', '_']);
  const address1 = `${r.int(1, 9899)} ${r.pick(STREETS)}`;
  const address2 = r.chance(0.22) ? `Apt ${r.int(1, 30)}${r.pick(['A', 'B', 'C', 'D', 'F'])}` : '';
  return {
    name: `${first} ${last}`,
    email: `${firstA}${sep}${lastA}${j + 1}@${domain}`,
    phone,
    city: c[0],
    prov: c[1],
    zip: c[2],
    provName: c[3],
    taxRate: c[4],
    address1,
    address2,
    street: address2 ? `${address1}, ${address2}` : address1,
    company: r.chance(0.03) ? r.pick(COMPANIES) : '',
    acceptsMarketing: r.chance(0.7) ? 'yes' : 'no',
    phoneOnOrder: r.chance(0.45),
  };
}
/** +12125550147 -> (212) 555-0147 */
const phoneParen = (e164) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

// ---------------------------------------------------------------------------------------------------
// Calendar: months, order times, message schedules

const LAST_Y = 2026;
const LAST_M0 = 9; // October
const MONTHS = [];
for (let k = ARGS.months - 1; k >= 0; k--) {
  const d = new Date(Date.UTC(LAST_Y, LAST_M0 - k, 1));
  const y = d.getUTCFullYear();
  const m0 = d.getUTCMonth();
  const days = new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
  MONTHS.push({
    y,
    m0,
    days,
    label: `${y}-${pad2(m0 + 1)}`,
    first: `${y}-${pad2(m0 + 1)}-01`,
    last: `${y}-${pad2(m0 + 1)}-${pad2(days)}`,
    startMs: nyMidnight(y, m0, 1),
    endMs: nyMidnight(y, m0 + 1, 1),
  });
}
const RANGE_START = MONTHS[0].startMs;
const RANGE_END = MONTHS[MONTHS.length - 1].endMs;

// Mild seasonality: a factor per calendar month, times the month's day weights (weekdays, Black Friday
// week, the days around Christmas).
const MONTH_FACTOR = [0.9, 0.92, 0.96, 0.97, 1.01, 0.96, 0.97, 1.0, 0.97, 1.03, 0.95, 1.0];
const DOW_FACTOR = [1.06, 1.0, 0.97, 0.97, 1.0, 0.95, 0.96]; // Sunday first
function dayWeights(y, m0, days) {
  const w = new Float64Array(days);
  const nov1 = new Date(Date.UTC(y, 10, 1)).getUTCDay();
  const thanksgiving = 1 + ((4 - nov1 + 7) % 7) + 21; // 4th Thursday of November
  for (let d = 1; d <= days; d++) {
    let x = DOW_FACTOR[new Date(Date.UTC(y, m0, d)).getUTCDay()];
    if (m0 === 10) {
      const k = d - thanksgiving;
      if (k >= -7 && k < 0) x *= 1.15;
      else if (k === 0) x *= 1.3; // Thanksgiving
      else if (k === 1) x *= 2.5; // Black Friday
      else if (k === 2) x *= 1.6;
      else if (k === 3) x *= 1.5;
      else if (k === 4) x *= 2.2; // Cyber Monday
    }
    if (m0 === 11) {
      if (d === 1) x *= 1.5;
      else if (d <= 18) x *= 1.15;
      else if (d === 24) x *= 0.6;
      else if (d === 25) x *= 0.45;
    }
    if (m0 === 0 && d === 1) x *= 0.8;
    w[d - 1] = x;
  }
  return w;
}
const HOUR_WEIGHTS = [0.35, 0.2, 0.12, 0.08, 0.07, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.05, 1.0, 1.0, 1.0, 1.05, 1.15, 1.3, 1.4, 1.35, 1.0, 0.65];
const cdf = (weights) => {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let k = 0; k < weights.length; k++) out[k] = s += weights[k];
  for (let k = 0; k < out.length; k++) out[k] /= s;
  return out;
};
const HOUR_CDF = cdf(HOUR_WEIGHTS);
function pickCdf(c, u) {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

for (const m of MONTHS) {
  m.dayWeights = dayWeights(m.y, m.m0, m.days);
  m.weight = MONTH_FACTOR[m.m0] * m.dayWeights.reduce((s, x) => s + x, 0);
}
{
  // N orders over the months: largest remainder, ties to the earlier month
  const W = MONTHS.reduce((s, m) => s + m.weight, 0);
  let given = 0;
  for (const m of MONTHS) {
    const exact = (N * m.weight) / W;
    m.count = Math.floor(exact);
    m.frac = exact - m.count;
    given += m.count;
  }
  const byFrac = MONTHS.map((m, k) => k).sort((a, b) => MONTHS[b].frac - MONTHS[a].frac || a - b);
  for (let k = 0; given < N; k++, given++) MONTHS[byFrac[k % MONTHS.length]].count++;
  let first = 0;
  for (const m of MONTHS) {
    m.firstOrder = first;
    first += m.count;
  }
}

// Message schedules (the same for every month, drawn once from the calendar stream)
function dayAt(ms, localHour, minute) {
  const local = new Date(ms + nyOffsetMin(ms) * MIN);
  return nyLocalToUtc(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), localHour, minute));
}
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const THEMES = [
  ['New Year, New Favorites', 'Winter Clearance', 'Cozy Layers Restock'],
  ["Valentine's Gift Guide", 'Presidents Day Sale', 'Last Call: Winter'],
  ['Spring Preview', 'Linen Is Back', 'Weekend Flash Sale'],
  ['April Showers Sale', 'New Arrivals: Spring', 'Earth Day Edit'],
  ["Mother's Day Gift Guide", 'Memorial Day Sale', 'Outdoor Living Edit'],
  ["Father's Day Picks", 'Summer Kickoff', 'Free Shipping Weekend'],
  ['Fourth of July Flash Sale', 'Midsummer Restock', 'Summer Sale Blast'],
  ['Back to School Drop', 'Summer Sale: Last Call', 'Late Summer Edit'],
  ['Labor Day Weekend', 'Fall Preview, VIP Only', 'Candle Season Is Here'],
  ['Cozy Season Sale', 'Halloween Early Access', 'Last Chance: Fall Edit'],
  ['Black Friday Early Access', 'Black Friday: 25% Off Everything', 'Cyber Monday, Final Hours'],
  ['Holiday Gift Guide', 'Last Shipping Day', 'Gift Cards, Delivered Instantly'],
];
function schedule(r, everyLo, everyHi, hourLo, hourHi) {
  const out = [];
  let t = dayAt(RANGE_START - 16 * DAY, 12, 0);
  while (t < RANGE_END) {
    const local = new Date(t + nyOffsetMin(t) * MIN);
    out.push({ ms: t, m0: local.getUTCMonth(), d: local.getUTCDate() });
    t = dayAt(t + r.int(everyLo, everyHi) * DAY, r.int(hourLo, hourHi), r.pick([0, 0, 15, 30, 45]));
  }
  return out;
}
const rCal = new Rng(seedFor(P_CALENDAR, 0));
const PS_CAMPAIGNS = schedule(rCal, 2, 4, 11, 19).map((c, k) => ({
  ms: c.ms,
  type: 'campaign',
  name: THEMES[c.m0][k % 3],
  id: String(2_184_000 + k * 13 + rCal.int(0, 12)),
}));
const PS_AUTOMATIONS = ['Welcome Series: Message 1', 'Welcome Series: Message 2', 'Abandoned Cart 1', 'Abandoned Cart 2', 'Browse Abandonment', 'Winback 30 Days', 'Post-Purchase Cross-Sell', 'Back in Stock']
  .map((name, k) => ({ type: 'automation', name, id: String(310_500 + k * 7) }));
const PS_KEYWORDS = [{ type: 'keyword', name: 'Keyword: VIP', id: '98001' }, { type: 'keyword', name: 'Keyword: DEALS', id: '98002' }];
const klName = (c, channel) => `${THEMES[c.m0][(c.d + (channel === 'sms' ? 1 : 0)) % 3]} (${channel === 'sms' ? 'SMS' : 'Email'}) ${pad2(c.m0 + 1)}/${pad2(c.d)}`;
const KL_EMAIL_CAMPAIGNS = schedule(rCal, 2, 3, 9, 18).map((c) => ({ ms: c.ms, id: rCal.alnum(6), name: klName(c, 'email'), flowId: '', flowName: '' }));
const KL_SMS_CAMPAIGNS = schedule(rCal, 5, 8, 12, 19).map((c) => ({ ms: c.ms, id: rCal.alnum(6), name: klName(c, 'sms'), flowId: '', flowName: '' }));
const KL_FLOWS = ['Welcome Series', 'Abandoned Checkout', 'Browse Abandonment', 'Post-Purchase Upsell', 'Winback', 'Back in Stock'].map((name) => {
  const flowId = rCal.alnum(6);
  return {
    email: [1, 2, 3].map((k) => ({ id: rCal.alnum(6), name: `${name}: Email ${k}`, flowId, flowName: name })),
    sms: [1].map((k) => ({ id: rCal.alnum(6), name: `${name}: SMS ${k}`, flowId, flowName: name })),
  };
});

/** The latest scheduled message sent in [earliest, latest], or null. */
function latestIn(list, earliest, latest) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].ms <= latest) lo = mid + 1;
    else hi = mid;
  }
  const c = list[lo - 1];
  return c && c.ms >= earliest ? c : null;
}

// ---------------------------------------------------------------------------------------------------
// Per-order state kept between files (28 bytes an order)

const orderMs = new Float64Array(N);
const orderTotal = new Int32Array(N);
const orderRefunded = new Int32Array(N);
const orderRefundMs = new Float64Array(N); // 0 = no refund after the order was placed
const orderCust = new Int32Array(N);

const ID_BASE = 5_000_000_000_000 + (fmix32(seedFor(P_ID, 0xffffffff)) % 2_800_000) * 1_000_000;
/** Shopify's numeric order id: increasing with the order number, 13 digits. */
const orderId = (i) => String(ID_BASE + i * 1000 + (fmix32(seedFor(P_ID, i)) % 1000));
const orderName = (i) => `#${1001 + i}`;

// The customer pool: most orders come from a long tail of customers, about a third from a smaller
// group of regulars.
const CUSTOMERS = Math.max(20, Math.ceil(N * 0.62));
const REGULARS = Math.max(5, Math.ceil(CUSTOMERS * 0.08));

// ---------------------------------------------------------------------------------------------------
// Claims of one order (a pure function of the seed, the order number and its creation time)

/**
 * Which platforms claim order i created at T, and how. Called once when the order is generated (for the
 * Klaviyo file and the Postscript coupon on the order) and again for every Postscript report that covers
 * it; it draws from the order's own stream, so the answer is the same every time.
 */
function claimsOf(i, T) {
  const r = rAttr.reseed(seedFor(P_ATTR, i));
  const u = r.f();
  // both 13.5%, Postscript only 16.5%, Klaviyo only 26.5%: Postscript 30%, Klaviyo 40%
  const hasPs = u < 0.3;
  const hasKl = u < 0.135 || (u >= 0.3 && u < 0.565);
  let ps = null;
  let kl = null;
  if (hasPs) ps = psClaim(r, T);
  const psTouch = ps ? psTouchMs(ps) : null;
  // ties: the same touch second on both platforms, for ~6% of the orders both claim
  const tie = hasPs && hasKl && r.chance(0.06) && psTouch !== null && psTouch < T ? psTouch : null;
  if (hasKl) kl = klClaim(r, T, tie, i);
  return { ps, kl, tie: tie !== null };
}

function psTouchMs(ps) {
  if (ps.type === 'click' && ps.clickedShown) return ps.clickedMs;
  return ps.sentShown ? ps.sentMs : null;
}

function psClaim(r, T) {
  const u = r.f();
  const type = u < 0.6 ? 'click' : u < 0.9 ? 'view' : 'coupon';
  // click window 7 days, view 24 hours; a coupon counts even outside the windows
  const maxBack = type === 'click' ? (r.chance(0.75) ? 26 * HOUR : 7 * DAY) : type === 'view' ? 23 * HOUR + 40 * MIN : r.chance(0.6) ? 2 * DAY : 14 * DAY;
  const latest = T - 3 * MIN;
  const earliest = T - maxBack;
  let msg = null;
  let sentMs;
  if (r.chance(0.62)) {
    const c = latestIn(PS_CAMPAIGNS, earliest, latest);
    if (c) {
      msg = c;
      sentMs = c.ms;
    }
  }
  if (!msg) {
    msg = type === 'coupon' && r.chance(0.25) ? r.pick(PS_KEYWORDS) : r.pick(PS_AUTOMATIONS);
    sentMs = floorSec(earliest + r.f() * (latest - earliest));
  }
  let clickedMs = null;
  if (type === 'click') clickedMs = floorSec(sentMs + (0.04 + 0.92 * r.f()) * (T - 30 * SEC - sentMs));
  // touch times missing from the export: ~2% none at all, ~3% of clicks without the click time
  const v = r.f();
  const sentShown = v >= 0.02;
  const clickedShown = sentShown && !(type === 'click' && v < 0.05);
  // a few touches recorded after the order (~0.4%)
  if (sentShown && type !== 'coupon' && r.chance(0.004)) {
    const after = T + r.int(3, 240) * MIN + r.int(0, 59) * SEC;
    if (type === 'click' && clickedShown) clickedMs = after;
    else {
      sentMs = after;
      msg = r.pick(PS_AUTOMATIONS);
    }
  }
  const w = r.f();
  const p = r.f();
  return {
    type,
    msg,
    sentMs,
    clickedMs,
    sentShown,
    clickedShown,
    idForm: w < 0.85 ? 'both' : w < 0.93 ? 'id' : 'name',
    dollar: r.chance(0.35),
    phoneForm: p < 0.6 ? 'e164' : p < 0.97 ? 'paren' : 'apostrophe',
    emailShown: r.chance(0.8),
    coupon: type === 'coupon' ? `SMS-${r.upper(6)}` : '',
  };
}

const KL_EVENTS = { email: ['Clicked Email', 'Opened Email'], sms: ['Clicked SMS', 'Received SMS'] };
function klClaim(r, T, tieMs, i) {
  const channel = r.chance(0.7) ? 'email' : 'sms';
  const e = r.f();
  const event = channel === 'email' ? (e < 0.55 ? 'Clicked Email' : 'Opened Email') : e < 0.65 ? 'Clicked SMS' : 'Received SMS';
  const received = event === 'Received SMS';
  // windows: email click/open 5 days, SMS click 5 days, SMS delivery 12 hours
  const maxBack = received ? 11 * HOUR + 30 * MIN : r.chance(0.7) ? 30 * HOUR : 5 * DAY - 10 * MIN;
  const latest = T - 3 * MIN;
  const earliest = T - maxBack;
  let msg = null;
  let sendMs;
  let touchMs;
  const flowMessage = () => {
    const f = r.pick(KL_FLOWS);
    return r.pick(f[channel]);
  };
  if (tieMs !== null) {
    msg = flowMessage();
    touchMs = tieMs;
    sendMs = received ? tieMs - r.int(2, 90) * SEC : tieMs - r.int(10 * 60, 30 * 3600) * SEC;
  } else {
    if (r.chance(0.45)) {
      const c = latestIn(channel === 'sms' ? KL_SMS_CAMPAIGNS : KL_EMAIL_CAMPAIGNS, earliest, latest);
      if (c) {
        msg = c;
        sendMs = c.ms;
      }
    }
    if (!msg) {
      msg = flowMessage();
      sendMs = floorSec(earliest + r.f() * (latest - earliest));
    }
    touchMs = received ? sendMs + r.int(2, 90) * SEC : floorSec(sendMs + (0.04 + 0.92 * r.f()) * (T - 30 * SEC - sendMs));
  }
  // touch times missing: ~0.5% neither Touch At nor Send Time, ~3% no Touch At (send time counts)
  const v = r.f();
  const sendShown = tieMs !== null || v >= 0.005;
  const touchShown = tieMs !== null || v >= 0.035;
  // a few touches after the order (~0.4%)
  if (tieMs === null && touchShown && r.chance(0.004)) touchMs = T + r.int(2, 120) * MIN + r.int(0, 59) * SEC;
  const c = r.f();
  return {
    channel,
    channelText: channel === 'email' ? (c < 0.12 ? '$email_channel' : 'email') : c < 0.1 ? '$sms_channel' : 'sms',
    event,
    msg,
    sendMs,
    touchMs,
    sendShown,
    touchShown,
    sendEpoch: r.chance(0.6),
    nameOnly: r.chance(0.05),
    phoneShown: channel === 'sms' || r.chance(0.4),
    eventId: `${r.int(3, 5)}${r.alnum(10)}`,
  };
}

// ---------------------------------------------------------------------------------------------------
// One order: line items, money, statuses (drawn from the order's own stream)

const EMPTY_ROW = new Array(79).fill('');
const SEASON_CODES = ['WELCOME10', 'WELCOME10', 'FREESHIP', 'VIP15'];

/** Writes the Shopify rows of order i (created at T) and its Klaviyo row, if Klaviyo claims it; returns its claims. */
function writeOrder(i, T, shopify, month, klaviyo) {
  const r = rOrder.reseed(seedFor(P_ORDER, i));
  const claims = claimsOf(i, T);
  const j = r.chance(0.35) ? r.int(0, REGULARS - 1) : r.int(0, CUSTOMERS - 1);
  const cust = customer(j);
  orderCust[i] = j;

  // line items: 1 (58%), 2 (29%), 3 (9%), 4 (4%)
  const u = r.f();
  const k = u < 0.58 ? 1 : u < 0.87 ? 2 : u < 0.96 ? 3 : 4;
  const items = [];
  while (items.length < k) {
    const p = r.pick(WEIGHTED);
    if (items.some((it) => it.p === p)) continue;
    const qv = r.f();
    items.push({ p, qty: qv < 0.86 ? 1 : qv < 0.97 ? 2 : 3 });
  }
  let subtotal = 0;
  let taxable = 0;
  let needsShipping = false;
  for (const it of items) {
    subtotal += it.qty * it.p.price;
    if (it.p.isTaxable) taxable += it.qty * it.p.price;
    if (it.p.needsShip) needsShipping = true;
  }

  // discount: the Postscript coupon when Postscript claims the order by coupon, else store codes
  let discountCode = '';
  let discount = 0;
  if (claims.ps && claims.ps.type === 'coupon') {
    discountCode = claims.ps.coupon;
    discount = pct(subtotal, 15);
  } else {
    const d = r.f();
    if (month.m0 === 10 && d < 0.3) {
      discountCode = 'BFCM25';
      discount = pct(subtotal, 25);
    } else if (d < 0.12) {
      discountCode = r.pick(SEASON_CODES);
      discount = discountCode === 'VIP15' ? pct(subtotal, 15) : discountCode === 'FREESHIP' ? 0 : pct(subtotal, 10);
    }
  }
  // shipping and taxes
  let shipping = 0;
  let shippingMethod = '';
  if (needsShipping) {
    if (discountCode === 'FREESHIP' || subtotal - discount >= 7500) shippingMethod = 'Free Shipping';
    else if (r.chance(0.1)) {
      shipping = 1495;
      shippingMethod = 'Express Shipping';
    } else {
      shipping = 695;
      shippingMethod = 'Standard Shipping';
    }
  }
  const taxBase = Math.max(0, taxable - Math.round((discount * taxable) / Math.max(1, subtotal)));
  const taxes = Math.round((taxBase * cust.taxRate) / 100);
  const total = subtotal + shipping + taxes - discount;
  if (total !== subtotal + shipping + taxes - discount || total < 0) throw new Error('money identity');

  // status: ~1% cancelled, ~0.8% refunded, ~2.2% partially refunded
  const s = r.f();
  let financial = 'paid';
  let paidMs = T + r.int(2, 40) * SEC;
  let cancelledMs = 0;
  let refunded = 0;
  let refundMs = 0;
  if (s < 0.01) {
    cancelledMs = T + r.int(1, 30) * HOUR + r.int(0, 3599) * SEC;
    if (s < 0.004) {
      financial = 'voided';
      paidMs = 0;
    } else {
      financial = 'refunded';
      refunded = total;
    }
  } else if (s < 0.018) {
    financial = 'refunded';
    refunded = total;
    refundMs = T + r.int(2, 30) * DAY + r.int(0, 86399) * SEC;
  } else if (s < 0.04) {
    financial = 'partially_refunded';
    const cheapest = Math.min(...items.map((it) => it.p.price));
    refunded = items.length >= 2 ? cheapest : Math.round(total * 0.25);
    refundMs = T + r.int(2, 30) * DAY + r.int(0, 86399) * SEC;
  }
  orderMs[i] = T;
  orderTotal[i] = total;
  orderRefunded[i] = refunded;
  orderRefundMs[i] = refundMs;

  const fulfilledMs = cancelledMs || !needsShipping ? 0 : T + r.int(18, 70) * HOUR + r.int(0, 3599) * SEC;
  const giftOtherName = needsShipping && r.chance(0.04);
  const tv = r.f();
  const tags = tv < 0.78 ? '' : tv < 0.86 ? 'repeat-customer' : tv < 0.92 ? 'VIP, repeat-customer' : tv < 0.97 ? 'VIP' : 'wholesale';
  const sv = r.f();
  const source = sv < 0.9 ? 'web' : sv < 0.95 ? 'shopify_draft_order' : sv < 0.98 ? 'pos' : 'iphone';
  const nv = r.f();
  const note = nv < 0.002 ? 'Please leave at the side door.\nThank you!' : nv < 0.02 ? 'Gift, please wrap' : nv < 0.025 ? 'Call on arrival "buzzer broken"' : '';
  const noteAttributes = r.chance(0.03) ? `gift_message: Happy birthday, ${cust.name.split(' ')[0]}!` : '';
  const payment = r.f();
  const paymentMethod = payment < 0.86 ? 'Shopify Payments' : payment < 0.97 ? 'PayPal Express Checkout' : 'Gift Card';
  const paymentRef = `c${orderId(i).slice(2)}${r.digits(3)}.1`;
  const risk = r.f();
  const riskLevel = risk < 0.96 ? 'Low' : risk < 0.995 ? 'Medium' : 'High';
  const shipName = giftOtherName ? `${r.pick(FIRST)[0]} ${r.pick(LAST)[0]}` : cust.name;

  const name = orderName(i);
  for (let n = 0; n < items.length; n++) {
    const it = items[n];
    const f = EMPTY_ROW.slice();
    f[COL['Name']] = name;
    f[COL['Lineitem quantity']] = String(it.qty);
    f[COL['Lineitem name']] = q(it.p.name);
    f[COL['Lineitem price']] = money(it.p.price);
    f[COL['Lineitem compare at price']] = it.p.cmp ? money(it.p.cmp) : '';
    f[COL['Lineitem sku']] = it.p.sku;
    f[COL['Lineitem requires shipping']] = it.p.ship;
    f[COL['Lineitem taxable']] = it.p.taxable;
    f[COL['Lineitem fulfillment status']] = fulfilledMs || !it.p.needsShip ? 'fulfilled' : 'pending';
    f[COL['Vendor']] = q(it.p.vendor);
    f[COL['Lineitem discount']] = '0.00';
    if (n === 0) {
      f[COL['Email']] = cust.email;
      f[COL['Financial Status']] = financial;
      f[COL['Paid at']] = paidMs ? shopifyTs(paidMs) : '';
      f[COL['Fulfillment Status']] = fulfilledMs || !needsShipping ? 'fulfilled' : 'unfulfilled';
      f[COL['Fulfilled at']] = fulfilledMs ? shopifyTs(fulfilledMs) : !needsShipping && !cancelledMs ? shopifyTs(paidMs || T) : '';
      f[COL['Accepts Marketing']] = cust.acceptsMarketing;
      f[COL['Currency']] = 'USD';
      f[COL['Subtotal']] = money(subtotal);
      f[COL['Shipping']] = money(shipping);
      f[COL['Taxes']] = money(taxes);
      f[COL['Total']] = money(total);
      f[COL['Discount Code']] = discountCode;
      f[COL['Discount Amount']] = money(discount);
      f[COL['Shipping Method']] = shippingMethod;
      f[COL['Created at']] = shopifyTs(T);
      f[COL['Billing Name']] = q(cust.name);
      f[COL['Billing Street']] = q(cust.street);
      f[COL['Billing Address1']] = cust.address1;
      f[COL['Billing Address2']] = cust.address2;
      f[COL['Billing Company']] = q(cust.company);
      f[COL['Billing City']] = cust.city;
      f[COL['Billing Zip']] = cust.zip;
      f[COL['Billing Province']] = cust.prov;
      f[COL['Billing Country']] = 'US';
      f[COL['Billing Phone']] = cust.phone;
      if (needsShipping) {
        f[COL['Shipping Name']] = q(shipName);
        f[COL['Shipping Street']] = q(cust.street);
        f[COL['Shipping Address1']] = cust.address1;
        f[COL['Shipping Address2']] = cust.address2;
        f[COL['Shipping Company']] = q(cust.company);
        f[COL['Shipping City']] = cust.city;
        f[COL['Shipping Zip']] = cust.zip;
        f[COL['Shipping Province']] = cust.prov;
        f[COL['Shipping Country']] = 'US';
        f[COL['Shipping Phone']] = giftOtherName ? '' : cust.phone;
        f[COL['Shipping Province Name']] = cust.provName;
      }
      f[COL['Notes']] = q(note);
      f[COL['Note Attributes']] = q(noteAttributes);
      f[COL['Cancelled at']] = cancelledMs ? shopifyTs(cancelledMs) : '';
      f[COL['Payment Method']] = paymentMethod;
      f[COL['Payment Reference']] = paymentRef;
      f[COL['Refunded Amount']] = money(refunded);
      f[COL['Outstanding Balance']] = '0.00';
      f[COL['Id']] = orderId(i);
      f[COL['Tags']] = q(tags);
      f[COL['Risk Level']] = riskLevel;
      f[COL['Source']] = source;
      if (taxes > 0 || cust.taxRate > 0) {
        f[COL['Tax 1 Name']] = `${cust.prov} State Tax ${cust.taxRate}%`;
        f[COL['Tax 1 Value']] = money(taxes);
      }
      f[COL['Phone']] = cust.phoneOnOrder ? cust.phone : '';
      f[COL['Billing Province Name']] = cust.provName;
      f[COL['Payment ID']] = paymentRef;
      f[COL['Payment References']] = paymentRef;
    }
    shopify.row(f.join(','));
  }

  // Klaviyo's attributed Placed Order event
  const kl = claims.kl;
  if (kl) {
    klaviyo.row(
      [
        kl.eventId,
        kl.nameOnly ? '' : orderId(i),
        name,
        isoNy(T),
        money(total),
        'USD',
        kl.channelText,
        kl.event,
        kl.msg.id,
        q(kl.msg.name),
        kl.msg.flowId,
        q(kl.msg.flowName),
        kl.touchShown ? isoZ(kl.touchMs) : '',
        kl.sendShown ? (kl.sendEpoch ? epochS(kl.sendMs) : isoZ(kl.sendMs)) : '',
        cust.email,
        kl.phoneShown ? cust.phone : '',
      ].join(','),
    );
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------------
// Postscript: one rolling 90-day Revenue Report

function lowerBound(arr, hiIndex, x) {
  let lo = 0;
  let hi = hiIndex;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The report exported at New York midnight starting day `exportDay` (a UTC date at 00:00), covering the
 * 90 days before it. Only orders 0 .. generated-1 exist yet; they are all the orders before the export.
 */
function writePostscriptReport(dir, reportIndex, exportDay, generated, stats) {
  const fromDay = exportDay - 90 * DAY;
  const toDay = exportDay - DAY;
  const d0 = new Date(fromDay);
  const d1 = new Date(exportDay);
  const fromMs = nyMidnight(d0.getUTCFullYear(), d0.getUTCMonth(), d0.getUTCDate());
  const exportMs = nyMidnight(d1.getUTCFullYear(), d1.getUTCMonth(), d1.getUTCDate());
  const file = `postscript_${dateText(exportDay)}.csv`;
  const out = new Out(dir, file);
  // One timestamp style per report, as one export would have: ISO with Z (75%) or naive UTC.
  const rs = new Rng(seedFor(P_REPORT, reportIndex));
  const ts = rs.chance(0.75) ? isoZ : naiveUtc;
  out.line(PS_HEADER);
  const lo = lowerBound(orderMs, generated, fromMs);
  const hi = lowerBound(orderMs, generated, exportMs);
  // newest orders first, as the dashboard lists them
  for (let i = hi - 1; i >= lo; i--) {
    const T = orderMs[i];
    const { ps } = claimsOf(i, T);
    if (!ps) continue;
    let revenue = orderTotal[i];
    const refundMs = orderRefundMs[i];
    if (refundMs && refundMs < exportMs) {
      // refunded before this export: a full refund withdraws the claim, a partial one lowers it
      if (orderRefunded[i] >= revenue) {
        stats.withdrawn++;
        continue;
      }
      revenue -= orderRefunded[i];
      stats.revised++;
    }
    const cust = customer(orderCust[i]);
    const phone = ps.phoneForm === 'paren' ? phoneParen(cust.phone) : ps.phoneForm === 'apostrophe' ? `'${cust.phone}` : cust.phone;
    out.row(
      [
        ps.idForm === 'name' ? '' : orderId(i),
        ps.idForm === 'id' ? '' : orderName(i),
        ts(T),
        ps.dollar ? q(moneyDollar(revenue)) : money(revenue),
        ps.type,
        'USD',
        ps.msg.type,
        q(ps.msg.name),
        ps.msg.id,
        ps.sentShown ? ts(ps.sentMs) : '',
        ps.type === 'click' && ps.clickedShown ? ts(ps.clickedMs) : '',
        phone,
        ps.emailShown ? cust.email : '',
        ps.coupon,
      ].join(','),
    );
  }
  out.close();
  return { platform: 'postscript', file, from: dateText(fromDay), to: dateText(toDay), out };
}

// ---------------------------------------------------------------------------------------------------
// Main: month by month

mkdirSync(ARGS.out, { recursive: true });
const files = [];
const imports = [];
const monthEntries = [];
const stats = { orders: 0, lines: 0, ps: 0, kl: 0, both: 0, ties: 0, withdrawn: 0, revised: 0 };
const progress = (text) => process.stderr.write(`gen: ${text} (${((performance.now() - T0) / 1000).toFixed(1)} s)\n`);

MONTHS.forEach((m, mi) => {
  // order times of the month: day by weight, hour by the daily curve, then sorted
  const rt = new Rng(seedFor(P_MONTH_TIMES, mi));
  const dayCdf = cdf(m.dayWeights);
  const times = new Float64Array(m.count);
  for (let k = 0; k < m.count; k++) {
    const day = pickCdf(dayCdf, rt.f()) + 1;
    const hour = pickCdf(HOUR_CDF, rt.f());
    const local = Date.UTC(m.y, m.m0, day, hour, rt.int(0, 59), rt.int(0, 59));
    times[k] = nyLocalToUtc(local);
  }
  times.sort();

  const shopify = new Out(ARGS.out, `shopify_${m.label}.csv`);
  const klaviyo = new Out(ARGS.out, `klaviyo_${m.label}.csv`);
  shopify.line(SHOPIFY_HEADER.join(','));
  klaviyo.line(KL_HEADER);
  for (let k = 0; k < m.count; k++) {
    const i = m.firstOrder + k;
    const c = writeOrder(i, times[k], shopify, m, klaviyo);
    if (c.ps) stats.ps++;
    if (c.kl) stats.kl++;
    if (c.ps && c.kl) stats.both++;
    if (c.tie) stats.ties++;
  }
  stats.orders += m.count;
  stats.lines += shopify.rows;
  shopify.close();
  klaviyo.close();
  files.push(shopify, klaviyo);
  const first = imports.length;
  imports.push({ platform: 'shopify', file: shopify.name, from: m.first, to: m.last });
  imports.push({ platform: 'klaviyo', file: klaviyo.name, from: m.first, to: m.last });
  // the Postscript report exported on the 1st of the next month
  const report = writePostscriptReport(ARGS.out, mi, Date.UTC(m.y, m.m0 + 1, 1), m.firstOrder + m.count, stats);
  files.push(report.out);
  imports.push({ platform: 'postscript', file: report.file, from: report.from, to: report.to });
  monthEntries.push({ month: m.label, imports: [first, first + 1, first + 2] });
  progress(
    `${m.label}: ${m.count} orders, ${shopify.rows} Shopify rows, ${klaviyo.rows} Klaviyo rows; ${report.file} (${report.from} .. ${report.to}) ${report.out.rows} rows`,
  );
});

const manifest = {
  clients: [
    {
      id: ARGS.client,
      settings: { timezone: 'America/New_York', currency: 'USD' },
      imports,
    },
  ],
  orders: N,
  seed: ARGS.seed,
  months: monthEntries,
};
const manifestText = JSON.stringify(manifest, null, 2) + '\n';
writeFileSync(join(ARGS.out, 'manifest.json'), manifestText);

// ---------------------------------------------------------------------------------------------------
// Summary

const sum = (platform, key) => files.filter((f) => f.name.startsWith(platform)).reduce((s, f) => s + f[key], 0);
const count = (platform) => files.filter((f) => f.name.startsWith(platform)).length;
const bytes = files.reduce((s, f) => s + f.bytes, 0) + Buffer.byteLength(manifestText);
const seconds = (performance.now() - T0) / 1000;
const empty = files.filter((f) => f.rows === 0).map((f) => f.name);
if (empty.length > 0) {
  process.stderr.write(
    `gen: warning: ${empty.length} file${empty.length === 1 ? ' has' : 's have'} a header but no rows (${empty.join(', ')}); lasttouch refuses such a file: generate more orders or fewer months\n`,
  );
}
const pctOf = (x) => `${((100 * x) / N).toFixed(1)}%`;
process.stdout.write(
  [
    `gen: ${N} orders, seed ${ARGS.seed}, ${ARGS.months} months (${MONTHS[0].label} .. ${MONTHS[MONTHS.length - 1].label}), client ${ARGS.client} -> ${ARGS.out}`,
    `  shopify     ${count('shopify')} files, ${sum('shopify', 'rows')} rows (line items), ${sum('shopify', 'bytes')} bytes`,
    `  klaviyo     ${count('klaviyo')} files, ${sum('klaviyo', 'rows')} rows, ${sum('klaviyo', 'bytes')} bytes`,
    `  postscript  ${count('postscript')} files, ${sum('postscript', 'rows')} rows (rolling 90-day reports), ${sum('postscript', 'bytes')} bytes`,
    `  claimed: Postscript ${stats.ps} (${pctOf(stats.ps)}), Klaviyo ${stats.kl} (${pctOf(stats.kl)}), both ${stats.both} (${pctOf(stats.both)}), equal touch times ${stats.ties}; Postscript rows revised after a partial refund ${stats.revised}, withdrawn after a full refund ${stats.withdrawn}`,
    `files: ${files.length + 1}, rows: ${files.reduce((s, f) => s + f.rows, 0)}, bytes: ${bytes}, seconds: ${seconds.toFixed(1)}`,
    '',
  ].join('\n'),
);
