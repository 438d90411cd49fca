// Matching a header row to a format's columns by name (never by position), with each format's aliases,
// Klaviyo's $event_id rule, the missing-column list, and a --columns mapping. No database.
import { describe, expect, it } from 'vitest';
import { normalizeHeader } from '../../src/ingest/values.js';
import { InputError, matchHeaders, repeatedHeaders, type FormatDefinition } from '../../src/ingest/format.js';
import { postscriptFormat } from '../../src/ingest/formats/postscript.js';
import { klaviyoFormat } from '../../src/ingest/formats/klaviyo.js';
import { shopifyFormat } from '../../src/ingest/formats/shopify.js';

/** canonical -> the header it was matched to, for the columns that were matched. */
function matched(headers: readonly string[], format: FormatDefinition, mapping: Record<string, string> = {}) {
  const match = matchHeaders(headers, format, mapping);
  const byCanonical: Record<string, string> = {};
  for (const [canonical, column] of match.columns) {
    expect(headers[column.index]?.replace(/^\uFEFF/, '').trim()).toBe(column.header);
    byCanonical[canonical] = column.header;
  }
  return { columns: byCanonical, missing: match.missing };
}

const SHOPIFY_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References'.split(
    ',',
  );

describe('normalizeHeader', () => {
  it('treats spaces, _, -, $ and . as one separator and ignores case', () => {
    expect(normalizeHeader('Order ID')).toBe('order id');
    expect(normalizeHeader('order_id')).toBe('order id');
    expect(normalizeHeader('ORDER-ID')).toBe('order id');
    expect(normalizeHeader('Order.Id')).toBe('order id');
    expect(normalizeHeader('Order  __ ID')).toBe('order id');
  });

  it('makes $event_id and Event ID the same name, and $value the same as Value', () => {
    expect(normalizeHeader('$event_id')).toBe('event id');
    expect(normalizeHeader('Event ID')).toBe('event id');
    expect(normalizeHeader('$value')).toBe(normalizeHeader('Value'));
    expect(normalizeHeader('$attributed_channel')).toBe(normalizeHeader('Attributed Channel'));
  });

  it('drops a leading BOM and surrounding spaces', () => {
    expect(normalizeHeader('\uFEFFOrder Date')).toBe('order date');
    expect(normalizeHeader('  Order Date \t')).toBe('order date');
    expect(normalizeHeader('\uFEFF  Order_Date ')).toBe('order date');
  });

  it('keeps different names apart', () => {
    expect(normalizeHeader('Order ID')).not.toBe(normalizeHeader('OrderID'));
    expect(normalizeHeader('Amount In Cents')).toBe('amount in cents');
    expect(normalizeHeader('Campaign/Automation')).toBe('campaign/automation');
  });
});

describe('matchHeaders: Postscript', () => {
  it('matches the canonical header set', () => {
    const headers = [
      'Order Date',
      'Order Number',
      'Order ID',
      'Revenue',
      'Currency',
      'Attribution Type',
      'Message Type',
      'Message Name',
      'Message ID',
      'Sent At',
      'Clicked At',
      'Minutes From Action',
      'Subscriber Phone',
      'Coupon Code',
    ];
    const { columns, missing } = matched(headers, postscriptFormat);
    expect(missing).toEqual([]);
    expect(columns).toEqual({
      order_id: 'Order ID',
      order_name: 'Order Number',
      order_created_at: 'Order Date',
      revenue: 'Revenue',
      attribution_type: 'Attribution Type',
      currency: 'Currency',
      message_type: 'Message Type',
      message_name: 'Message Name',
      message_id: 'Message ID',
      sent_at: 'Sent At',
      clicked_at: 'Clicked At',
      minutes_from_action: 'Minutes From Action',
      subscriber_phone: 'Subscriber Phone',
      coupon_code: 'Coupon Code',
    });
  });

  it('matches the alternative aliases, in any order and spelling', () => {
    const headers = [
      'coupon_used',
      'SHOPIFY-ORDER-ID',
      'created_at',
      'Attributed Revenue',
      'attribution',
      'Source',
      'Campaign/Automation',
      'Campaign ID',
      'Message Sent At',
      'Click Time',
      'Phone Number',
      'Customer Email',
      'Order Name',
    ];
    const { columns, missing } = matched(headers, postscriptFormat);
    expect(missing).toEqual([]);
    expect(columns).toEqual({
      order_id: 'SHOPIFY-ORDER-ID',
      order_name: 'Order Name',
      order_created_at: 'created_at',
      revenue: 'Attributed Revenue',
      attribution_type: 'attribution',
      message_type: 'Source',
      message_name: 'Campaign/Automation',
      message_id: 'Campaign ID',
      sent_at: 'Message Sent At',
      clicked_at: 'Click Time',
      subscriber_phone: 'Phone Number',
      email: 'Customer Email',
      coupon_code: 'coupon_used',
    });
  });

  it('takes the first alias in the format order when several are present', () => {
    const { columns } = matched(['Total', 'Revenue', 'Date', 'Order Date', 'Order', 'Type', 'Conversion Type'], postscriptFormat);
    expect(columns.revenue).toBe('Revenue');
    expect(columns.order_created_at).toBe('Order Date');
    expect(columns.order_name).toBe('Order');
    expect(columns.attribution_type).toBe('Conversion Type');
    expect(columns.message_type).toBe('Type');
  });

  it('needs an order id or an order name but not both', () => {
    expect(matched(['Order ID', 'Date', 'Amount', 'Action Type'], postscriptFormat).missing).toEqual([]);
    expect(matched(['Name', 'Date', 'Amount', 'Action Type'], postscriptFormat).missing).toEqual([]);
    expect(matched(['Date', 'Amount', 'Action Type'], postscriptFormat).missing).toEqual(['order_id or order_name']);
  });

  it('lists every missing required column', () => {
    expect(matched(['Order ID', 'Phone'], postscriptFormat).missing).toEqual([
      'order_created_at',
      'revenue',
      'attribution_type',
    ]);
    expect(matched([], postscriptFormat).missing).toEqual([
      'order_created_at',
      'revenue',
      'attribution_type',
      'order_id or order_name',
    ]);
  });

  it('ignores unknown extra columns', () => {
    const { columns, missing } = matched(['Order ID', 'Store', 'Date', 'Revenue', 'Attribution Type', 'Notes'], postscriptFormat);
    expect(missing).toEqual([]);
    expect(Object.values(columns)).not.toContain('Store');
    expect(Object.values(columns)).not.toContain('Notes');
  });

  it('matches a header with a BOM and surrounding spaces, and reports it without them', () => {
    const match = matchHeaders(['\uFEFFOrder Date', ' Order ID ', 'Revenue', 'Attribution Type'], postscriptFormat);
    expect(match.missing).toEqual([]);
    expect(match.columns.get('order_created_at')).toEqual({ index: 0, header: 'Order Date' });
    expect(match.columns.get('order_id')).toEqual({ index: 1, header: 'Order ID' });
  });

  it('never matches by position', () => {
    // The right number of columns in the canonical order but unknown names matches nothing.
    const match = matchHeaders(['A', 'B', 'C', 'D', 'E'], postscriptFormat);
    expect(match.columns.size).toBe(0);
  });
});

describe('matchHeaders: Klaviyo', () => {
  it('takes Order ID as the order id and $event_id as the event id when both are there', () => {
    const headers = [
      '$event_id',
      'Order ID',
      'Order Name',
      'Datetime',
      '$value',
      '$currency',
      '$attributed_channel',
      'Attributed Event',
      '$attributed_message',
      'Message Name',
      '$attributed_flow',
      'Flow Name',
      'Touch At',
      '$send_ts',
      '$email',
      '$phone_number',
    ];
    const { columns, missing } = matched(headers, klaviyoFormat);
    expect(missing).toEqual([]);
    expect(columns).toEqual({
      order_id: 'Order ID',
      event_id: '$event_id',
      order_name: 'Order Name',
      order_created_at: 'Datetime',
      revenue: '$value',
      currency: '$currency',
      channel: '$attributed_channel',
      attributed_event: 'Attributed Event',
      message_id: '$attributed_message',
      message_name: 'Message Name',
      flow_id: '$attributed_flow',
      flow_name: 'Flow Name',
      touch_at: 'Touch At',
      send_ts: '$send_ts',
      email: '$email',
      phone: '$phone_number',
    });
  });

  it('takes $event_id as the order id when there is no Order ID column, and id as the event id', () => {
    const { columns, missing } = matched(
      ['id', '$event_id', 'Timestamp', 'Value', 'Channel', 'Touch Type'],
      klaviyoFormat,
    );
    expect(missing).toEqual([]);
    expect(columns.order_id).toBe('$event_id');
    expect(columns.event_id).toBe('id');
  });

  it('takes event_id as the order id when there is no Order ID column', () => {
    const { columns } = matched(['event_id', 'Datetime', 'Value', 'Channel', 'Touch Type'], klaviyoFormat);
    expect(columns.order_id).toBe('event_id');
    expect(columns.event_id).toBeUndefined();
  });

  it('takes Event ID as the event id beside an Order ID column', () => {
    const { columns } = matched(['Event ID', 'Order ID', 'Datetime', 'Value', 'Channel', 'Touch Type'], klaviyoFormat);
    expect(columns.order_id).toBe('Order ID');
    expect(columns.event_id).toBe('Event ID');
  });

  it('with $event_id and Event ID but no Order ID, $event_id is the order id and Event ID the event id', () => {
    // Both names normalise to "event id", but they are written differently: each header serves one column.
    const headers = ['$event_id', 'Event ID', 'Datetime', 'Value', 'Channel', 'Touch Type'];
    expect(repeatedHeaders(headers, klaviyoFormat)).toEqual([]);
    // Written the same way twice, they are one header repeated.
    expect(repeatedHeaders(['Event ID', 'event id', 'Datetime'], klaviyoFormat)).toEqual([[1, 0]]);
    const { columns } = matched(headers, klaviyoFormat);
    expect(columns.order_id).toBe('$event_id');
    expect(columns.event_id).toBe('Event ID');
  });

  it('accepts an order name instead of an order id', () => {
    const { columns, missing } = matched(
      ['Order Number', 'Placed At', 'Order Value', 'Attributed Channel', 'Attribution Event'],
      klaviyoFormat,
    );
    expect(missing).toEqual([]);
    expect(columns.order_name).toBe('Order Number');
    expect(columns.order_id).toBeUndefined();
  });

  it('lists the missing required columns', () => {
    expect(matched(['Order ID', 'Datetime', 'Value'], klaviyoFormat).missing).toEqual(['channel', 'attributed_event']);
    expect(matched(['Datetime', 'Value', 'Channel', 'Touch Type'], klaviyoFormat).missing).toEqual([
      'order_id or order_name',
    ]);
  });
});

describe('matchHeaders: Shopify', () => {
  it('matches the current 79-column export', () => {
    expect(SHOPIFY_HEADER).toHaveLength(79);
    const match = matchHeaders(SHOPIFY_HEADER, shopifyFormat);
    expect(match.missing).toEqual([]);
    const { columns } = matched(SHOPIFY_HEADER, shopifyFormat);
    for (const spec of shopifyFormat.columns) expect(columns[spec.canonical], spec.canonical).toBe(spec.aliases[0]);
    expect(match.columns.get('id')?.index).toBe(SHOPIFY_HEADER.indexOf('Id'));
    expect(match.columns.get('phone')?.index).toBe(SHOPIFY_HEADER.indexOf('Phone'));
    expect(match.columns.get('billing_phone')?.index).toBe(SHOPIFY_HEADER.indexOf('Billing Phone'));
    expect(match.columns.get('total')?.index).toBe(SHOPIFY_HEADER.indexOf('Total'));
  });

  it('matches an older, shorter export whatever its column order', () => {
    const older = ['Created at', 'Fulfillment Date', 'Total', 'Name', 'Currency', 'Lineitem name'];
    const { columns, missing } = matched(older, shopifyFormat);
    expect(missing).toEqual([]);
    expect(columns).toEqual({
      name: 'Name',
      created_at: 'Created at',
      total: 'Total',
      currency: 'Currency',
      lineitem_name: 'Lineitem name',
    });
  });

  it('lists the missing required columns', () => {
    const withoutTotal = SHOPIFY_HEADER.filter((header) => header !== 'Total' && header !== 'Currency');
    expect(matchHeaders(withoutTotal, shopifyFormat).missing).toEqual(['total', 'currency']);
    expect(matchHeaders(['Email'], shopifyFormat).missing).toEqual(['name', 'created_at', 'total', 'currency']);
  });

  it('is not a Postscript file: attribution_type is missing', () => {
    const match = matchHeaders(SHOPIFY_HEADER, postscriptFormat);
    expect(match.missing).toEqual(['attribution_type']);
  });
});

describe('matchHeaders: a --columns mapping', () => {
  it('maps a custom header to a canonical column', () => {
    const { columns, missing } = matched(
      ['Order ID', 'Date', 'Gross Sales $', 'How'],
      postscriptFormat,
      { revenue: 'Gross Sales $', attribution_type: 'how' },
    );
    expect(missing).toEqual([]);
    expect(columns.revenue).toBe('Gross Sales $');
    expect(columns.attribution_type).toBe('How');
  });

  it('wins over the aliases of the same column', () => {
    const { columns } = matched(
      ['Order ID', 'Date', 'Revenue', 'Net Revenue', 'Attribution Type'],
      postscriptFormat,
      { revenue: 'net_revenue' },
    );
    expect(columns.revenue).toBe('Net Revenue');
  });

  it('wins over the aliases of another column', () => {
    // "Source" is an alias of message_type; the mapping gives it to message_name, so message_type
    // falls back to its next alias, "Type".
    const { columns } = matched(
      ['Order ID', 'Date', 'Revenue', 'Attribution Type', 'Source', 'Type'],
      postscriptFormat,
      { message_name: 'Source' },
    );
    expect(columns.message_name).toBe('Source');
    expect(columns.message_type).toBe('Type');
  });

  it('does not fall back to the aliases when the mapped header is absent', () => {
    const match = matchHeaders(['Order ID', 'Date', 'Revenue', 'Attribution Type'], postscriptFormat, {
      revenue: 'Gross Sales',
    });
    expect(match.columns.has('revenue')).toBe(false);
    expect(match.missing).toEqual(['revenue']);
  });

  it('maps a Klaviyo order id to a header of its own', () => {
    const { columns } = matched(
      ['$event_id', 'Shopify Order', 'Datetime', 'Value', 'Channel', 'Touch Type'],
      klaviyoFormat,
      { order_id: 'Shopify Order' },
    );
    expect(columns.order_id).toBe('Shopify Order');
    expect(columns.event_id).toBe('$event_id');
  });
});

describe('repeatedHeaders', () => {
  it('finds a header written twice, with its position and the first one\'s', () => {
    expect(repeatedHeaders(['Order Date', 'Revenue', 'Attribution Type', 'Revenue'])).toEqual([[3, 1]]);
  });

  it('finds two spellings of one name, such as two aliases of one column', () => {
    expect(repeatedHeaders(['Order ID', 'Date', 'order_id'], postscriptFormat)).toEqual([[2, 0]]);
    expect(repeatedHeaders(['$value', 'Datetime', 'Value', ' VALUE '], klaviyoFormat)).toEqual([
      [2, 0],
      [3, 0],
    ]);
    expect(repeatedHeaders(['\uFEFFOrder Date', 'order-date'])).toEqual([[1, 0]]);
  });

  it('finds a repeated header of a column lasttouch does not read', () => {
    expect(repeatedHeaders(['Name', 'Created at', 'Total', 'Currency', 'Notes', 'Tags', 'Notes'])).toEqual([[6, 4]]);
  });

  it('leaves different names, and empty headers, alone', () => {
    expect(repeatedHeaders(['Revenue', 'Attributed Revenue', 'Total', 'Order Total'])).toEqual([]);
    expect(repeatedHeaders(['Order ID', 'OrderID', '', '', ' '])).toEqual([]);
  });

  it('passes the demo and documented headers', () => {
    expect(repeatedHeaders(SHOPIFY_HEADER)).toEqual([]);
  });
});
