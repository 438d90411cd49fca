// What every platform's claim export shares. A claim names an order (by id, name or both), when it was
// placed, what it earned, through which channel and which kind of touch, by which message, and what the
// export says of the touch's time. Each claims format fills these fields from its own columns (a column
// fills the field of its raw name, or the one it declares with `claimField`); raw.claim_rows holds every
// claim table's rows in this one shape, and the models read claims from there only (staging.stg_claims),
// so a platform added as one declaration needs no change to a model.
import {
  rawColumnsOf,
  rawNameOf,
  WRITTEN_TIMESTAMP_TYPE,
  type FormatDeclaration,
} from './declaration.js';
import { sqlLiteral } from '../warehouse/sql-literal.js';

export const CLAIM_ORDER_KEY: FormatDeclaration['orderKey'] = {
  columns: ['order_id', 'order_name'],
  missing: 'is empty; an order id or order name is required',
};

/** The relation that holds every platform's claim rows in the claim shape. */
export const CLAIM_ROWS = 'raw.claim_rows';

export interface ClaimField {
  name: string;
  type: string;
  /** Every claims format fills it (channel: from a column, or the format's one channel). */
  required: boolean;
  /** What it holds, for a person adding a platform. */
  meaning: string;
}

/** The claim shape, in the order of raw.claim_rows' columns (after platform). */
export const CLAIM_FIELDS: readonly ClaimField[] = [
  { name: 'upload_id', type: 'INTEGER', required: true, meaning: 'the upload the row came with' },
  { name: 'line', type: 'INTEGER', required: true, meaning: 'its line in the file' },
  { name: 'order_id', type: 'VARCHAR', required: true, meaning: "the store's order id" },
  { name: 'order_name', type: 'VARCHAR', required: true, meaning: "the store's order name (#1001)" },
  { name: 'order_created_at', type: WRITTEN_TIMESTAMP_TYPE, required: true, meaning: 'when the order was placed' },
  { name: 'revenue', type: 'DECIMAL(18,2)', required: true, meaning: 'the revenue the platform claims' },
  { name: 'currency', type: 'VARCHAR', required: true, meaning: "the revenue's currency (NULL: the client's)" },
  { name: 'channel', type: 'VARCHAR', required: true, meaning: 'sms, email, push, whatsapp' },
  { name: 'touch_type', type: 'VARCHAR', required: true, meaning: 'click, open, view or coupon' },
  { name: 'message_id', type: 'VARCHAR', required: false, meaning: 'the message (campaign, flow message) credited' },
  { name: 'message_name', type: 'VARCHAR', required: false, meaning: "the message's name" },
  { name: 'flow_name', type: 'VARCHAR', required: false, meaning: 'the flow it belongs to (its name when the message has none)' },
  { name: 'clicked_at', type: WRITTEN_TIMESTAMP_TYPE, required: false, meaning: 'when the message was clicked' },
  { name: 'touch_at', type: WRITTEN_TIMESTAMP_TYPE, required: false, meaning: 'when the credited touch happened' },
  { name: 'sent_at', type: WRITTEN_TIMESTAMP_TYPE, required: false, meaning: 'when the message was sent' },
  { name: 'minutes_from_action', type: 'DOUBLE', required: false, meaning: 'minutes from the touch to the order' },
];

export const TOUCH_TYPES = ['click', 'open', 'view', 'coupon'] as const;

/** The raw column of a claims format that fills each field of the claim shape it has a column for. */
export function claimColumns(format: FormatDeclaration): Map<string, string> {
  const fields = new Map<string, string>();
  for (const name of ['upload_id', 'line']) fields.set(name, name);
  for (const column of format.columns) {
    const field = column.claimField ?? rawNameOf(column);
    if (CLAIM_FIELDS.some((candidate) => candidate.name === field) && !fields.has(field)) fields.set(field, rawNameOf(column));
  }
  return fields;
}

/** What is wrong with a claims format's fit to the claim shape; empty when it fits. */
export function claimShapeProblems(format: FormatDeclaration): string[] {
  const problems: string[] = [];
  const filled = claimColumns(format);
  const types = new Map(rawColumnsOf(format).map((column) => [column.name, column.type]));
  for (const column of format.columns) {
    if (column.claimField !== undefined && !CLAIM_FIELDS.some((field) => field.name === column.claimField)) {
      problems.push(`column ${column.canonical} fills claim field ${column.claimField}, which the claim shape does not have`);
    }
  }
  for (const field of CLAIM_FIELDS) {
    const raw = filled.get(field.name);
    if (field.name === 'channel' && (raw === undefined) === (format.channel === undefined)) {
      problems.push(raw === undefined ? 'names no channel: a channel column or the export\'s one channel (channel: \'sms\')' : 'has a channel column and a channel of its own');
      continue;
    }
    if (raw === undefined) {
      if (field.required && field.name !== 'channel') problems.push(`has no column for the claim field ${field.name}`);
      continue;
    }
    const type = types.get(raw);
    if (type !== field.type) problems.push(`its column ${raw} (${type}) cannot be the claim field ${field.name} (${field.type})`);
  }
  const touch = format.columns.find((column) => (column.claimField ?? rawNameOf(column)) === 'touch_type');
  for (const meaning of Object.keys(touch?.choices?.meanings ?? {})) {
    if (!(TOUCH_TYPES as readonly string[]).includes(meaning)) {
      problems.push(`touch type "${meaning}" is not one of ${TOUCH_TYPES.join(', ')}`);
    }
  }
  return problems;
}

/**
 * The view that holds every claims format's rows in the claim shape: a platform's column where it has
 * one, its one channel where it declares it, else NULL. row_hash: 128 bits of every cell of the raw row
 * but its upload and line, so that identical rows of one upload can be told as one claim, and a last
 * tie-break that never depends on where a row stands in its file (staging.stg_claims).
 */
export function claimRowsViewSql(formats: readonly FormatDeclaration[]): string {
  const branches = formats.map((format) => {
    const filled = claimColumns(format);
    const cells = CLAIM_FIELDS.map((field) => {
      const raw = filled.get(field.name);
      if (raw !== undefined) return `r.${raw} AS ${field.name}`;
      if (field.name === 'channel' && format.channel !== undefined) return `${sqlLiteral(format.channel)} AS channel`;
      return `CAST(NULL AS ${field.type}) AS ${field.name}`;
    });
    return [
      `SELECT ${sqlLiteral(format.platform)} AS platform,`,
      ...cells.map((cell) => `    ${cell},`),
      '    (hash(*COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT << 64)',
      "        | hash('identical rows', *COLUMNS(r.* EXCLUDE (upload_id, line)))::UHUGEINT AS row_hash",
      `FROM raw.${format.rawTable} AS r`,
    ].join('\n');
  });
  const body = branches.length > 0 ? branches.join('\nUNION ALL\n') : emptyClaimRows();
  return `CREATE OR REPLACE VIEW ${CLAIM_ROWS} AS\n${body}`;
}

function emptyClaimRows(): string {
  const cells = CLAIM_FIELDS.map((field) => `CAST(NULL AS ${field.type}) AS ${field.name}`);
  return `SELECT CAST(NULL AS VARCHAR) AS platform, ${cells.join(', ')}, CAST(NULL AS UHUGEINT) AS row_hash WHERE false`;
}

