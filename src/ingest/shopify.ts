// Shopify's Orders export: one row per line item; the order's own fields sit on its first row only and
// are empty on the rows that follow (docs/formats.md). Rows are kept one per line; staging groups them.
import type { BulkColumns } from './bulk.js';
import type { FormatDefinition, RawRecord, RowReader } from './format.js';

const ORDER_LEVEL = ['created_at', 'total', 'currency'] as const;

export const shopifyFormat: FormatDefinition = {
  platform: 'shopify',
  label: 'Shopify orders export',
  rawTable: 'shopify_order_lines',
  dateColumn: 'created_at',
  columns: [
    { canonical: 'name', aliases: ['Name'], required: true },
    { canonical: 'created_at', aliases: ['Created at'], required: true },
    { canonical: 'total', aliases: ['Total'], required: true },
    { canonical: 'currency', aliases: ['Currency'], required: true },
    { canonical: 'id', aliases: ['Id'], required: false },
    { canonical: 'email', aliases: ['Email'], required: false },
    { canonical: 'phone', aliases: ['Phone'], required: false },
    { canonical: 'billing_phone', aliases: ['Billing Phone'], required: false },
    { canonical: 'financial_status', aliases: ['Financial Status'], required: false },
    { canonical: 'paid_at', aliases: ['Paid at'], required: false },
    { canonical: 'cancelled_at', aliases: ['Cancelled at'], required: false },
    { canonical: 'subtotal', aliases: ['Subtotal'], required: false },
    { canonical: 'shipping', aliases: ['Shipping'], required: false },
    { canonical: 'taxes', aliases: ['Taxes'], required: false },
    { canonical: 'discount_code', aliases: ['Discount Code'], required: false },
    { canonical: 'discount_amount', aliases: ['Discount Amount'], required: false },
    { canonical: 'refunded_amount', aliases: ['Refunded Amount'], required: false },
    { canonical: 'source', aliases: ['Source'], required: false },
    { canonical: 'tags', aliases: ['Tags'], required: false },
    { canonical: 'lineitem_quantity', aliases: ['Lineitem quantity'], required: false },
    { canonical: 'lineitem_name', aliases: ['Lineitem name'], required: false },
    { canonical: 'lineitem_price', aliases: ['Lineitem price'], required: false },
    { canonical: 'lineitem_sku', aliases: ['Lineitem sku'], required: false },
  ],
  requiredOneOf: [],

  readRow(reader: RowReader, ordersSeen: ReadonlySet<string>): RawRecord | null {
    const name = reader.text('name');
    if (name === null) reader.problem('name', 'is empty; every row names its order');
    const isOrderRow = ORDER_LEVEL.some((canonical) => reader.text(canonical) !== null);
    if (!isOrderRow && name !== null && !ordersSeen.has(name)) {
      reader.problem('created_at', `is empty on the first row of order ${name}; the order's own fields (Created at, Total, Currency) belong on its first row`);
    }
    const phone = reader.phone('phone');
    const billingPhone = reader.phone('billing_phone');
    const total = isOrderRow ? reader.money('total', true) : null;
    const record: RawRecord = {
      order_name: name,
      order_id: reader.text('id'),
      is_order_row: isOrderRow,
      email: reader.text('email'),
      phone: phone.raw ?? billingPhone.raw,
      phone_e164: phone.e164 ?? billingPhone.e164,
      financial_status: reader.text('financial_status'),
      paid_at: reader.timestamp('paid_at', false),
      cancelled_at: reader.timestamp('cancelled_at', false),
      created_at: isOrderRow ? reader.timestamp('created_at', true) : null,
      currency: isOrderRow ? reader.currency('currency', total?.currency ?? null) : null,
      subtotal: reader.money('subtotal', false)?.amount ?? null,
      shipping: reader.money('shipping', false)?.amount ?? null,
      taxes: reader.money('taxes', false)?.amount ?? null,
      total: total?.amount ?? null,
      discount_code: reader.text('discount_code'),
      discount_amount: reader.money('discount_amount', false)?.amount ?? null,
      refunded_amount: reader.money('refunded_amount', false)?.amount ?? null,
      source: reader.text('source'),
      tags: reader.text('tags'),
      lineitem_quantity: reader.integer('lineitem_quantity'),
      lineitem_name: reader.text('lineitem_name'),
      lineitem_price: reader.money('lineitem_price', false)?.amount ?? null,
      lineitem_sku: reader.text('lineitem_sku'),
    };
    if (isOrderRow && record.currency === null) reader.problem('currency', 'is empty; a currency is required');
    return reader.problems.length === 0 ? record : null;
  },

  orderOf(record: RawRecord): string | null {
    return (record.order_name ?? null) as string | null;
  },

  bulkSelect(columns: BulkColumns): Record<string, string> {
    const isOrderRow = `(${ORDER_LEVEL.map((canonical) => columns.present(canonical)).join(' OR ')})`;
    const onOrderRow = (expression: string): string => `CASE WHEN ${isOrderRow} THEN ${columns.required(expression)} END`;
    return {
      order_name: columns.required(columns.text('name')),
      order_id: columns.text('id'),
      is_order_row: isOrderRow,
      email: columns.text('email'),
      phone: `coalesce(${columns.text('phone')}, ${columns.text('billing_phone')})`,
      phone_e164: `coalesce(${columns.phoneE164('phone')}, ${columns.phoneE164('billing_phone')})`,
      financial_status: columns.text('financial_status'),
      paid_at: columns.timestamp('paid_at'),
      cancelled_at: columns.timestamp('cancelled_at'),
      created_at: onOrderRow(columns.timestamp('created_at')),
      currency: onOrderRow(columns.currency('currency')),
      subtotal: columns.money('subtotal'),
      shipping: columns.money('shipping'),
      taxes: columns.money('taxes'),
      total: onOrderRow(columns.money('total')),
      discount_code: columns.text('discount_code'),
      discount_amount: columns.money('discount_amount'),
      refunded_amount: columns.money('refunded_amount'),
      source: columns.text('source'),
      tags: columns.text('tags'),
      lineitem_quantity: columns.integer('lineitem_quantity'),
      lineitem_name: columns.text('lineitem_name'),
      lineitem_price: columns.money('lineitem_price'),
      lineitem_sku: columns.text('lineitem_sku'),
    };
  },
};
