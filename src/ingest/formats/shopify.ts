// Shopify's Orders export: one row per line item; the order's own fields sit on its first row only and
// are empty on the rows that follow (docs/formats.md). Rows are kept one per line; staging groups them.
import type { FormatDeclaration } from '../declaration.js';

export const shopifyFormat: FormatDeclaration = {
  platform: 'shopify',
  name: 'Shopify',
  label: 'Shopify orders export',
  rawTable: 'shopify_order_lines',
  kind: 'orders',
  orderKey: { columns: ['name'], missing: 'is empty; every row names its order' },
  dateColumn: 'created_at',
  revenueColumn: 'total',
  columns: [
    { canonical: 'name', aliases: ['Name'], kind: 'text', raw: 'order_name', required: true },
    { canonical: 'created_at', aliases: ['Created at'], kind: 'timestamp', required: true, level: 'order' },
    { canonical: 'total', aliases: ['Total'], kind: 'money', required: true, level: 'order' },
    { canonical: 'currency', aliases: ['Currency'], kind: 'currency', required: true, level: 'order', amount: 'total' },
    { canonical: 'id', aliases: ['Id'], kind: 'text', raw: 'order_id' },
    { canonical: 'email', aliases: ['Email'], kind: 'text' },
    { canonical: 'phone', aliases: ['Phone'], kind: 'phone' },
    { canonical: 'billing_phone', aliases: ['Billing Phone'], kind: 'phone', raw: 'phone' },
    { canonical: 'financial_status', aliases: ['Financial Status'], kind: 'text' },
    { canonical: 'paid_at', aliases: ['Paid at'], kind: 'timestamp' },
    { canonical: 'cancelled_at', aliases: ['Cancelled at'], kind: 'timestamp' },
    { canonical: 'subtotal', aliases: ['Subtotal'], kind: 'money' },
    { canonical: 'shipping', aliases: ['Shipping'], kind: 'money' },
    { canonical: 'taxes', aliases: ['Taxes'], kind: 'money' },
    { canonical: 'discount_code', aliases: ['Discount Code'], kind: 'text' },
    { canonical: 'discount_amount', aliases: ['Discount Amount'], kind: 'money' },
    { canonical: 'refunded_amount', aliases: ['Refunded Amount'], kind: 'money' },
    { canonical: 'source', aliases: ['Source'], kind: 'text' },
    { canonical: 'tags', aliases: ['Tags'], kind: 'text' },
    { canonical: 'lineitem_quantity', aliases: ['Lineitem quantity'], kind: 'integer' },
    { canonical: 'lineitem_name', aliases: ['Lineitem name'], kind: 'text' },
    { canonical: 'lineitem_price', aliases: ['Lineitem price'], kind: 'money' },
    { canonical: 'lineitem_sku', aliases: ['Lineitem sku'], kind: 'text' },
  ],
};

export default shopifyFormat;
