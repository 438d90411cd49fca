// Postscript's Revenue Report (Reports -> Revenue Report -> Last 90 Days): one attributed order a row,
// revenue only. Its exact header was never published, so the aliases are broad (docs/formats.md).
import type { BulkColumns } from './bulk.js';
import {
  aliasMap,
  bulkClaimOrder,
  claimOrderOf,
  readClaimOrder,
  type FormatDefinition,
  type RawRecord,
  type RowReader,
} from './format.js';

const ATTRIBUTION_TYPES = aliasMap({
  click: ['click', 'clicked', 'click-through'],
  view: ['view', 'viewed', 'view-through', 'view_through', 'view-only', 'received', 'delivered'],
  coupon: ['coupon', 'coupon used'],
});

export const postscriptFormat: FormatDefinition = {
  platform: 'postscript',
  label: 'Postscript Revenue Report',
  rawTable: 'postscript_claims',
  dateColumn: 'order_created_at',
  columns: [
    { canonical: 'order_id', aliases: ['Order ID', 'Shopify Order ID', 'order_id'], required: false },
    { canonical: 'order_name', aliases: ['Order Number', 'Order Name', 'Order', 'Name'], required: false },
    {
      canonical: 'order_created_at',
      aliases: ['Order Date', 'Order Created At', 'Created At', 'Date', 'order_created_at'],
      required: true,
    },
    {
      canonical: 'revenue',
      aliases: ['Revenue', 'Attributed Revenue', 'Order Total', 'Total', 'Amount', 'Amount In Cents'],
      required: true,
    },
    {
      canonical: 'attribution_type',
      aliases: ['Attribution Type', 'Action Type', 'Attribution', 'Conversion Type'],
      required: true,
    },
    { canonical: 'currency', aliases: ['Currency'], required: false },
    { canonical: 'message_type', aliases: ['Message Type', 'Source', 'Type'], required: false },
    {
      canonical: 'message_name',
      aliases: ['Message Name', 'Campaign Name', 'Automation Name', 'Campaign/Automation'],
      required: false,
    },
    { canonical: 'message_id', aliases: ['Message ID', 'Campaign ID', 'Automation ID'], required: false },
    { canonical: 'sent_at', aliases: ['Sent At', 'Message Sent At', 'Send Time'], required: false },
    { canonical: 'clicked_at', aliases: ['Clicked At', 'Click Time'], required: false },
    { canonical: 'minutes_from_action', aliases: ['Minutes From Action'], required: false },
    { canonical: 'subscriber_phone', aliases: ['Phone', 'Phone Number', 'Subscriber Phone'], required: false },
    { canonical: 'subscriber_id', aliases: ['Subscriber ID'], required: false },
    { canonical: 'customer_id', aliases: ['Customer ID', 'Shopify Customer ID'], required: false },
    { canonical: 'email', aliases: ['Email', 'Customer Email'], required: false },
    { canonical: 'coupon_code', aliases: ['Coupon', 'Coupon Code', 'Coupon Used'], required: false },
  ],
  requiredOneOf: [['order_id', 'order_name']],

  readRow(reader: RowReader): RawRecord | null {
    const phone = reader.phone('subscriber_phone');
    const record: RawRecord = {
      ...readClaimOrder(reader),
      attribution_type: reader.oneOf('attribution_type', true, ATTRIBUTION_TYPES, 'attribution type'),
      message_type: reader.text('message_type'),
      message_name: reader.text('message_name'),
      message_id: reader.text('message_id'),
      sent_at: reader.timestamp('sent_at', false),
      clicked_at: reader.timestamp('clicked_at', false),
      minutes_from_action: reader.number('minutes_from_action'),
      subscriber_phone: phone.raw,
      subscriber_phone_e164: phone.e164,
      subscriber_id: reader.text('subscriber_id'),
      customer_id: reader.text('customer_id'),
      email: reader.text('email'),
      coupon_code: reader.text('coupon_code'),
    };
    return reader.problems.length === 0 ? record : null;
  },

  orderOf: claimOrderOf,

  bulkSelect(columns: BulkColumns): Record<string, string> {
    return {
      ...bulkClaimOrder(columns),
      attribution_type: columns.required(columns.oneOf('attribution_type', ATTRIBUTION_TYPES)),
      message_type: columns.text('message_type'),
      message_name: columns.text('message_name'),
      message_id: columns.text('message_id'),
      sent_at: columns.timestamp('sent_at'),
      clicked_at: columns.timestamp('clicked_at'),
      minutes_from_action: columns.number('minutes_from_action'),
      subscriber_phone: columns.text('subscriber_phone'),
      subscriber_phone_e164: columns.phoneE164('subscriber_phone'),
      subscriber_id: columns.text('subscriber_id'),
      customer_id: columns.text('customer_id'),
      email: columns.text('email'),
      coupon_code: columns.text('coupon_code'),
    };
  },
};
