// The raw tables of the export formats, and raw.claim_rows over the claims ones, as the declarations
// under src/ingest/formats/ imply them. A format that shipped with the numbered migrations has its table
// already (test/integration/format-declarations.test.ts holds the two to each other); a format added as a
// declaration file gets its table here, the first time a command writes to the warehouse. The view is
// replaced when the set of claims formats changes, which its comment (a hash of its SQL) tells.
import { createHash } from 'node:crypto';
import { CLAIM_ROWS, claimRowsViewSql } from '../ingest/claim-shape.js';
import { rawTableDdl } from '../ingest/declaration.js';
import { CLAIM_FORMATS, FORMATS } from '../ingest/registry.js';
import type { Warehouse } from './db.js';

const VIEW_SQL = claimRowsViewSql(CLAIM_FORMATS);
const VIEW_MARK = `claim shape ${createHash('sha256').update(VIEW_SQL).digest('hex').slice(0, 16)}`;

export async function ensureFormatTables(warehouse: Warehouse): Promise<void> {
  const [schema, name] = CLAIM_ROWS.split('.') as [string, string];
  const present = await warehouse.all(
    `SELECT 'table' AS kind, table_name AS name, NULL AS comment FROM duckdb_tables() WHERE schema_name = 'raw'
     UNION ALL
     SELECT 'view', view_name, comment FROM duckdb_views() WHERE schema_name = $1 AND view_name = $2`,
    [schema, name],
  );
  const tables = new Set(present.filter((row) => row.kind === 'table').map((row) => String(row.name)));
  const missing = Object.values(FORMATS).filter((format) => !tables.has(format.rawTable));
  const view = present.find((row) => row.kind === 'view');
  if (missing.length === 0 && view?.comment === VIEW_MARK) return;
  await warehouse.transaction(async () => {
    for (const format of missing) await warehouse.run(rawTableDdl(format));
    await warehouse.run(VIEW_SQL);
    await warehouse.run(`COMMENT ON VIEW ${CLAIM_ROWS} IS '${VIEW_MARK}'`);
  });
}
