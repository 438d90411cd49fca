// Postscript's Revenue Report (Reports -> Revenue Report -> Last 90 Days): one attributed order a row,
// revenue only. Its exact header was never published, so the aliases are broad (docs/formats.md).
import type { FormatDeclaration } from '../declaration.js';
import { CLAIM_ORDER_KEY } from '../claim-shape.js';

export const postscriptFormat: FormatDeclaration = {
  platform: 'postscript',
  name: 'Postscript',
  label: 'Postscript Revenue Report',
  rawTable: 'postscript_claims',
  kind: 'claims',
  orderKey: CLAIM_ORDER_KEY,
  dateColumn: 'order_created_at',
  revenueColumn: 'revenue',
  // The Revenue Report is of SMS only, and has no channel column.
  channel: 'sms',
  columns: [
    { canonical: 'order_id', aliases: ['Order ID', 'Shopify Order ID', 'order_id'], kind: 'text' },
    { canonical: 'order_name', aliases: ['Order Number', 'Order Name', 'Order', 'Name'], kind: 'text' },
    {
      canonical: 'order_created_at',
      aliases: ['Order Date', 'Order Created At', 'Created At', 'Date', 'order_created_at'],
      kind: 'timestamp',
      required: true,
    },
    {
      canonical: 'revenue',
      aliases: ['Revenue', 'Attributed Revenue', 'Order Total', 'Total', 'Amount', 'Amount In Cents'],
      kind: 'money',
      required: true,
    },
    { canonical: 'currency', aliases: ['Currency'], kind: 'currency', amount: 'revenue' },
    { canonical: 'message_id', aliases: ['Message ID', 'Campaign ID', 'Automation ID'], kind: 'text' },
    {
      canonical: 'message_name',
      aliases: ['Message Name', 'Campaign Name', 'Automation Name', 'Campaign/Automation'],
      kind: 'text',
    },
    { canonical: 'email', aliases: ['Email', 'Customer Email'], kind: 'text' },
    {
      canonical: 'attribution_type',
      aliases: ['Attribution Type', 'Action Type', 'Attribution', 'Conversion Type'],
      kind: 'choice',
      required: true,
      claimField: 'touch_type',
      choices: {
        what: 'attribution type',
        meanings: {
          click: ['click', 'clicked', 'click-through'],
          view: ['view', 'viewed', 'view-through', 'view_through', 'view-only', 'received', 'delivered'],
          coupon: ['coupon', 'coupon used'],
        },
      },
    },
    { canonical: 'message_type', aliases: ['Message Type', 'Source', 'Type'], kind: 'text' },
    { canonical: 'sent_at', aliases: ['Sent At', 'Message Sent At', 'Send Time'], kind: 'timestamp' },
    { canonical: 'clicked_at', aliases: ['Clicked At', 'Click Time'], kind: 'timestamp' },
    { canonical: 'minutes_from_action', aliases: ['Minutes From Action'], kind: 'number' },
    { canonical: 'subscriber_phone', aliases: ['Phone', 'Phone Number', 'Subscriber Phone'], kind: 'phone' },
    { canonical: 'subscriber_id', aliases: ['Subscriber ID'], kind: 'text' },
    { canonical: 'customer_id', aliases: ['Customer ID', 'Shopify Customer ID'], kind: 'text' },
    { canonical: 'coupon_code', aliases: ['Coupon', 'Coupon Code', 'Coupon Used'], kind: 'text' },
  ],
};

export default postscriptFormat;
