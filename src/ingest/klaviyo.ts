// Klaviyo's Placed Order events with their attribution, flattened as the Events API returns them: one
// order claimed by one message a row.
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

const CHANNELS = aliasMap({
  email: ['email', '$email_channel'],
  sms: ['sms', '$sms_channel'],
  push: ['push', '$push_channel'],
  whatsapp: ['whatsapp', '$whatsapp_channel'],
});

const TOUCH_TYPES = aliasMap({
  click: ['clicked email', 'clicked sms', 'clicked push', 'clicked whatsapp', 'click'],
  open: ['opened email', 'opened sms', 'opened push', 'open'],
  view: ['received sms', 'delivered sms', 'sent sms', 'received email', 'delivery', 'view'],
});

export const klaviyoFormat: FormatDefinition = {
  platform: 'klaviyo',
  label: 'Klaviyo attributed orders',
  rawTable: 'klaviyo_claims',
  dateColumn: 'order_created_at',
  // order_id comes first: it takes "Order ID" when the file has one, and $event_id only when it does not;
  // event_id then takes whichever of "Event ID" / "id" is left.
  columns: [
    { canonical: 'order_id', aliases: ['Order ID', '$event_id', 'event_id'], required: false },
    { canonical: 'event_id', aliases: ['Event ID', 'id'], required: false },
    { canonical: 'order_name', aliases: ['Order Name', 'Order Number'], required: false },
    {
      canonical: 'order_created_at',
      aliases: ['Datetime', 'Timestamp', 'Order Date', 'Placed At', 'datetime'],
      required: true,
    },
    { canonical: 'revenue', aliases: ['Value', '$value', 'Revenue', 'Order Value'], required: true },
    { canonical: 'currency', aliases: ['Currency', '$currency'], required: false },
    { canonical: 'channel', aliases: ['Attributed Channel', '$attributed_channel', 'Channel'], required: true },
    {
      canonical: 'attributed_event',
      aliases: ['Attributed Event', 'Attribution Event', 'Touch Type'],
      required: true,
    },
    { canonical: 'message_id', aliases: ['Attributed Message', '$attributed_message', 'Message ID'], required: false },
    {
      canonical: 'message_name',
      aliases: ['Message Name', 'Campaign Name', 'Flow Message Name'],
      required: false,
    },
    { canonical: 'flow_id', aliases: ['Attributed Flow', '$attributed_flow', 'Flow ID'], required: false },
    { canonical: 'flow_name', aliases: ['Flow Name'], required: false },
    { canonical: 'touch_at', aliases: ['Touch At', 'Attributed Event Time', 'Event Time'], required: false },
    { canonical: 'send_ts', aliases: ['Send Time', '$send_ts', 'Sent At'], required: false },
    { canonical: 'email', aliases: ['Email', '$email', 'Profile Email'], required: false },
    { canonical: 'phone', aliases: ['Phone', '$phone_number', 'Profile Phone'], required: false },
  ],
  requiredOneOf: [['order_id', 'order_name']],

  readRow(reader: RowReader): RawRecord | null {
    const phone = reader.phone('phone');
    const record: RawRecord = {
      ...readClaimOrder(reader),
      event_id: reader.text('event_id'),
      channel: reader.oneOf('channel', true, CHANNELS, 'channel'),
      touch_type: reader.oneOf('attributed_event', true, TOUCH_TYPES, 'attributed event'),
      message_id: reader.text('message_id'),
      message_name: reader.text('message_name'),
      flow_id: reader.text('flow_id'),
      flow_name: reader.text('flow_name'),
      touch_at: reader.timestamp('touch_at', false, true),
      send_ts: reader.timestamp('send_ts', false, true),
      email: reader.text('email'),
      phone: phone.raw,
      phone_e164: phone.e164,
    };
    return reader.problems.length === 0 ? record : null;
  },

  orderOf: claimOrderOf,

  bulkSelect(columns: BulkColumns): Record<string, string> {
    return {
      ...bulkClaimOrder(columns),
      event_id: columns.text('event_id'),
      channel: columns.required(columns.oneOf('channel', CHANNELS)),
      touch_type: columns.required(columns.oneOf('attributed_event', TOUCH_TYPES)),
      message_id: columns.text('message_id'),
      message_name: columns.text('message_name'),
      flow_id: columns.text('flow_id'),
      flow_name: columns.text('flow_name'),
      touch_at: columns.timestamp('touch_at', true),
      send_ts: columns.timestamp('send_ts', true),
      email: columns.text('email'),
      phone: columns.text('phone'),
      phone_e164: columns.phoneE164('phone'),
    };
  },
};
