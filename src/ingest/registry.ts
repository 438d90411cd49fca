// The export formats by platform, and a hint when a file looks like another platform's export.
import { matchHeaders, type FormatDefinition, type Platform } from './format.js';
import { klaviyoFormat } from './klaviyo.js';
import { postscriptFormat } from './postscript.js';
import { shopifyFormat } from './shopify.js';

export const FORMATS: Readonly<Record<Platform, FormatDefinition>> = {
  postscript: postscriptFormat,
  klaviyo: klaviyoFormat,
  shopify: shopifyFormat,
};

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

