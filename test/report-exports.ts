// The Shopify and Postscript exports of the report tests' client acme, whose figures
// test/integration/report.test.ts computes by hand; the browser tests render the same orders.

// Four Shopify orders in July (one cancelled, one refunded in part, one with two line items), one in August.
export const ACME_SHOPIFY = `Name,Id,Created at,Currency,Total,Lineitem name,Cancelled at,Refunded Amount
#1001,5001,2026-07-05T10:00:00Z,USD,1200.00,Candle,,
#1001,,,,,Soap,,
#1002,5002,2026-07-10T12:00:00Z,USD,80.50,Candle,,10.00
#1003,5003,2026-07-20T09:00:00Z,USD,45.25,Soap,2026-07-21T09:00:00Z,
#1005,5005,2026-07-25T09:00:00Z,USD,300.00,Candle,,
#1004,5004,2026-08-02T15:00:00Z,USD,99.99,Candle,,
`;

export const ACME_POSTSCRIPT = `Order Date,Order Number,Order ID,Revenue,Attribution Type,Message ID,Sent At,Clicked At
2026-07-05T10:00:00Z,#1001,5001,1200.00,click,ps-1,2026-07-05T08:00:00Z,2026-07-05T09:00:00Z
2026-07-10T12:00:00Z,#1002,5002,80.50,view,ps-2,2026-07-10T11:00:00Z,
2026-07-20T09:00:00Z,#1003,5003,45.25,click,ps-3,2026-07-19T09:00:00Z,2026-07-19T10:00:00Z
2026-08-02T15:00:00Z,#1004,5004,99.99,view,ps-4,2026-08-02T14:00:00Z,
`;
