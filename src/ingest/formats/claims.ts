// What every platform's claim export shares: a row names its order by an id, a name or both.
import type { FormatDeclaration } from '../declaration.js';

export const CLAIM_ORDER_KEY: FormatDeclaration['orderKey'] = {
  columns: ['order_id', 'order_name'],
  missing: 'is empty; an order id or order name is required',
};
