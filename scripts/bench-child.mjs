#!/usr/bin/env node
// One measured step of the benchmark (scripts/bench.mjs), run in a process of its own so that its peak
// memory is its own. Prints one JSON object on stdout. Uses the compiled code under dist/ (loaded only by
// the steps that need it: `native` and `bare` with a statements file load DuckDB alone, so that what they
// cost as processes is DuckDB's, not lasttouch's).
//
//   node scripts/bench-child.mjs import DB PLATFORM FILE CLIENT [FROM TO]
//        the import (as `lasttouch import` does it, from opening the warehouse to closing it), then, in
//        the same process, DuckDB's own load of the same file (as `native` below)
//   node scripts/bench-child.mjs imports DB JSON
//        several imports in a row, in this one process (JSON: [{platform, file, client, from?, to?}])
//   node scripts/bench-child.mjs columns JSON
//        the column types DuckDB detects in each file of the JSON list of paths: {path: "'name': 'TYPE', ..."}
//   node scripts/bench-child.mjs native FILE SCRATCH COLUMNS
//        DuckDB's own load of one file, and nothing else: CREATE TABLE ... AS SELECT * FROM read_csv(...)
//        with the column types of `columns` (COLUMNS, its text for the file) given explicitly, into a new
//        database SCRATCH, and a CHECKPOINT; run under /usr/bin/time by the benchmark
//   node scripts/bench-child.mjs uploads DB
//        the uploads of the warehouse, in order: {uploads: [{file_name, platform, rows, reader}]}
//   node scripts/bench-child.mjs statements OUT
//        writes the statements the model runner runs (schemas, macros, models, data tests) to OUT as JSON
//   node scripts/bench-child.mjs build DB [--full-refresh]
//        the model runner, as `lasttouch build` runs it
//   node scripts/bench-child.mjs bare DB [STATEMENTS]
//        the same statements as the runner, back to back on one connection in one transaction, without it;
//        with STATEMENTS (written by `statements`), DuckDB is all this process loads
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [task, ...args] = process.argv.slice(2);

const seconds = (from) => (performance.now() - from) / 1000;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const literal = (text) => `'${text.replace(/'/g, "''")}'`;

/** The column types DuckDB detects in a file, as the `columns` argument of read_csv. */
async function detectedColumns(connection, file) {
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${literal(file)})`)).getRowObjects();
  return described.map((row) => `${literal(String(row.column_name))}: ${literal(String(row.column_type))}`).join(', ');
}

/** DuckDB's own load of a file into a new database, with the detected types given explicitly; seconds. */
async function nativeLoad(file, scratch, columns) {
  rmSync(scratch, { force: true });
  const instance = await DuckDBInstance.create(scratch);
  const connection = await instance.connect();
  const spec = columns ?? (await detectedColumns(connection, file));
  const started = performance.now();
  await connection.run(`CREATE TABLE loaded AS SELECT * FROM read_csv(${literal(file)}, header = true, columns = {${spec}}, auto_detect = false)`);
  // The import's time includes writing its rows into the database file (the checkpoint when the warehouse
  // closes); this is the same for DuckDB's own load.
  await connection.run('CHECKPOINT');
  const loadSeconds = seconds(started);
  connection.closeSync();
  instance.closeSync();
  return loadSeconds;
}

async function importStep([db, platform, file, clientId, from, to]) {
  const { importFile } = await import('../dist/ingest/upload.js');
  const { Warehouse } = await import('../dist/warehouse/db.js');
  const started = performance.now();
  const warehouse = await Warehouse.open(db);
  const summary = await importFile(warehouse, { platform, file, clientId, ...(from ? { from, to } : {}) });
  const [upload] = await warehouse.all(`SELECT options->>'reader' AS reader FROM meta.uploads WHERE upload_id = $1`, [
    summary.uploadId,
  ]);
  warehouse.close();
  const importSeconds = seconds(started);
  const rssMb = peakRssMb();
  const scratch = `${db}.native-${process.pid}.duckdb`;
  const nativeSeconds = await nativeLoad(file, scratch);
  rmSync(scratch, { force: true });
  rmSync(`${scratch}.wal`, { force: true });
  return { importSeconds, nativeSeconds, rssMb, rows: summary.rows, reader: upload?.reader ?? null, status: summary.status };
}

async function importsStep([db, json]) {
  const { importFile } = await import('../dist/ingest/upload.js');
  const { Warehouse } = await import('../dist/warehouse/db.js');
  const started = performance.now();
  const warehouse = await Warehouse.open(db);
  let rows = 0;
  for (const { platform, file, client, from, to } of JSON.parse(json)) {
    const summary = await importFile(warehouse, { platform, file, clientId: client, ...(from ? { from, to } : {}) });
    rows += summary.rows;
  }
  warehouse.close();
  return { seconds: seconds(started), rows };
}

async function columnsStep([json]) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = {};
  for (const file of JSON.parse(json)) columns[file] = await detectedColumns(connection, file);
  connection.closeSync();
  instance.closeSync();
  return columns;
}

async function nativeStep([file, scratch, columns]) {
  const loadSeconds = await nativeLoad(file, scratch, columns);
  return { loadSeconds, rssMb: peakRssMb() };
}

async function uploadsStep([db]) {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const uploads = (
    await connection.runAndReadAll(
      `SELECT file_name, platform, row_count AS rows, options->>'reader' AS reader FROM meta.uploads ORDER BY upload_id`,
    )
  ).getRowObjects();
  connection.closeSync();
  instance.closeSync();
  return { uploads: uploads.map((row) => ({ ...row, rows: Number(row.rows) })) };
}

/** The statements of the model runner, in its order: schemas, macros, models, then the data tests. */
async function statementList() {
  const { compileProject } = await import('../dist/models/compile.js');
  const { statementFor } = await import('../dist/models/run.js');
  const project = compileProject(ROOT);
  return {
    schemas: [...new Set(project.nodes.map((node) => node.schema))].map((schema) => `CREATE SCHEMA IF NOT EXISTS ${schema}`),
    macros: project.macros,
    models: project.nodes.map((node) => statementFor(node)),
    tests: project.tests.map((test) => `SELECT * FROM (${test.body}) AS failing LIMIT 5`),
  };
}

async function statementsStep([out]) {
  const statements = await statementList();
  writeFileSync(out, JSON.stringify(statements));
  return { statements: statements.models.length + statements.tests.length };
}

async function buildStep([db, flag]) {
  const { compileProject } = await import('../dist/models/compile.js');
  const { runBuild } = await import('../dist/models/run.js');
  const { Warehouse } = await import('../dist/warehouse/db.js');
  const project = compileProject(ROOT);
  const started = performance.now();
  const warehouse = await Warehouse.open(db);
  const result = await runBuild(warehouse, project, { fullRefresh: flag === '--full-refresh' });
  warehouse.close();
  return {
    seconds: seconds(started),
    built: result.built.length,
    updated: result.updated.length,
    unchanged: result.unchanged.length,
    testsFailed: result.tests.filter((test) => test.failures > 0).length,
    rssMb: peakRssMb(),
  };
}

async function bareStep([db, statementsFile]) {
  const statements = statementsFile ? JSON.parse(readFileSync(statementsFile, 'utf8')) : await statementList();
  const started = performance.now();
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  await connection.run('BEGIN TRANSACTION');
  for (const statement of statements.schemas) await connection.run(statement);
  if (statements.macros !== '') await connection.run(statements.macros);
  for (const statement of statements.models) await connection.run(statement);
  for (const statement of statements.tests) await connection.runAndReadAll(statement);
  await connection.run('COMMIT');
  connection.closeSync();
  instance.closeSync();
  return { seconds: seconds(started), statements: statements.models.length + statements.tests.length, rssMb: peakRssMb() };
}

const steps = {
  import: importStep,
  imports: importsStep,
  columns: columnsStep,
  native: nativeStep,
  uploads: uploadsStep,
  statements: statementsStep,
  build: buildStep,
  bare: bareStep,
};
if (!steps[task]) {
  process.stderr.write(`usage: node scripts/bench-child.mjs ${Object.keys(steps).join('|')} ...\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await steps[task](args))}\n`);
