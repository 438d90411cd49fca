#!/usr/bin/env node
// Deterministic generator of the embedded demo exports in seeds/demo/.
//
//   node scripts/make-demo-seeds.mjs
//
// Plain Node 20 ESM, no dependencies. Every random choice comes from seeded mulberry32 streams and
// every date is computed in UTC with explicit offsets, so the output bytes are the same on every run,
// machine and time zone. It writes:
//   seeds/demo/shopify_orders.csv                   Shopify Orders export (79 columns, one row per line item)
//   seeds/demo/postscript_revenue_2026-09-15.csv    Postscript Revenue Report, window 2026-07-01..2026-09-14
//   seeds/demo/postscript_revenue_2026-11-01.csv    next rolling report (other header aliases), 2026-08-03..2026-10-31
//   seeds/demo/klaviyo_attributed_orders.csv        Klaviyo Placed Order events with attribution
//   seeds/demo/demo.json                            manifest (client, settings, import order)
//   seeds/demo/README.md                            what each file holds and which orders exercise which rule
// Specs: docs/formats.md (headers, values) and docs/attribution.md (rules) of the project.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'seeds', 'demo');

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One independent stream per concern, so that changing one part does not reshuffle the others. */
function stream(seed) {
  const f = mulberry32(seed);
  const s = {
    f,
    int: (lo, hi) => lo + Math.floor(f() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(f() * arr.length)],
    chance: (p) => f() < p,
    alnum: (n, first = '') => {
      const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      let out = first;
      while (out.length < n) out += A[Math.floor(f() * A.length)];
      return out;
    },
    digits: (n) => {
      let out = '';
      while (out.length < n) out += String(Math.floor(f() * 10));
      return out;
    },
  };
  return s;
}

const rTime = stream(0x1a57_0001);
const rCust = stream(0x1a57_0002);
const rStatus = stream(0x1a57_0003);
const rScn = stream(0x1a57_0004);
const rCat = stream(0x1a57_0005);
const rLines = stream(0x1a57_0006);
const rPs = stream(0x1a57_0007);
const rKl = stream(0x1a57_0008);
const rMisc = stream(0x1a57_0009);

// ---------------------------------------------------------------------------------------------------
// Time helpers (UTC arithmetic only; America/New_York offset computed explicitly)

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const pad = (n, w = 2) => String(n).padStart(w, '0');

// America/New_York in 2026: EDT (-04:00) from 2026-03-08 07:00Z to 2026-11-01 06:00Z, else EST (-05:00).
const DST_START_2026 = Date.UTC(2026, 2, 8, 7, 0, 0);
const DST_END_2026 = Date.UTC(2026, 10, 1, 6, 0, 0);
function nyOffsetMin(ms) {
  const y = new Date(ms).getUTCFullYear();
  if (y !== 2026) throw new Error(`offset table only covers 2026, got ${y}`);
  return ms >= DST_START_2026 && ms < DST_END_2026 ? -240 : -300;
}

function parts(ms) {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: pad(d.getUTCMonth() + 1),
    d: pad(d.getUTCDate()),
    h: pad(d.getUTCHours()),
    mi: pad(d.getUTCMinutes()),
    s: pad(d.getUTCSeconds()),
  };
}
const utcDate = (ms) => {
  const p = parts(ms);
  return `${p.y}-${p.mo}-${p.d}`;
};
const nyDate = (ms) => utcDate(ms + nyOffsetMin(ms) * MIN);
/** 2026-07-03T18:22:10Z */
const isoZ = (ms) => {
  const p = parts(ms);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}Z`;
};
/** 2026-09-03 14:05:00 (naive, UTC wall clock) */
const naiveUtc = (ms) => {
  const p = parts(ms);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
};
function offsetText(offMin, colon) {
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}
/** Shopify: 2026-07-03 14:22:10 -0400 (New York wall clock) */
const shopifyTs = (ms) => {
  const off = nyOffsetMin(ms);
  const p = parts(ms + off * MIN);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s} ${offsetText(off, false)}`;
};
/** Klaviyo Datetime: 2026-07-03T14:22:10-04:00 (New York wall clock) */
const isoNy = (ms) => {
  const off = nyOffsetMin(ms);
  const p = parts(ms + off * MIN);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}${offsetText(off, true)}`;
};
const epochS = (ms) => String(Math.floor(ms / 1000));
const floorSec = (ms) => Math.floor(ms / SEC) * SEC;

// ---------------------------------------------------------------------------------------------------
// Money helpers (integer cents only)

const money = (c) => {
  const neg = c < 0;
  const a = Math.abs(c);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${pad(a % 100)}`;
};
/** $1,234.56 */
const moneyDollar = (c) => {
  if (c < 0) throw new Error('negative $ amount');
  const whole = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${whole}.${pad(c % 100)}`;
};
const pct = (cents, rate) => Math.round((cents * rate) / 100);

// ---------------------------------------------------------------------------------------------------
// CSV writer (RFC 4180, LF line endings, final newline)

function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  if (/[",\r\n]/.test(s) || s !== s.trim()) return `"${s.replace(/"/g, '""')}"`;
  return s;
}
function csv(header, rows) {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    if (r.length !== header.length) throw new Error(`row has ${r.length} fields, header ${header.length}`);
    lines.push(r.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------
// Reference data

const SHOPIFY_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References'.split(
    ',',
  );
if (SHOPIFY_HEADER.length !== 79) throw new Error('Shopify header must have 79 columns');

const PS_A_HEADER =
  'Order Date,Order Number,Order ID,Revenue,Currency,Attribution Type,Message Type,Message Name,Message ID,Sent At,Clicked At,Minutes From Action,Subscriber Phone,Coupon Code'.split(
    ',',
  );
const PS_B_HEADER =
  'Created At,Order Name,Shopify Order ID,Attributed Revenue,Currency,Attribution,Source,Campaign Name,Campaign ID,Message Sent At,Click Time,Subscriber Phone,Coupon Used'.split(
    ',',
  );
const KL_HEADER =
  '$event_id,Order ID,Order Name,Datetime,$value,$currency,$attributed_channel,Attributed Event,$attributed_message,Message Name,$attributed_flow,Flow Name,Touch At,$send_ts,$email,$phone_number'.split(
    ',',
  );

// name, sku, USD cents, compare-at USD cents (0 = none), vendor, requires shipping, taxable, weight for random picks
const PRODUCTS = [
  ['Classic Tee, Heather Grey / M', 'DB-TEE-HG-M', 2800, 0, 'Demo Brand', true, true, 10],
  ['Classic Tee, Black / L', 'DB-TEE-BK-L', 2800, 0, 'Demo Brand', true, true, 9],
  ['Linen Shirt, Sand / M', 'DB-LIN-SD-M', 6800, 8500, 'Demo Brand', true, true, 6],
  ['Weekender Tote, Olive', 'DB-TOTE-OL', 5400, 0, 'Demo Brand', true, true, 6],
  ['Soy Candle "Midnight Fig", 8 oz', 'HL-CAN-MF-8', 3200, 0, 'Hearth & Loom', true, true, 8],
  ['Merino Beanie', 'DB-BEA-MER', 3600, 0, 'Demo Brand', true, true, 6],
  ['Ceramic Mug, Speckled White', 'HL-MUG-SPW', 2400, 0, 'Hearth & Loom', true, true, 8],
  ['Wool Throw, Oatmeal / 50x60', 'HL-THR-OAT', 14800, 17500, 'Hearth & Loom', true, true, 4],
  ['Canvas Sneakers, White / 9', 'DB-SNK-WH-9', 8900, 0, 'Demo Brand', true, true, 5],
  ['Rain Jacket, Navy / M', 'DB-RJ-NV-M', 16500, 0, 'Demo Brand', true, true, 3],
  ['Socks 3-Pack, Assorted', 'DB-SOX-3PK', 2200, 0, 'Demo Brand', true, true, 8],
  ['Sample Pack (3 scents)', 'HL-SMP-3', 1200, 0, 'Hearth & Loom', true, true, 5],
  ['Cold Brew Kit', 'KC-CBK-01', 4500, 0, 'Kettle Co.', true, true, 4],
  ['Digital Gift Card - $50', 'GC-50', 5000, 0, 'Demo Brand', false, false, 2],
  ['Leather Weekender Bag, Cognac', 'DB-LWB-CG', 39500, 45000, 'Demo Brand', true, true, 0],
  ['Walnut Side Table', 'HL-WST-01', 64000, 0, 'Hearth & Loom', true, true, 0],
].map(([name, sku, usd, cmp, vendor, ship, taxable, w]) => ({
  name,
  sku,
  usd,
  cmp,
  cad: Math.round((usd * 1.36) / 100) * 100, // CAD shelf price, whole dollars
  cmpCad: cmp ? Math.round((cmp * 1.36) / 100) * 100 : 0,
  vendor,
  ship,
  taxable,
  w,
}));
const BY_SKU = Object.fromEntries(PRODUCTS.map((p) => [p.sku, p]));
const WEIGHTED = PRODUCTS.flatMap((p) => Array(p.w).fill(p));

const FIRST = 'Ava,Liam,Maya,Noah,Zoe,Ethan,Chloe,Lucas,Priya,Mateo,Hana,Owen,Sofia,Caleb,Amara,Jonah,Leah,Diego,Nora,Felix,Ines,Theo,Ruby,Omar,Grace,Kai,Elena,Jude,Aisha,Miles'.split(',');
const LAST = 'Bennett,Okafor,Nguyen,Rossi,Schmidt,Patel,Kim,Garcia,Walsh,Haddad,Moreau,Silva,Cohen,Brooks,Tanaka,Larsen,Duarte,Ivanova,Reyes,Fischer,Adeyemi,Murphy,Castillo,Novak,Lindqvist'.split(',');
// city, province code, zip, province name, tax rate (%), area codes
const US_CITIES = [
  ['New York', 'NY', '10011', 'New York', 8.875, ['212', '646', '917']],
  ['Brooklyn', 'NY', '11215', 'New York', 8.875, ['718', '347']],
  ['Jersey City', 'NJ', '07302', 'New Jersey', 6.625, ['201']],
  ['Boston', 'MA', '02118', 'Massachusetts', 6.25, ['617']],
  ['Chicago', 'IL', '60614', 'Illinois', 10.25, ['312', '773']],
  ['Austin', 'TX', '78704', 'Texas', 8.25, ['512']],
  ['San Francisco', 'CA', '94110', 'California', 8.625, ['415']],
  ['Los Angeles', 'CA', '90026', 'California', 9.5, ['213', '323']],
  ['Miami', 'FL', '33137', 'Florida', 7, ['305']],
  ['Seattle', 'WA', '98122', 'Washington', 10.25, ['206']],
  ['Denver', 'CO', '80205', 'Colorado', 8.81, ['303']],
  ['Portland', 'OR', '97214', 'Oregon', 0, ['503']],
];
// city, province code, postal code, province name, tax lines [name, rate], area codes
const CA_CITIES = [
  ['Toronto', 'ON', 'M5V 2T6', 'Ontario', [['HST 13%', 13]], ['416', '647']],
  ['Vancouver', 'BC', 'V6B 1A1', 'British Columbia', [['GST 5%', 5], ['PST 7%', 7]], ['604']],
  ['Montreal', 'QC', 'H2X 1Y4', 'Quebec', [['GST 5%', 5], ['QST 9.975%', 9.975]], ['514']],
];

// ---------------------------------------------------------------------------------------------------
// Customers

function makeCustomer(i, country) {
  const first = rCust.pick(FIRST);
  const last = rCust.pick(LAST);
  const domain = rCust.pick(['example.com', 'example.net', 'example.org']);
  const email = `${first[0]}${last}${i}@${domain}`.toLowerCase();
  let city;
  let taxLines;
  if (country === 'US') {
    const c = rCust.pick(US_CITIES);
    city = { city: c[0], prov: c[1], zip: c[2], provName: c[3], area: rCust.pick(c[5]), countryCode: 'US' };
    taxLines = c[4] > 0 ? [[`${c[1]} Tax ${c[4]}%`, c[4]]] : [];
  } else {
    const c = CA_CITIES[i % CA_CITIES.length];
    city = { city: c[0], prov: c[1], zip: c[2], provName: c[3], area: rCust.pick(c[5]), countryCode: 'CA' };
    taxLines = c[4];
  }
  const phone = `+1${city.area}55501${pad(rCust.int(0, 99))}`; // fictional 555-01xx numbers
  return {
    name: `${first} ${last}`,
    email,
    phone,
    ...city,
    taxLines,
    acceptsMarketing: rCust.chance(0.72) ? 'yes' : 'no',
  };
}
const US_CUSTOMERS = Array.from({ length: 230 }, (_, i) => makeCustomer(i + 1, 'US'));
const CA_CUSTOMERS = Array.from({ length: 6 }, (_, i) => makeCustomer(i + 301, 'CA'));
function phoneParen(e164) {
  // +12125550147 -> (212) 555-0147
  const d = e164.slice(2);
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
}

// ---------------------------------------------------------------------------------------------------
// Orders: creation times

const N_ORDERS = 320;
const FIRST_ID = 7410991464714;
const RANGE_START = Date.UTC(2026, 6, 1, 4, 0, 0); // 2026-07-01 00:00 New York
const RANGE_END = Date.UTC(2026, 9, 31, 23, 59, 59); // 2026-10-31 19:59:59 New York
// Created between 00:00 and 03:59 UTC on the 1st of a month: the previous month in New York.
const FORCED_MONTH_MOVED = [Date.UTC(2026, 7, 1, 2, 30, 0), Date.UTC(2026, 8, 1, 1, 12, 44), Date.UTC(2026, 9, 1, 3, 5, 9)];

const times = new Set(FORCED_MONTH_MOVED);
while (times.size < N_ORDERS) {
  const t = RANGE_START + Math.floor(rTime.f() * ((RANGE_END - RANGE_START) / SEC + 1)) * SEC;
  times.add(t); // a random time may also land on 00:00-03:59 UTC of a 1st: listed as month-moved too
}
const sortedTimes = [...times].sort((a, b) => a - b);

function windowClass(date) {
  if (date < '2026-07-01') return null;
  if (date <= '2026-08-02') return 'A'; // only in the first Postscript report
  if (date <= '2026-09-14') return 'O'; // overlap of both reports
  if (date <= '2026-10-31') return 'B'; // only in the second report
  return null;
}

const orders = sortedTimes.map((ms, n) => {
  const ny = nyDate(ms);
  const utc = utcDate(ms);
  const cNy = windowClass(ny);
  const cUtc = windowClass(utc);
  return {
    n,
    name: `#${1001 + n}`,
    id: String(FIRST_ID + n),
    ms,
    nyDate: ny,
    utcDate: utc,
    // Postscript claims only on orders whose window class is the same whether the date is read in
    // New York or in UTC, so that no claim depends on how an importer dates a coverage window.
    psClass: cNy === cUtc ? cNy : null,
    flags: new Set(),
    scn: null, // designed claim scenario
    cat: null, // 'both' | 'ps' | 'kl' | 'none'
  };
});
const monthMoved = orders.filter((o) => o.nyDate.slice(0, 7) !== o.utcDate.slice(0, 7));
for (const o of monthMoved) o.flags.add('monthMoved');
const forcedMoved = FORCED_MONTH_MOVED.map((t) => orders.find((o) => o.ms === t));

// ---------------------------------------------------------------------------------------------------
// Order statuses and designed scenarios

function pickOrder(rs, pred, label) {
  const cands = orders.filter((o) => !o.scn && pred(o));
  if (cands.length === 0) throw new Error(`no candidate order for ${label}`);
  const o = rs.pick(cands);
  o.scn = label;
  return o;
}
const plain = (o) => o.flags.size === 0;

// CAD orders (8): a few Canadian customers.
const cadOrders = [];
while (cadOrders.length < 8) {
  const o = rStatus.pick(orders);
  if (o.flags.size === 0) {
    o.flags.add('cad');
    cadOrders.push(o);
  }
}
cadOrders.sort((a, b) => a.n - b.n);
// Cancelled (6): 3 voided, 3 refunded.
const cancelled = [];
while (cancelled.length < 6) {
  const o = rStatus.pick(orders);
  if (o.flags.size === 0 && o.ms < Date.UTC(2026, 9, 25)) {
    o.flags.add('cancelled');
    o.cancelKind = cancelled.length < 3 ? 'voided' : 'refunded';
    cancelled.push(o);
  }
}
cancelled.sort((a, b) => a.n - b.n);
// High-value orders (3, totals over 1,000): Postscript in the second report only, Postscript in both
// reports (shows `$1,234.56` next to `1234.56`), Klaviyo.
const highValue = [
  rStatus.pick(orders.filter((o) => plain(o) && o.psClass === 'B')),
  rStatus.pick(orders.filter((o) => plain(o) && o.psClass === 'O')),
  rStatus.pick(orders.filter((o) => plain(o) && o.psClass === 'A')),
];
for (const o of highValue) o.flags.add('highValue');
// Partial refunds (10): one in the overlap window, to be revised by the second Postscript report.
const partial = [rStatus.pick(orders.filter((o) => plain(o) && o.psClass === 'O'))];
partial[0].flags.add('partial');
while (partial.length < 10) {
  const o = rStatus.pick(orders);
  if (plain(o)) {
    o.flags.add('partial');
    partial.push(o);
  }
}
partial.sort((a, b) => a.n - b.n);

// --- scenarios (each order gets at most one); pc(cls): no status flag and the given Postscript class
const pc = (cls) => (o) => plain(o) && o.psClass === cls;
const S = {};
const scen = (key, pred, cat) => {
  const o = pickOrder(rScn, pred, key);
  o.cat = cat;
  S[key] = o;
  return o;
};
// Ties between Postscript and Klaviyo
scen('tieClickClick', pc('A'), 'both');
scen('tieClickOpen', pc('O'), 'both');
scen('tieCouponView', pc('B'), 'both');
// Cross-channel ordering
scen('emailClickAfterSmsView', pc('O'), 'both');
scen('smsViewAfterEmailClick', pc('B'), 'both');
scen('viewOnlyBoth', pc('A'), 'both');
// Unknown touch times and touch after order
scen('psUnknownVsKlKnown', pc('A'), 'both');
scen('psUnknownAlone', pc('A'), 'ps');
scen('klUnknownVsPsKnown', pc('B'), 'both');
scen('klUnknownAlone', (o) => plain(o), 'kl');
scen('psAfterOrder', pc('A'), 'both');
for (let i = 1; i <= 3; i++) scen(`psMinutesOnly${i}`, pc('A'), 'ps');
// Within one upload
scen('psDuplicateRow', pc('A'), 'ps');
scen('psTwoRows', pc('A'), 'ps');
// Matching by name only / id only
scen('psNameOnlyA', pc('A'), 'ps');
scen('psIdOnlyA', pc('A'), 'ps');
scen('psNameOnlyO1', pc('O'), 'ps');
scen('psNameOnlyO2', pc('O'), 'ps');
scen('psIdOnlyO1', pc('O'), 'ps');
scen('psIdOnlyO2', pc('O'), 'ps');
scen('psNameOnlyB', pc('B'), 'ps');
scen('psIdOnlyB', pc('B'), 'ps');
for (let i = 1; i <= 3; i++) scen(`klNameOnly${i}`, (o) => plain(o), 'kl');
// Click rows without a click time (touch = sent time)
scen('psClickNoClickedO1', pc('O'), 'ps');
scen('psClickNoClickedO2', pc('O'), 'ps');
scen('psClickNoClickedO3', pc('O'), 'ps');
scen('psClickNoClickedB', pc('B'), 'ps');
// Rolling reports: withdrawn and revised claims (all in the overlap 2026-08-03..2026-09-14)
scen('withdrawnPsOnly1', pc('O'), 'ps');
scen('withdrawnWithKlaviyo', pc('O'), 'both');
scen('withdrawnPsOnly2', pc('O'), 'ps');
S.revisedRevenue = partial[0];
partial[0].scn = 'revisedRevenue';
partial[0].cat = 'ps';
scen('revisedClickToView', pc('O'), 'both');
scen('revisedViewToClick', pc('O'), 'ps');
// Claims on 2026-08-01 / 2026-08-02: only in the first report, outside the second one's window
scen('psAug1to2', (o) => pc('A')(o) && o.nyDate >= '2026-08-01', 'ps');
// Orders with a status flag that are also claimed
const setScn = (key, o, cat) => {
  if (o.scn) throw new Error(`order ${o.name} already has scenario ${o.scn}`);
  o.scn = key;
  o.cat = cat;
  S[key] = o;
};
setScn('monthMovedBoth', forcedMoved[0], 'both');
setScn('monthMovedPs', forcedMoved[1], 'ps');
setScn('monthMovedKl', forcedMoved[2], 'kl');
setScn('cadKl', cadOrders.find((o) => !o.scn), 'kl');
setScn('cadBoth', cadOrders.find((o) => !o.scn && o.psClass), 'both');
setScn('cadPs', cadOrders.find((o) => !o.scn && o.psClass), 'ps');
setScn('cancelledKl', cancelled.find((o) => o.cancelKind === 'refunded'), 'kl');
setScn('highValuePsB', highValue[0], 'ps');
setScn('highValuePsO', highValue[1], 'ps');
setScn('highValueKl', highValue[2], 'kl');

// Random categories for everything else. The first report's window already holds most designed
// Postscript rows, so its random share is lower; overall about 30% of the orders in each Postscript
// window, 40% of all orders for Klaviyo and 12% for both.
const CAT_P = { A: [0.09, 0.1, 0.31], O: [0.09, 0.1, 0.31], B: [0.13, 0.2, 0.27], null: [0.13, 0.2, 0.27] };
for (const o of orders) {
  if (o.cat) continue;
  if (o.flags.has('cad') || o.flags.has('cancelled')) {
    o.cat = 'none';
    continue;
  }
  const u = rCat.f();
  const [pb, pp, pk] = CAT_P[o.psClass];
  let cat = u < pb ? 'both' : u < pb + pp ? 'ps' : u < pb + pp + pk ? 'kl' : 'none';
  if (!o.psClass && cat === 'both') cat = 'kl';
  if (!o.psClass && cat === 'ps') cat = 'none';
  o.cat = cat;
}
const hasPs = (o) => o.cat === 'both' || o.cat === 'ps';
const hasKl = (o) => o.cat === 'both' || o.cat === 'kl';

// Postscript touch type decided before the order's money, because a coupon claim needs the order to
// carry the Postscript coupon code.
const PS_FORCED_TYPE = {
  tieClickClick: 'click',
  tieClickOpen: 'click',
  tieCouponView: 'coupon',
  emailClickAfterSmsView: 'view',
  smsViewAfterEmailClick: 'view',
  viewOnlyBoth: 'view',
  psUnknownVsKlKnown: 'click',
  psUnknownAlone: 'view',
  klUnknownVsPsKnown: 'view',
  psAfterOrder: 'view',
  psDuplicateRow: 'click',
  psTwoRows: 'view', // the first of its two rows; the second is a click
  psClickNoClickedO1: 'click',
  psClickNoClickedO2: 'click',
  psClickNoClickedO3: 'click',
  psClickNoClickedB: 'click',
  revisedClickToView: 'click',
  revisedViewToClick: 'view',
  revisedRevenue: 'click',
  withdrawnPsOnly1: 'click',
  withdrawnWithKlaviyo: 'click',
  withdrawnPsOnly2: 'view',
  cadPs: 'coupon',
  highValuePsB: 'click',
  highValuePsO: 'click',
};
for (const o of orders) {
  if (!hasPs(o)) continue;
  if (PS_FORCED_TYPE[o.scn]) o.psType = PS_FORCED_TYPE[o.scn];
  else {
    const u = rPs.f();
    o.psType = u < 0.55 ? 'click' : u < 0.85 ? 'view' : 'coupon';
  }
  if (o.psType === 'coupon') o.psCoupon = `PS-${rPs.alnum(6).toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------------
// Orders: customers, line items, money, statuses

const repeatPool = [];
for (const o of orders) {
  // customer: CAD orders use Canadian customers; some US customers order again
  if (o.flags.has('cad')) o.cust = rLines.pick(CA_CUSTOMERS);
  else if (repeatPool.length > 10 && rLines.chance(0.22)) o.cust = rLines.pick(repeatPool);
  else o.cust = rLines.pick(US_CUSTOMERS);
  repeatPool.push(o.cust);
  o.currency = o.flags.has('cad') ? 'CAD' : 'USD';
  const cad = o.currency === 'CAD';

  // line items
  let items;
  if (o.flags.has('highValue')) {
    const h = highValue.indexOf(o);
    items = [
      [{ p: BY_SKU['HL-WST-01'], qty: 1 }, { p: BY_SKU['DB-LWB-CG'], qty: 1 }, { p: BY_SKU['HL-CAN-MF-8'], qty: 2 }],
      [{ p: BY_SKU['HL-WST-01'], qty: 2 }, { p: BY_SKU['HL-MUG-SPW'], qty: 1 }],
      [{ p: BY_SKU['DB-LWB-CG'], qty: 2 }, { p: BY_SKU['HL-THR-OAT'], qty: 1 }, { p: BY_SKU['DB-BEA-MER'], qty: 1 }],
    ][h];
  } else {
    const u = rLines.f();
    const k = u < 0.7 ? 1 : u < 0.93 ? 2 : 3;
    items = [];
    while (items.length < k) {
      const p = rLines.pick(WEIGHTED);
      if (items.some((it) => it.p === p)) continue;
      items.push({ p, qty: rLines.chance(0.15) ? 2 : 1 });
    }
  }
  o.items = items.map(({ p, qty }) => ({
    p,
    qty,
    price: cad ? p.cad : p.usd,
    cmp: cad ? p.cmpCad : p.cmp,
  }));
  o.subtotal = o.items.reduce((s, it) => s + it.qty * it.price, 0);
  const taxable = o.items.filter((it) => it.p.taxable).reduce((s, it) => s + it.qty * it.price, 0);
  const needsShipping = o.items.some((it) => it.p.ship);

  // discount
  o.discountCode = '';
  o.discount = 0;
  if (o.psCoupon) {
    o.discountCode = o.psCoupon;
    o.discount = pct(o.subtotal, 15);
  } else if (!o.flags.has('highValue') && rLines.chance(0.14)) {
    const code = o.ms < Date.UTC(2026, 8, 1) ? 'SUMMER10' : 'FALL10';
    o.discountCode = code;
    o.discount = pct(o.subtotal, 10);
  } else if (!o.flags.has('highValue') && rLines.chance(0.05) && o.subtotal > 2000) {
    o.discountCode = 'WELCOME5';
    o.discount = 500;
  }

  // shipping and taxes
  if (!needsShipping) {
    o.shipping = 0;
    o.shippingMethod = '';
  } else if (o.subtotal - o.discount >= (cad ? 10000 : 7500)) {
    o.shipping = 0;
    o.shippingMethod = 'Free Shipping';
  } else {
    o.shipping = cad ? 995 : 695;
    o.shippingMethod = 'Standard Shipping';
  }
  const taxBase = Math.max(0, taxable - Math.round((o.discount * taxable) / Math.max(1, o.subtotal)));
  o.taxLines = o.cust.taxLines.map(([name, rate]) => [name, Math.round((taxBase * rate) / 100)]);
  o.taxes = o.taxLines.reduce((s, [, v]) => s + v, 0);
  o.total = o.subtotal + o.shipping + o.taxes - o.discount;

  // status
  o.financial = 'paid';
  o.paidMs = o.ms + rLines.int(2, 40) * SEC;
  o.refunded = 0;
  o.cancelledMs = null;
  if (o.flags.has('cancelled')) {
    o.cancelledMs = o.ms + rLines.int(1, 30) * HOUR + rLines.int(0, 3599) * SEC;
    if (o.cancelKind === 'voided') {
      o.financial = 'voided';
      o.paidMs = null;
    } else {
      o.financial = 'refunded';
      o.refunded = o.total;
    }
  } else if (o.flags.has('partial')) {
    o.financial = 'partially_refunded';
    const lineTotals = o.items.map((it) => it.price).sort((a, b) => a - b);
    o.refunded = o.items.length >= 2 ? lineTotals[0] : Math.round(o.total * 0.25);
  }
  const fulfilled = !o.cancelledMs && o.ms < Date.UTC(2026, 9, 28);
  o.fulfilledMs = fulfilled ? o.ms + rLines.int(18, 70) * HOUR + rLines.int(0, 3599) * SEC : null;

  o.tags = rLines.pick(['', '', '', '', '', '', 'VIP', 'repeat-customer', 'VIP, repeat-customer', 'wholesale']);
  o.source = rLines.chance(0.95) ? 'web' : 'shopify_draft_order';
  o.note = rLines.chance(0.05) ? 'Gift, please wrap' : '';
  o.phoneCol = rLines.chance(0.5) ? o.cust.phone : '';
}
// One multi-line note (a quoted field with a newline, valid per docs/formats.md).
const noteOrder = rMisc.pick(orders.filter((o) => plain(o) && !o.note));
noteOrder.note = 'Please leave at the side door.\nThank you!';

// ---------------------------------------------------------------------------------------------------
// Shopify CSV

function shopifyRows(list = orders) {
  const rows = [];
  for (const o of list) {
    o.items.forEach((it, i) => {
      const r = Object.fromEntries(SHOPIFY_HEADER.map((h) => [h, '']));
      r['Name'] = o.name;
      r['Lineitem quantity'] = String(it.qty);
      r['Lineitem name'] = it.p.name;
      r['Lineitem price'] = money(it.price);
      r['Lineitem compare at price'] = it.cmp ? money(it.cmp) : '';
      r['Lineitem sku'] = it.p.sku;
      r['Lineitem requires shipping'] = String(it.p.ship);
      r['Lineitem taxable'] = String(it.p.taxable);
      r['Lineitem fulfillment status'] = o.fulfilledMs ? 'fulfilled' : 'pending';
      r['Vendor'] = it.p.vendor;
      r['Lineitem discount'] = '0.00';
      if (i === 0) {
        const c = o.cust;
        r['Email'] = c.email;
        r['Financial Status'] = o.financial;
        r['Paid at'] = o.paidMs ? shopifyTs(o.paidMs) : '';
        r['Fulfillment Status'] = o.fulfilledMs ? 'fulfilled' : 'unfulfilled';
        r['Fulfilled at'] = o.fulfilledMs ? shopifyTs(o.fulfilledMs) : '';
        r['Accepts Marketing'] = c.acceptsMarketing;
        r['Currency'] = o.currency;
        r['Subtotal'] = money(o.subtotal);
        r['Shipping'] = money(o.shipping);
        r['Taxes'] = money(o.taxes);
        r['Total'] = money(o.total);
        r['Discount Code'] = o.discountCode;
        r['Discount Amount'] = money(o.discount);
        r['Shipping Method'] = o.shippingMethod;
        r['Created at'] = shopifyTs(o.ms);
        // Kept compact (file size): street addresses, shipping name/city, province names, shipping
        // phone, payment reference and ids are left empty (none is read by the importer).
        r['Billing Name'] = c.name;
        r['Billing City'] = c.city;
        r['Billing Zip'] = c.zip;
        r['Billing Province'] = c.prov;
        r['Billing Country'] = c.countryCode;
        r['Billing Phone'] = c.phone;
        if (o.shippingMethod) {
          r['Shipping Zip'] = c.zip;
          r['Shipping Province'] = c.prov;
          r['Shipping Country'] = c.countryCode;
        }
        r['Notes'] = o.note;
        r['Cancelled at'] = o.cancelledMs ? shopifyTs(o.cancelledMs) : '';
        r['Payment Method'] = 'Shopify Payments';
        r['Refunded Amount'] = money(o.refunded);
        r['Outstanding Balance'] = '0.00';
        r['Id'] = o.id;
        r['Tags'] = o.tags;
        r['Risk Level'] = 'Low';
        r['Source'] = o.source;
        o.taxLines.forEach(([name, v], k) => {
          r[`Tax ${k + 1} Name`] = name;
          r[`Tax ${k + 1} Value`] = money(v);
        });
        r['Phone'] = o.phoneCol;
      }
      rows.push(SHOPIFY_HEADER.map((h) => r[h]));
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Postscript messages

const PS_CAMPAIGN_THEMES = {
  '07': ['Summer Sale Blast', 'Fourth of July Flash Sale', 'Midsummer Restock', 'Free Shipping Weekend'],
  '08': ['Back to School Drop', 'Summer Sale Blast: Last Call', 'Late Summer Edit', 'Weekend Bundle Deal'],
  '09': ['Labor Day Weekend', 'Fall Preview VIP', 'New Arrivals: Fall', 'Candle Season Is Here'],
  '10': ['Halloween Early Access', 'October Restock Alert', 'Cozy Season Sale', 'Last Chance: Fall Edit'],
};
const psCampaigns = [];
{
  let t = Date.UTC(2026, 5, 29, 16, 0, 0);
  let k = 0;
  while (t < RANGE_END) {
    const m = parts(t).mo;
    const themes = PS_CAMPAIGN_THEMES[m] ?? PS_CAMPAIGN_THEMES['07'];
    psCampaigns.push({ id: `ps-cmp-${101 + k}`, name: themes[k % themes.length], type: 'campaign', sentMs: t });
    k++;
    t += rPs.int(2, 3) * DAY;
    t = Date.UTC(...(() => {
      const d = new Date(t);
      return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), rPs.int(14, 23), rPs.pick([0, 0, 15, 30, 45]), 0];
    })());
  }
}
const PS_AUTOMATIONS = [
  { id: 'ps-aut-201', name: 'Abandoned Cart 1', type: 'automation' },
  { id: 'ps-aut-202', name: 'Abandoned Cart 2', type: 'automation' },
  { id: 'ps-aut-203', name: 'Welcome Series 1', type: 'automation' },
  { id: 'ps-aut-204', name: 'Browse Abandonment', type: 'automation' },
  { id: 'ps-aut-205', name: 'Winback 30 Days', type: 'automation' },
];

/** A Postscript message sent between `earliest` and `latest` (ms): a campaign if one was, else an automation. */
function psMessage(latest, earliest) {
  if (rPs.chance(0.75)) {
    const c = psCampaigns.filter((c) => c.sentMs <= latest && c.sentMs >= earliest);
    if (c.length) return { ...c[c.length - 1] };
  }
  const a = rPs.pick(PS_AUTOMATIONS);
  return { ...a, sentMs: floorSec(earliest + rPs.f() * (latest - earliest)) };
}
/** A message with the given exact send time (for designed rows). */
function psMessageAt(sentMs) {
  return { ...rPs.pick(PS_AUTOMATIONS), sentMs };
}

// ---------------------------------------------------------------------------------------------------
// Klaviyo messages

const KL_EMAIL_CAMPAIGNS = [];
const KL_SMS_CAMPAIGNS = [];
{
  let t = Date.UTC(2026, 5, 28, 14, 0, 0);
  let k = 0;
  const themes = ['Summer Sale', 'New Arrivals', 'Weekend Edit', 'Bestsellers Restocked', 'Labor Day Sale', 'Fall Collection Launch', 'Cozy Season', 'Halloween Preview'];
  while (t < RANGE_END) {
    const month = parts(t).mo;
    const theme = themes[(k + Number(month)) % themes.length];
    const sms = k % 4 === 3;
    const c = {
      id: rKl.alnum(6, rKl.pick(['R', 'T', 'W', 'X', 'Y'])),
      name: `${theme} (${sms ? 'SMS' : 'Email'}) ${parts(t).mo}/${parts(t).d}`,
      flowId: '',
      flowName: '',
      sentMs: t,
    };
    (sms ? KL_SMS_CAMPAIGNS : KL_EMAIL_CAMPAIGNS).push(c);
    k++;
    t += rKl.int(2, 4) * DAY;
    const d = new Date(t);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), rKl.int(13, 22), rKl.pick([0, 0, 30]), 0);
  }
}
const KL_FLOWS = ['Welcome Series', 'Abandoned Checkout', 'Browse Abandonment', 'Post-Purchase Upsell', 'Winback'].map((name) => ({
  flowId: rKl.alnum(6, rKl.pick(['S', 'U', 'V', 'Q'])),
  flowName: name,
  email: [1, 2].map((i) => ({ id: rKl.alnum(6, rKl.pick(['M', 'N', 'P'])), name: `${name}: Email ${i}` })),
  sms: [{ id: rKl.alnum(6, rKl.pick(['M', 'N', 'P'])), name: `${name}: SMS 1` }],
}));

function klMessage(channel, latest, earliest) {
  const pool = channel === 'sms' ? KL_SMS_CAMPAIGNS : KL_EMAIL_CAMPAIGNS;
  if (rKl.chance(0.45)) {
    const c = pool.filter((c) => c.sentMs <= latest && c.sentMs >= earliest);
    if (c.length) {
      const m = c[c.length - 1];
      return { id: m.id, name: m.name, flowId: '', flowName: '', sentMs: m.sentMs };
    }
  }
  const f = rKl.pick(KL_FLOWS);
  const m = rKl.pick(f[channel]);
  return { id: m.id, name: m.name, flowId: f.flowId, flowName: f.flowName, sentMs: floorSec(earliest + rKl.f() * (latest - earliest)) };
}
function klMessageAt(channel, sentMs) {
  const f = rKl.pick(KL_FLOWS);
  const m = rKl.pick(f[channel]);
  return { id: m.id, name: m.name, flowId: f.flowId, flowName: f.flowName, sentMs };
}

// ---------------------------------------------------------------------------------------------------
// Claims

const PS_SPELL = {
  click: () => (rPs.chance(0.2) ? 'Clicked' : 'click'),
  view: () => (rPs.chance(0.25) ? 'view-through' : 'view'),
  coupon: () => 'coupon',
};
const KL_EVENT = { click: { email: 'Clicked Email', sms: 'Clicked SMS' }, open: { email: 'Opened Email' }, view: { email: 'Received Email', sms: 'Received SMS' } };

/** A generic Postscript claim for order-like `o` (needs ms, psType). Times are all before the order. */
function genericPs(o) {
  const T = o.ms;
  const msg = psMessage(T - 6 * MIN, T - 23 * HOUR);
  const c = {
    type: o.psType,
    msg,
    sentMs: msg.sentMs,
    clickedMs: null,
  };
  if (c.type === 'click') c.clickedMs = floorSec(c.sentMs + (0.15 + 0.8 * rPs.f()) * (T - MIN - c.sentMs));
  return c;
}

const psClaims = []; // one per (order, claim); A/B presence and revisions as fields
function addPs(o, c, extra = {}) {
  const claim = {
    order: o,
    name: o.name,
    id: o.id,
    ms: o.ms,
    currency: o.currency,
    revenue: o.total,
    phone: o.cust.phone,
    coupon: c.type === 'coupon' ? o.psCoupon ?? `PS-${rPs.alnum(6).toUpperCase()}` : '',
    omitName: false,
    omitId: false,
    omitSent: false,
    omitClicked: false,
    minutesOnly: null, // number: only Minutes From Action is given
    spellA: PS_SPELL[c.type](),
    spellB: PS_SPELL[c.type](),
    inA: o.psClass === 'A' || o.psClass === 'O',
    inB: o.psClass === 'O' || o.psClass === 'B',
    revB: null,
    ...c,
    ...extra,
  };
  psClaims.push(claim);
  return claim;
}

const klClaims = [];
function genericKl(o, forced = {}) {
  const T = o.ms;
  const channel = forced.channel ?? (rKl.chance(0.7) ? 'email' : 'sms');
  let kind = forced.kind;
  if (!kind) {
    const u = rKl.f();
    kind = channel === 'email' ? (u < 0.45 ? 'click' : u < 0.85 ? 'open' : 'view') : u < 0.6 ? 'click' : 'view';
  }
  const maxBack = kind === 'view' ? 11 * HOUR : channel === 'sms' ? 22 * HOUR : 3 * DAY;
  const msg = klMessage(channel, T - 8 * MIN, T - maxBack);
  let touchMs;
  if (kind === 'view') touchMs = msg.sentMs + rKl.int(3, 90) * SEC;
  else touchMs = floorSec(msg.sentMs + (0.1 + 0.85 * rKl.f()) * (T - MIN - msg.sentMs));
  return { channel, kind, msg, sendMs: msg.sentMs, touchMs };
}
function addKl(o, c, extra = {}) {
  const spelled = c.channel === 'email' ? (rKl.chance(0.2) ? '$email_channel' : 'email') : rKl.chance(0.25) ? '$sms_channel' : 'sms';
  const claim = {
    order: o,
    name: o.name,
    id: o.id,
    ms: o.ms,
    currency: o.currency,
    value: o.total,
    email: o.cust.email,
    phone: c.channel === 'sms' || rKl.chance(0.5) ? o.cust.phone : '',
    channelText: spelled,
    event: KL_EVENT[c.kind][c.channel],
    omitId: false,
    omitTouch: false,
    omitSend: false,
    ...c,
    ...extra,
  };
  if (!claim.event) throw new Error(`no Klaviyo event for ${c.kind}/${c.channel}`);
  klClaims.push(claim);
  return claim;
}

// Generic claims first (scenario orders are overridden right after).
for (const o of orders) {
  if (hasPs(o)) o.ps = addPs(o, genericPs(o));
  if (hasKl(o)) o.kl = addKl(o, genericKl(o));
}

/** Set a Postscript claim's touch: view/coupon -> sent time; click -> click time (sent earlier). */
function setPsTouch(claim, type, touchMs, sentBeforeMs = 0) {
  claim.type = type;
  claim.spellA = PS_SPELL[type]();
  claim.spellB = PS_SPELL[type]();
  if (type === 'click') {
    claim.sentMs = touchMs - sentBeforeMs;
    claim.clickedMs = touchMs;
  } else {
    claim.sentMs = touchMs;
    claim.clickedMs = null;
  }
  const keepCampaign = claim.msg.type === 'campaign' && claim.msg.sentMs === claim.sentMs;
  if (!keepCampaign) claim.msg = psMessageAt(claim.sentMs);
}
function setKl(o, channel, kind, touchMs, sendBeforeMs) {
  const msg = klMessageAt(channel, touchMs - sendBeforeMs);
  klClaims.splice(klClaims.indexOf(o.kl), 1); // replace the generic claim
  o.kl = addKl(o, { channel, kind, msg, sendMs: msg.sentMs, touchMs });
}
const at = (o, back) => o.ms - back; // a time `back` ms before the order

// --- ties: exactly the same touch timestamp on both platforms
{
  const o = S.tieClickClick;
  const t = at(o, 37 * MIN + 12 * SEC);
  setPsTouch(o.ps, 'click', t, 2 * HOUR + 4 * MIN);
  setKl(o, 'email', 'click', t, 5 * HOUR);
}
{
  const o = S.tieClickOpen;
  const t = at(o, 52 * MIN + 40 * SEC);
  setPsTouch(o.ps, 'click', t, 95 * MIN);
  setKl(o, 'email', 'open', t, 3 * HOUR + 10 * MIN);
}
{
  const o = S.tieCouponView;
  const t = at(o, 2 * HOUR + 21 * MIN);
  setPsTouch(o.ps, 'coupon', t);
  setKl(o, 'sms', 'view', t, 6 * SEC);
}
// --- cross-channel order
{
  const o = S.emailClickAfterSmsView;
  setPsTouch(o.ps, 'view', at(o, 6 * HOUR + 14 * MIN));
  setKl(o, 'email', 'click', at(o, 41 * MIN), 26 * HOUR);
}
{
  const o = S.smsViewAfterEmailClick;
  setKl(o, 'email', 'click', at(o, 5 * HOUR + 3 * MIN), 20 * HOUR);
  setPsTouch(o.ps, 'view', at(o, 46 * MIN));
}
{
  const o = S.viewOnlyBoth;
  setPsTouch(o.ps, 'view', at(o, 3 * HOUR + 8 * MIN));
  setKl(o, 'email', 'view', at(o, 8 * HOUR + 30 * MIN), 25 * SEC);
}
// --- unknown touch times
{
  const o = S.psUnknownVsKlKnown;
  setPsTouch(o.ps, 'click', at(o, 1 * HOUR), 1 * HOUR);
  o.ps.omitSent = o.ps.omitClicked = true;
  o.ps.minutesOnly = null;
  setKl(o, 'email', 'open', at(o, 2 * HOUR + 11 * MIN), 9 * HOUR);
}
{
  const o = S.psUnknownAlone;
  setPsTouch(o.ps, 'view', at(o, 2 * HOUR));
  o.ps.omitSent = o.ps.omitClicked = true;
}
{
  const o = S.klUnknownVsPsKnown;
  setPsTouch(o.ps, 'view', at(o, 10 * HOUR + 5 * MIN));
  setKl(o, 'sms', 'click', at(o, 1 * HOUR), 3 * HOUR);
  o.kl.omitTouch = o.kl.omitSend = true;
}
{
  const o = S.klUnknownAlone;
  setKl(o, 'email', 'click', at(o, 3 * HOUR), 10 * HOUR);
  o.kl.omitTouch = o.kl.omitSend = true;
}
{
  // Sent At 2 h 17 min AFTER the order: treated as unknown; Klaviyo's earlier click then wins.
  const o = S.psAfterOrder;
  setPsTouch(o.ps, 'view', o.ms + 2 * HOUR + 17 * MIN);
  setKl(o, 'email', 'click', at(o, 3 * HOUR), 12 * HOUR);
}
for (let i = 1; i <= 3; i++) {
  const o = S[`psMinutesOnly${i}`];
  const c = o.ps;
  const touch = c.clickedMs ?? c.sentMs;
  c.minutesOnly = Math.floor((o.ms - touch) / MIN);
  c.omitSent = c.omitClicked = true;
}
// --- duplicates within one upload
S.psDuplicateRow.ps.duplicateInA = true;
{
  const o = S.psTwoRows;
  setPsTouch(o.ps, 'view', at(o, 20 * HOUR + 12 * MIN));
  o.ps.msg = { id: 'ps-aut-201', name: 'Abandoned Cart 1', type: 'automation', sentMs: o.ps.sentMs };
  const second = addPs(o, { type: 'click', msg: { id: 'ps-aut-202', name: 'Abandoned Cart 2', type: 'automation', sentMs: at(o, 3 * HOUR + 5 * MIN) }, sentMs: at(o, 3 * HOUR + 5 * MIN), clickedMs: at(o, 2 * HOUR + 1 * MIN) });
  o.ps2 = second;
}
// --- matching by name only / id only
for (const k of ['psNameOnlyA', 'psNameOnlyO1', 'psNameOnlyO2', 'psNameOnlyB']) S[k].ps.omitId = true;
for (const k of ['psIdOnlyA', 'psIdOnlyO1', 'psIdOnlyO2', 'psIdOnlyB']) S[k].ps.omitName = true;
for (let i = 1; i <= 3; i++) S[`klNameOnly${i}`].kl.omitId = true;
// --- click rows without a click time
for (const k of ['psClickNoClickedO1', 'psClickNoClickedO2', 'psClickNoClickedO3', 'psClickNoClickedB']) S[k].ps.omitClicked = true;
// --- rolling reports
for (const k of ['withdrawnPsOnly1', 'withdrawnWithKlaviyo', 'withdrawnPsOnly2']) S[k].ps.inB = false;
{
  const o = S.revisedRevenue; // partially refunded: the newer report claims the net amount
  o.ps.revB = { revenue: o.total - o.refunded };
}
{
  // A: click (click 1 h before the order) -> Postscript is last; B: view (sent 10 h before) -> Klaviyo's
  // open 4 h before the order is last once the newer report is authoritative.
  const o = S.revisedClickToView;
  setPsTouch(o.ps, 'click', at(o, 1 * HOUR), 9 * HOUR);
  o.ps.revB = { type: 'view', clickedMs: null };
  setKl(o, 'email', 'open', at(o, 4 * HOUR), 20 * HOUR);
}
{
  const o = S.revisedViewToClick;
  setPsTouch(o.ps, 'view', at(o, 7 * HOUR + 30 * MIN));
  o.ps.revB = { type: 'click', clickedMs: at(o, 25 * MIN) };
}
// --- unmatched claims (orders that are not in the Shopify export)
const ghost = (name, id, ms, total) => ({
  name,
  id,
  ms,
  currency: 'USD',
  total,
  cust: US_CUSTOMERS[17],
  psClass: windowClass(utcDate(ms)),
  psType: 'click',
});
const ghost9901 = ghost('#9901', '7410991499901', Date.UTC(2026, 6, 24, 17, 3, 11), 5800);
const ghost9902 = ghost('#9902', '', Date.UTC(2026, 6, 19, 16, 42, 5), 8640);
addPs(ghost9901, genericPs(ghost9901), { order: null });
const g2 = addPs(ghost9902, genericPs(ghost9902), { order: null, omitId: true });
const g3 = addKl(ghost9902, genericKl(ghost9902, { channel: 'sms', kind: 'click' }), { order: null, omitId: true });
// fixed times on #9902: PS click 3 h before the order, KL SMS click 50 min before -> KL is last
g2.sentMs = ghost9902.ms - 5 * HOUR;
g2.clickedMs = ghost9902.ms - 3 * HOUR;
g2.msg = { id: 'ps-aut-201', name: 'Abandoned Cart 1', type: 'automation', sentMs: g2.sentMs };
g3.msg = { ...g3.msg, sentMs: ghost9902.ms - 2 * HOUR };
g3.sendMs = g3.msg.sentMs;
g3.touchMs = ghost9902.ms - 50 * MIN;
// --- a few Klaviyo rows without Touch At (touch = $send_ts)
{
  const cands = klClaims.filter((c) => c.order && !c.order.scn && !c.omitTouch);
  const chosen = new Set();
  while (chosen.size < 6) chosen.add(rMisc.pick(cands));
  for (const c of chosen) c.omitTouch = true;
}
// --- one Subscriber Phone with an Excel apostrophe in the second report
{
  const cands = psClaims.filter((c) => c.order && !c.order.scn && c.order.psClass === 'B');
  rMisc.pick(cands).phoneB = "'";
}

// Sanity of the design: every known touch is before its order, except the designed after-order row.
for (const c of psClaims) {
  for (const t of [c.sentMs, c.clickedMs, c.revB?.clickedMs]) {
    if (t == null) continue;
    if (t >= c.ms && c.order?.scn !== 'psAfterOrder') throw new Error(`Postscript touch after order ${c.name}`);
    if (c.ms - t > DAY && c.order?.scn !== 'psAfterOrder') throw new Error(`Postscript send more than a day before ${c.name}`);
  }
  if (c.clickedMs != null && c.clickedMs < c.sentMs) throw new Error(`click before send ${c.name}`);
}
for (const c of klClaims) {
  if (c.touchMs >= c.ms || c.sendMs > c.touchMs) throw new Error(`Klaviyo touch order ${c.name}`);
}
{
  const ids = new Set();
  for (const c of klClaims) {
    do c.eventId = rKl.alnum(11, String(rKl.int(3, 5))); while (ids.has(c.eventId));
    ids.add(c.eventId);
  }
}

// ---------------------------------------------------------------------------------------------------
// Postscript rows

function psTouchMs(c, v = c) {
  const clicked = v.clickedMs !== undefined ? v.clickedMs : c.clickedMs;
  const type = v.type ?? c.type;
  if (type === 'click' && clicked != null && !c.omitClicked) return clicked;
  if (!c.omitSent) return c.sentMs;
  return null;
}
function psRowA(c) {
  const touch = psTouchMs(c);
  let minutes = '';
  if (c.minutesOnly != null) minutes = String(c.minutesOnly);
  else if (touch != null && touch < c.ms) minutes = String(Math.floor((c.ms - touch) / MIN));
  return [
    isoZ(c.ms),
    c.omitName ? '' : c.name,
    c.omitId ? '' : c.id,
    money(c.revenue),
    c.currency,
    c.spellA,
    c.msg.type,
    c.msg.name,
    c.msg.id,
    c.omitSent ? '' : isoZ(c.sentMs),
    c.type === 'click' && c.clickedMs != null && !c.omitClicked ? isoZ(c.clickedMs) : '',
    minutes,
    c.phone,
    c.coupon,
  ];
}
function psRowB(c) {
  const v = { ...c, ...(c.revB ?? {}) };
  const spell = c.revB?.type ? PS_SPELL[c.revB.type]() : c.spellB;
  if (c.minutesOnly != null || (c.omitSent && c.omitClicked)) throw new Error(`row ${c.name} needs Minutes From Action, absent in report B`);
  return [
    naiveUtc(c.ms),
    c.omitName ? '' : c.name,
    c.omitId ? '' : c.id,
    moneyDollar(v.revenue),
    c.currency,
    spell,
    c.msg.type,
    c.msg.name,
    c.msg.id,
    c.omitSent ? '' : naiveUtc(c.sentMs),
    v.type === 'click' && v.clickedMs != null && !c.omitClicked ? naiveUtc(v.clickedMs) : '',
    (c.phoneB ?? '') + (c.phoneB ? c.phone : phoneParen(c.phone)),
    v.type === 'coupon' ? c.coupon : '',
  ];
}
const byTimeThenName = (a, b) => a.ms - b.ms || a.name.localeCompare(b.name, 'en') || (a.sentMs ?? 0) - (b.sentMs ?? 0);
const psA = psClaims.filter((c) => c.inA).sort(byTimeThenName);
const psB = psClaims.filter((c) => c.inB).sort(byTimeThenName);
for (const c of psClaims) {
  const cls = windowClass(utcDate(c.ms));
  if (c.inA && !(cls === 'A' || cls === 'O')) throw new Error(`claim ${c.name} outside report A window`);
  if (c.inB && !(cls === 'O' || cls === 'B')) throw new Error(`claim ${c.name} outside report B window`);
}
const psARows = psA.map(psRowA);
{
  // the exact duplicate: same bytes, a few rows after the original
  const i = psA.findIndex((c) => c.duplicateInA);
  psARows.splice(Math.min(i + 4, psARows.length), 0, psARows[i].slice());
}
// Revisions' spelling is drawn in psRowB; draw it once per claim to stay deterministic.
const psBRows = psB.map(psRowB);

// ---------------------------------------------------------------------------------------------------
// Klaviyo rows

klClaims.sort((a, b) => a.ms - b.ms || a.name.localeCompare(b.name, 'en'));
const klRows = klClaims.map((c) => [
  c.eventId,
  c.omitId ? '' : c.id,
  c.name,
  isoNy(c.ms),
  money(c.value),
  c.currency,
  c.channelText,
  c.event,
  c.msg.id,
  c.msg.name,
  c.msg.flowId,
  c.msg.flowName,
  c.omitTouch ? '' : isoZ(c.touchMs),
  c.omitSend ? '' : epochS(c.sendMs),
  c.email,
  c.phone,
]);

// ---------------------------------------------------------------------------------------------------
// November: a month still arriving. Shopify's export of 2026-11-01..14, taken mid-month, before any
// Postscript or Klaviyo export of November: the report must not show November as complete. Its orders
// are copies of the first ten plain USD orders (same items and customers, no draw of the generators, so
// the other files stay byte for byte as they were), one a day from 2026-11-01, at their own time of day.

const NOVEMBER_FROM = Date.UTC(2026, 10, 1);
const novemberOrders = orders
  .filter((o) => plain(o) && o.currency === 'USD' && !o.cancelledMs && !o.refunded)
  .slice(0, 10)
  .map((o, k) => {
    // the same New York time of day (RANGE_START is a New York midnight); New York midnight in November
    // (EST) is 05:00 UTC
    const ms = NOVEMBER_FROM + 5 * HOUR + k * DAY + ((o.ms - RANGE_START) % DAY);
    return {
      ...o,
      n: N_ORDERS + k,
      name: `#${1001 + N_ORDERS + k}`,
      id: String(FIRST_ID + N_ORDERS + k),
      ms,
      nyDate: nyDate(ms),
      paidMs: o.paidMs === null ? null : ms + (o.paidMs - o.ms),
      fulfilledMs: null,
      note: '',
    };
  });

// ---------------------------------------------------------------------------------------------------
// Write the files

const files = {
  'shopify_orders.csv': csv(SHOPIFY_HEADER, shopifyRows()),
  'shopify_orders_2026-11.csv': csv(SHOPIFY_HEADER, shopifyRows(novemberOrders)),
  'postscript_revenue_2026-09-15.csv': csv(PS_A_HEADER, psARows),
  'postscript_revenue_2026-11-01.csv': csv(PS_B_HEADER, psBRows),
  'klaviyo_attributed_orders.csv': csv(KL_HEADER, klRows),
};
const manifest = {
  // The month the demo's "monthly report ready" message announces: the last month the exports cover whole.
  month: '2026-10',
  clients: [
    {
      id: 'demo-brand',
      settings: { timezone: 'America/New_York', currency: 'USD', notify: 'marketing@demo-brand.example' },
      imports: [
        { platform: 'shopify', file: 'shopify_orders.csv' },
        { platform: 'postscript', file: 'postscript_revenue_2026-09-15.csv', from: '2026-07-01', to: '2026-09-14' },
        { platform: 'postscript', file: 'postscript_revenue_2026-11-01.csv', from: '2026-08-03', to: '2026-10-31' },
        { platform: 'klaviyo', file: 'klaviyo_attributed_orders.csv' },
        { platform: 'shopify', file: 'shopify_orders_2026-11.csv', from: '2026-11-01', to: '2026-11-14' },
      ],
    },
  ],
};
files['demo.json'] = JSON.stringify(manifest, null, 2) + '\n';

// ---------------------------------------------------------------------------------------------------
// README

const lineCount = (name) => {
  // data rows (records), not physical lines: one Notes field holds a newline
  if (name === 'shopify_orders.csv') return orders.reduce((s, o) => s + o.items.length, 0);
  if (name === 'postscript_revenue_2026-09-15.csv') return psARows.length;
  if (name === 'postscript_revenue_2026-11-01.csv') return psBRows.length;
  if (name === 'shopify_orders_2026-11.csv') return novemberOrders.reduce((s, o) => s + o.items.length, 0);
  return klRows.length;
};
const nm = (o) => `\`${o.name}\``;
const list = (os) => os.map(nm).join(', ');
const ps = (o) => o.ps;
const shortTs = (ms) => isoZ(ms);
const psOrders = new Set(psClaims.filter((c) => c.order).map((c) => c.order));
const klOrders = new Set(klClaims.filter((c) => c.order).map((c) => c.order));
const bothOrders = orders.filter((o) => psOrders.has(o) && klOrders.has(o));
const psAOrders = new Set(psA.filter((c) => c.order).map((c) => c.order));
const psBOrders = new Set(psB.filter((c) => c.order).map((c) => c.order));
const ordersInWindow = (from, to) => orders.filter((o) => o.nyDate >= from && o.nyDate <= to).length;
const spellCount = (rows, col) => {
  const m = {};
  for (const r of rows) m[r[col]] = (m[r[col]] ?? 0) + 1;
  return Object.entries(m)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `\`${k}\` ${v}`)
    .join(', ');
};

// Orders whose effective claims (the second report where it is authoritative) are all view-only and come
// from both platforms.
const effPsType = (c) => (c.inB ? c.revB?.type ?? c.type : c.type);
const effPs = (o) => psClaims.filter((c) => c.order === o && (c.inB || c.order.psClass === 'A'));
const viewOnlyBothOrders = orders.filter((o) => {
  const p = effPs(o);
  const k = klClaims.filter((c) => c.order === o);
  return p.length > 0 && k.length > 0 && p.every((c) => effPsType(c) === 'view') && k.every((c) => c.kind === 'view');
});
if (!viewOnlyBothOrders.includes(S.viewOnlyBoth)) throw new Error('view-only scenario lost');

const r = [];
r.push(`# Demo exports (client \`demo-brand\`)

Generated by \`node scripts/make-demo-seeds.mjs\` (seeded PRNG, same bytes every run; do not edit by hand,
change the script and regenerate). \`lasttouch demo\` loads them in the order of \`demo.json\`.

Client settings: timezone \`America/New_York\`, currency \`USD\`, notify \`marketing@demo-brand.example\` (the demo writes its
messages to its outbox, never to a mail server); everything else is the default
(\`source_timezone\` \`UTC\`, model \`flat\`, \`view_only\` \`include\`, platform priority alphabetical, so
\`klaviyo\` before \`postscript\`). Orders run from 2026-07-01 to 2026-10-31 (New York dates); all of them are
in daylight time, so Shopify and Klaviyo write the offset \`-0400\` / \`-04:00\`.

## Files

| file | data rows | what it holds |
|---|---|---|
| \`shopify_orders.csv\` | ${lineCount('shopify_orders.csv')} line-item rows, ${orders.length} orders (\`#1001\`..\`#${1000 + orders.length}\`) | Shopify Orders export, the 79-column header of docs/formats.md. Order-level fields only on an order's first row, \`Name\` and \`Lineitem *\` / \`Vendor\` / \`Lineitem discount\` on every row. \`Id\` = ${FIRST_ID} + n (\`#1001\` is \`${FIRST_ID}\`). \`Total = Subtotal + Shipping + Taxes - Discount Amount\`; never sum \`Total\` over an order's rows. |
| \`postscript_revenue_2026-09-15.csv\` | ${psARows.length} (one is an exact duplicate) | Postscript Revenue Report exported 2026-09-15, imported with \`--from 2026-07-01 --to 2026-09-14\`. Headers \`Order Date, Order Number, Order ID, Revenue, Attribution Type, Message Type, Message Name, Message ID, Sent At, Clicked At, Minutes From Action, Subscriber Phone, Coupon Code\`. Money plain (\`123.45\`), timestamps ISO with \`Z\`. Claims ${psAOrders.size} Shopify orders of the ${ordersInWindow('2026-07-01', '2026-09-14')} in its window, plus 2 orders that are not in Shopify. Attribution Type spellings: ${spellCount(psARows, 5)}. |
| \`postscript_revenue_2026-11-01.csv\` | ${psBRows.length} | The next rolling report, exported 2026-11-01, imported with \`--from 2026-08-03 --to 2026-10-31\`; overlaps the first on 2026-08-03..2026-09-14. Other valid aliases: \`Created At, Order Name, Shopify Order ID, Attributed Revenue, Attribution, Source, Campaign Name, Campaign ID, Message Sent At, Click Time, Subscriber Phone, Coupon Used\`; no \`Minutes From Action\` column. Money like \`$1,234.56\`, naive timestamps \`2026-09-03 14:05:00\` (UTC = the client's \`source_timezone\`), phones like \`(212) 555-0147\`. Claims ${psBOrders.size} Shopify orders of the ${ordersInWindow('2026-08-03', '2026-10-31')} in its window. Attribution spellings: ${spellCount(psBRows, 5)}. |
| \`klaviyo_attributed_orders.csv\` | ${klRows.length} | Klaviyo Placed Order events with their attribution, one claim per row. \`Datetime\` = the Shopify creation time with \`-04:00\`, \`$send_ts\` epoch seconds, \`Touch At\` ISO \`Z\`, \`$value\` plain. Claims ${klOrders.size} Shopify orders plus 1 that is not in Shopify. Channels: ${spellCount(klRows, 6)}. Events: ${spellCount(klRows, 7)}. |
| \`shopify_orders_2026-11.csv\` | ${novemberOrders.length} orders (\`${novemberOrders[0].name}\`..\`${novemberOrders.at(-1).name}\`), one a day from 2026-11-01 | Shopify's export of November so far, taken mid-month and imported with \`--from 2026-11-01 --to 2026-11-14\`, before any Postscript or Klaviyo export of November (see "November" below). |
| \`demo.json\` | | Manifest: client \`demo-brand\`, its settings, the five imports in order (the Postscript ones and the November Shopify one with their windows). |

${bothOrders.length} Shopify orders (${Math.round((100 * bothOrders.length) / orders.length)}%) are claimed by both Postscript and Klaviyo.
All row counts are CSV records (one Shopify \`Notes\` field contains a newline, so count with a CSV parser,
not with \`wc -l\`).

## Orders that exercise each rule

Expected outcomes assume the default settings above unless a line says otherwise. "PS" = Postscript,
"KL" = Klaviyo; times are UTC.
`);

const both = (o) => `${nm(o)} (Id \`${o.id}\`, created ${shortTs(o.ms)})`;
const psSent = (o) => shortTs(ps(o).sentMs);
r.push(`### Values and formats (docs/formats.md)

- Line-item names with commas (quoted): every order with \`Classic Tee, Heather Grey / M\`, \`Wool Throw, Oatmeal / 50x60\`, etc.
  The one name with a double quote, \`Soy Candle "Midnight Fig", 8 oz\` (written \`"Soy Candle ""Midnight Fig"", 8 oz"\`), is on
  ${list(orders.filter((o) => o.items.some((it) => it.p.sku === 'HL-CAN-MF-8')).slice(0, 5))} and others.
- Multi-line quoted \`Notes\` field: ${nm(noteOrder)}. Tags with a comma (\`VIP, repeat-customer\`): ${list(orders.filter((o) => o.tags.includes(',')).slice(0, 4))}.
- Two currencies: the CAD orders are ${list(cadOrders)} (Canadian customers, CAD prices and GST/HST/PST/QST tax lines);
  everything else is USD. KL claims CAD orders ${list(cadOrders.filter((o) => klOrders.has(o)))}; PS claims CAD orders
  ${list(cadOrders.filter((o) => psOrders.has(o)))} (row \`Currency\` = \`CAD\`). CAD and USD are never added together.
- Thousands separators in the second PS report: ${nm(S.highValuePsB)} (\`${moneyDollar(S.highValuePsB.total)}\`) and ${nm(S.highValuePsO)}
  (\`${moneyDollar(S.highValuePsO.total)}\`; \`${money(S.highValuePsO.total)}\` in the first report). ${nm(S.highValueKl)} (${money(S.highValueKl.total)}) is a large KL claim.
- Excel apostrophe in a phone (\`'+1...\`, stripped on import): the second PS report's row for ${nm(psClaims.find((c) => c.phoneB).order)}.

### 1. Order keys

- Matched by \`Id\` only (Order Number empty in the PS row): ${list([S.psIdOnlyA, S.psIdOnlyO1, S.psIdOnlyO2, S.psIdOnlyB])}
  (${nm(S.psIdOnlyA)} in the first report, ${nm(S.psIdOnlyO1)} and ${nm(S.psIdOnlyO2)} in both, ${nm(S.psIdOnlyB)} in the second).
- Matched by name only (Order ID empty): PS ${list([S.psNameOnlyA, S.psNameOnlyO1, S.psNameOnlyO2, S.psNameOnlyB])};
  KL ${list([S.klNameOnly1, S.klNameOnly2, S.klNameOnly3])}.
- Unmatched claims (no such Shopify order; they keep their own key and still count; data quality counts them):
  \`#9901\` (PS, first report, Order ID \`7410991499901\` which is no Shopify Id, ${shortTs(ghost9901.ms)}, ${money(ghost9901.total)} USD);
  \`#9902\` (no Order ID, ${shortTs(ghost9902.ms)}, ${money(ghost9902.total)} USD) claimed by PS **and** KL: both resolve to key \`9902\`,
  so it is one order with two claims (KL click at ${shortTs(g3.touchMs)} vs PS click at ${shortTs(g2.clickedMs)}: the later one wins, ${g3.touchMs > g2.clickedMs ? 'KL' : 'PS'}).

### 2. One claim per platform and order

Across uploads (windows: first report 2026-07-01..2026-09-14, second 2026-08-03..2026-10-31; the second is
imported later, so it is authoritative on 2026-08-03..2026-09-14):

- Only in the first report (dates outside the second window, they stay): all PS claims in July and on
  2026-08-01/02, e.g. ${nm(S.psAug1to2)} (${S.psAug1to2.nyDate}) and ${nm(S.monthMovedBoth)} (2026-07-31 New York).
- Repeated in both reports with the same meaning (counted once): e.g. ${list(psClaims.filter((c) => c.inA && c.inB && !c.revB && c.order && !c.order.scn).slice(0, 6).map((c) => c.order))}.
- **Withdrawn** (in the first report, absent from the second although their dates are covered, so superseded):
  ${nm(S.withdrawnPsOnly1)} and ${nm(S.withdrawnPsOnly2)} (PS only, end up with no attribution), ${nm(S.withdrawnWithKlaviyo)}
  (also claimed by KL, which then wins alone).
- **Revised** (same order, the second report differs; the second one counts):
  - ${nm(S.revisedRevenue)}: revenue ${money(S.revisedRevenue.total)} in the first report, \`${moneyDollar(S.revisedRevenue.total - S.revisedRevenue.refunded)}\` in the second
    (the order is partially refunded by ${money(S.revisedRevenue.refunded)}).
  - ${nm(S.revisedClickToView)}: \`click\` (clicked ${shortTs(ps(S.revisedClickToView).clickedMs)}) in the first, view (sent ${psSent(S.revisedClickToView)}, no click)
    in the second. KL also claims it (Opened Email at ${shortTs(S.revisedClickToView.kl.touchMs)}): with the first report alone PS would win;
    with the second authoritative **KL wins**.
  - ${nm(S.revisedViewToClick)}: view (sent ${psSent(S.revisedViewToClick)}) in the first, \`click\` (clicked ${shortTs(ps(S.revisedViewToClick).revB.clickedMs)}) in the second.

Within one upload (first report):

- Exact duplicate row (identical bytes, four rows after the original): ${nm(S.psDuplicateRow)}; one claim.
- Two different rows for one order: ${nm(S.psTwoRows)}: \`Abandoned Cart 1\` (ps-aut-201) view sent ${psSent(S.psTwoRows)}, and
  \`Abandoned Cart 2\` (ps-aut-202) clicked ${shortTs(S.psTwoRows.ps2.clickedMs)}; the later touch (Abandoned Cart 2) is the claim, data quality counts it.

Re-import no-op: import any of the files twice.

### 3. Touch time

- PS click with \`Clicked At\`: most click rows. PS click **without** a click time (touch = sent time):
  ${list([S.psClickNoClickedO1, S.psClickNoClickedO2, S.psClickNoClickedO3])} (both reports), ${nm(S.psClickNoClickedB)} (second report).
- PS rows with only \`Minutes From Action\` (touch = order time - minutes): ${[1, 2, 3].map((i) => `${nm(S[`psMinutesOnly${i}`])} (${S[`psMinutesOnly${i}`].ps.minutesOnly} min)`).join(', ')}.
- PS rows with no Sent At, Clicked At or Minutes From Action (**unknown**): ${nm(S.psUnknownVsKlKnown)}, ${nm(S.psUnknownAlone)}.
- KL rows without \`Touch At\` (touch = \`$send_ts\`): ${list(klClaims.filter((c) => c.omitTouch && !c.omitSend).map((c) => c.order))}.
- KL rows with neither (**unknown**): ${nm(S.klUnknownVsPsKnown)}, ${nm(S.klUnknownAlone)}.
- **Touch after the order**: ${nm(S.psAfterOrder)}, created ${shortTs(S.psAfterOrder.ms)}, PS view with Sent At ${psSent(S.psAfterOrder)} (2 h 17 min later):
  treated as unknown and counted in data quality, so the KL click at ${shortTs(S.psAfterOrder.kl.touchMs)} wins (it would lose if the
  later send were believed).

### 4. Last touch

- Known beats unknown: ${nm(S.psUnknownVsKlKnown)} (PS unknown, KL open at ${shortTs(S.psUnknownVsKlKnown.kl.touchMs)}: **KL wins**);
  ${nm(S.klUnknownVsPsKnown)} (KL unknown, PS view sent ${psSent(S.klUnknownVsPsKnown)}: **PS wins**). Only-unknown single claims still win their
  order: ${nm(S.psUnknownAlone)} (PS), ${nm(S.klUnknownAlone)} (KL).
- Latest wins, flat model:
  - Email click **after** an SMS view: ${nm(S.emailClickAfterSmsView)}: PS view sent ${psSent(S.emailClickAfterSmsView)}, KL Clicked Email at
    ${shortTs(S.emailClickAfterSmsView.kl.touchMs)}: **KL (email) wins**.
  - SMS view **after** an email click: ${nm(S.smsViewAfterEmailClick)}: KL Clicked Email at ${shortTs(S.smsViewAfterEmailClick.kl.touchMs)}, PS view
    sent ${psSent(S.smsViewAfterEmailClick)}: **PS (sms) wins** with \`flat\`; with \`--model click-priority\` KL wins.
- **Ties** (exactly the same touch timestamp on both platforms):
  - ${both(S.tieClickClick)}: PS click and KL Clicked Email both at ${shortTs(ps(S.tieClickClick).clickedMs)}; same touch type, so platform
    priority decides: **KL wins** by default (alphabetical), PS with \`--platform-priority postscript,klaviyo\`.
  - ${both(S.tieClickOpen)}: PS click and KL Opened Email both at ${shortTs(ps(S.tieClickOpen).clickedMs)} (written \`${naiveUtc(ps(S.tieClickOpen).clickedMs)}\` in the
    second report): click > open, **PS wins**.
  - ${both(S.tieCouponView)}: PS coupon (sent ${psSent(S.tieCouponView)}, code \`${ps(S.tieCouponView).coupon}\`) and KL Received SMS touched at
    ${shortTs(S.tieCouponView.kl.touchMs)} (second report, naive \`${naiveUtc(ps(S.tieCouponView).sentMs)}\`): coupon > view, **PS wins**.
- Winning revenue is the winner's own claim: e.g. ${nm(S.revisedRevenue)} (PS claims the net amount after revision).

### 5. View-only

- The only claims are view-only on both platforms: ${nm(S.viewOnlyBoth)}: PS view sent ${psSent(S.viewOnlyBoth)}, KL Received Email at
  ${shortTs(S.viewOnlyBoth.kl.touchMs)}. With \`include\` PS wins (later); with \`exclude\` the order has **no winner** and both claims go to
  \`view_only_excluded_revenue\`.
- Every order whose only claims (after section 2) are view-only on both platforms: ${list(viewOnlyBothOrders)}.
- With \`exclude\`, ${nm(S.smsViewAfterEmailClick)} and ${nm(S.emailClickAfterSmsView)} go to KL (the PS views leave), and ${nm(S.tieCouponView)} stays PS (coupon).

### 6. Months and currency

- Month moved by the client time zone (created 00:00-03:59 UTC on the 1st, previous month in New York):
  ${monthMoved.map((o) => `${nm(o)} (${shortTs(o.ms)} = ${shopifyTs(o.ms)}${psOrders.has(o) && klOrders.has(o) ? ', PS+KL' : psOrders.has(o) ? ', PS' : klOrders.has(o) ? ', KL' : ', not claimed'})`).join('; ')}.
- CAD: see Values above; every grain keeps \`CAD\` apart from \`USD\`.

### 7. Store revenue

- Cancelled (\`Cancelled at\` set, excluded from store revenue): ${cancelled.map((o) => `${nm(o)} (${o.financial})`).join(', ')}.
  ${nm(S.cancelledKl)} is cancelled and refunded yet still claimed by KL (the claim is kept as reported).
- Partially refunded (\`Refunded Amount\` > 0, \`partially_refunded\`, still store revenue; refunds reported separately):
  ${partial.map((o) => `${nm(o)} (${money(o.refunded)})`).join(', ')}.
`);
r.push(`### November: a month still arriving

The last import is Shopify's export of 2026-11-01..2026-11-14 (${novemberOrders.length} orders, ${money(novemberOrders.reduce((sum, o) => sum + o.total, 0))} USD), taken before
any Postscript or Klaviyo export of November. November therefore has store revenue and no claims, and
\`marts.data_quality\` says why rather than letting 0% look like a fact:

- \`platform_month_missing\` (warning) for \`klaviyo\` and for \`postscript\` in 2026-11: no upload of theirs covers
  any day of the month while Shopify shows ${novemberOrders.length} orders (\`affected_rows\`);
- \`month_not_fully_covered\` (warning) for \`shopify\` in 2026-11: its upload covers 14 of 30 days.

The report shows them beside November. Importing the platforms' November exports (and the rest of the
month's orders) and building again clears them.
`);
files['README.md'] = r.join('\n');

mkdirSync(OUT, { recursive: true });
for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT, name), text);
for (const [name, text] of Object.entries(files)) {
  process.stdout.write(`${join('seeds', 'demo', name)}  ${Buffer.byteLength(text)} bytes\n`);
}
