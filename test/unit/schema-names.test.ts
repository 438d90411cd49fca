// A warehouse file named like one of the warehouse's schemas is refused (location.ts): the list it checks
// must hold every schema the project writes.
import { describe, expect, it } from 'vitest';
import { compileProject, SOURCE_SCHEMAS } from '../../src/models/compile.js';
import { PARTS_SCHEMA } from '../../src/models/parts.js';
import { PREVIOUS_SCHEMA } from '../../src/models/run.js';
import { refuseSchemaName, SCHEMA_NAMES } from '../../src/warehouse/location.js';
import { ROOT } from '../helpers.js';

describe('warehouse file names', () => {
  it('knows every schema the project keeps', () => {
    const project = compileProject(ROOT);
    const schemas = new Set([...project.nodes.map((node) => node.schema), ...SOURCE_SCHEMAS, PARTS_SCHEMA, PREVIOUS_SCHEMA, 'main']);
    for (const schema of schemas) expect(SCHEMA_NAMES, schema).toContain(schema);
  });

  it('refuses a file whose name up to its first dot is a schema, in any case, and no other', () => {
    expect(() => refuseSchemaName('/w/marts.duckdb')).toThrow(/would be the database "marts"/);
    expect(() => refuseSchemaName('/w/RAW.2026.duckdb')).toThrow(/would be the database "RAW"/);
    expect(() => refuseSchemaName('/w/staging')).toThrow(/"staging"/);
    for (const fine of ['/marts/warehouse.duckdb', '/w/marts-2026.duckdb', '/w/acme.marts.duckdb', '/w/warehouse.duckdb']) {
      expect(() => refuseSchemaName(fine), fine).not.toThrow();
    }
  });
});
