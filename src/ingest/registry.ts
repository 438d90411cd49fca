// The export formats by platform, and a hint when a file looks like another platform's export.
import { matchHeaders, type FormatDefinition, type Platform } from './format.js';
import { klaviyoFormat } from './formats/klaviyo.js';
import { postscriptFormat } from './formats/postscript.js';
import { shopifyFormat } from './formats/shopify.js';

export const FORMATS: Readonly<Record<Platform, FormatDefinition>> = {
  postscript: postscriptFormat,
  klaviyo: klaviyoFormat,
  shopify: shopifyFormat,
};

/** The store's own orders, which every claim is reconciled against: the one format of kind 'orders'. */
export const ORDERS_FORMAT: FormatDefinition = (() => {
  const orders = Object.values(FORMATS).filter((format) => format.kind === 'orders');
  if (orders.length !== 1 || !orders[0]) throw new Error('exactly one export format holds the store\'s orders');
  return orders[0];
})();

/** The end of a missing-column message: which import a file of another format wants, else --columns. */
export function otherFormatHint(headers: readonly string[], format: FormatDefinition): string {
  for (const other of Object.values(FORMATS)) {
    if (other === format) continue;
    const match = matchHeaders(headers, other);
    if (match.missing.length === 0 && match.columns.size >= 4) {
      return ` This looks like a ${other.label}: import it with \`lasttouch import ${other.platform}\`.`;
    }
  }
  return ' If your export names it differently, map it with --columns MAP.json (canonical name -> header).';
}

