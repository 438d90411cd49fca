// Attentive's conversions export (the Conversions file of its data feeds, or the same columns exported
// from its dashboard): one order credited to one SMS or email message a row. Its exact header differs
// between the feed (snake_case) and the dashboard (Title Case), so both spellings are aliases; a file
// that names a column otherwise is mapped with --columns (docs/formats.md).
import type { FormatDeclaration } from '../declaration.js';
import { CLAIM_ORDER_KEY } from '../claim-shape.js';

export const attentiveFormat: FormatDeclaration = {
  platform: 'attentive',
  name: 'Attentive',
  label: 'Attentive conversions export',
  rawTable: 'attentive_claims',
  kind: 'claims',
  orderKey: CLAIM_ORDER_KEY,
  dateColumn: 'order_created_at',
  revenueColumn: 'revenue',
  columns: [
    { canonical: 'order_id', aliases: ['Order ID', 'order_id', 'External Order ID'], kind: 'text' },
    { canonical: 'order_name', aliases: ['Order Number', 'Order Name', 'order_number'], kind: 'text' },
    {
      canonical: 'order_created_at',
      aliases: ['Conversion Timestamp', 'Conversion Time', 'Conversion Date', 'conversion_timestamp'],
      kind: 'timestamp',
      required: true,
    },
    {
      canonical: 'revenue',
      aliases: ['Order Revenue', 'Conversion Value', 'Revenue', 'order_revenue'],
      kind: 'money',
      required: true,
    },
    { canonical: 'currency', aliases: ['Currency', 'currency'], kind: 'currency', amount: 'revenue' },
    { canonical: 'message_id', aliases: ['Message ID', 'message_id', 'Campaign ID'], kind: 'text' },
    { canonical: 'message_name', aliases: ['Message Name', 'message_name', 'Campaign Name'], kind: 'text' },
    {
      canonical: 'channel',
      aliases: ['Message Channel', 'Channel', 'message_channel'],
      kind: 'choice',
      required: true,
      choices: { what: 'channel', meanings: { sms: ['sms', 'text', 'mms'], email: ['email'] } },
    },
    {
      canonical: 'attribution_type',
      aliases: ['Attribution Type', 'Conversion Type', 'attribution_type'],
      kind: 'choice',
      raw: 'touch_type',
      required: true,
      choices: {
        what: 'attribution type',
        meanings: {
          click: ['click', 'clicked', 'click-through', 'click_through'],
          open: ['open', 'opened'],
          view: ['view', 'viewed', 'view-through', 'view_through', 'impression', 'delivered'],
        },
      },
    },
    { canonical: 'sent_at', aliases: ['Message Sent At', 'Sent At', 'message_sent_at'], kind: 'timestamp' },
    { canonical: 'clicked_at', aliases: ['Clicked At', 'Message Clicked At', 'message_clicked_at'], kind: 'timestamp' },
    { canonical: 'email', aliases: ['Email', 'Subscriber Email', 'email'], kind: 'text' },
    { canonical: 'phone', aliases: ['Phone', 'Phone Number', 'Subscriber Phone', 'phone'], kind: 'phone' },
    { canonical: 'subscriber_id', aliases: ['Subscriber ID', 'subscriber_id'], kind: 'text' },
  ],
};

export default attentiveFormat;
