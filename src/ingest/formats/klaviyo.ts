// Klaviyo's Placed Order events with their attribution, flattened as the Events API returns them: one
// order claimed by one message a row.
import type { FormatDeclaration } from '../declaration.js';
import { CLAIM_ORDER_KEY } from '../claim-shape.js';

export const klaviyoFormat: FormatDeclaration = {
  platform: 'klaviyo',
  name: 'Klaviyo',
  label: 'Klaviyo attributed orders',
  rawTable: 'klaviyo_claims',
  kind: 'claims',
  orderKey: CLAIM_ORDER_KEY,
  dateColumn: 'order_created_at',
  revenueColumn: 'revenue',
  // order_id comes before event_id: it takes "Order ID" when the file has one, and $event_id only when it
  // does not; event_id then takes whichever of "Event ID" / "id" is left.
  columns: [
    { canonical: 'order_id', aliases: ['Order ID', '$event_id', 'event_id'], kind: 'text' },
    { canonical: 'order_name', aliases: ['Order Name', 'Order Number'], kind: 'text' },
    {
      canonical: 'order_created_at',
      aliases: ['Datetime', 'Timestamp', 'Order Date', 'Placed At', 'datetime'],
      kind: 'timestamp',
      required: true,
    },
    { canonical: 'revenue', aliases: ['Value', '$value', 'Revenue', 'Order Value'], kind: 'money', required: true },
    { canonical: 'currency', aliases: ['Currency', '$currency'], kind: 'currency', amount: 'revenue' },
    { canonical: 'message_id', aliases: ['Attributed Message', '$attributed_message', 'Message ID'], kind: 'text' },
    { canonical: 'message_name', aliases: ['Message Name', 'Campaign Name', 'Flow Message Name'], kind: 'text' },
    { canonical: 'email', aliases: ['Email', '$email', 'Profile Email'], kind: 'text' },
    { canonical: 'event_id', aliases: ['Event ID', 'id'], kind: 'text' },
    {
      canonical: 'channel',
      aliases: ['Attributed Channel', '$attributed_channel', 'Channel'],
      kind: 'choice',
      required: true,
      choices: {
        what: 'channel',
        meanings: {
          email: ['email', '$email_channel'],
          sms: ['sms', '$sms_channel'],
          push: ['push', '$push_channel'],
          whatsapp: ['whatsapp', '$whatsapp_channel'],
        },
      },
    },
    {
      canonical: 'attributed_event',
      aliases: ['Attributed Event', 'Attribution Event', 'Touch Type'],
      kind: 'choice',
      raw: 'touch_type',
      required: true,
      choices: {
        what: 'attributed event',
        meanings: {
          click: ['clicked email', 'clicked sms', 'clicked push', 'clicked whatsapp', 'click'],
          open: ['opened email', 'opened sms', 'opened push', 'open'],
          view: ['received sms', 'delivered sms', 'sent sms', 'received email', 'delivery', 'view'],
        },
      },
    },
    { canonical: 'flow_id', aliases: ['Attributed Flow', '$attributed_flow', 'Flow ID'], kind: 'text' },
    { canonical: 'flow_name', aliases: ['Flow Name'], kind: 'text' },
    { canonical: 'touch_at', aliases: ['Touch At', 'Attributed Event Time', 'Event Time'], kind: 'timestamp_or_epoch' },
    { canonical: 'send_ts', aliases: ['Send Time', '$send_ts', 'Sent At'], kind: 'timestamp_or_epoch', claimField: 'sent_at' },
    { canonical: 'phone', aliases: ['Phone', '$phone_number', 'Profile Phone'], kind: 'phone' },
  ],
};

export default klaviyoFormat;
