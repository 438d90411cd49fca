#!/usr/bin/env node
// One measured step of the benchmark (scripts/bench.mjs), run in a process of its own so that its peak
// memory is its own. Prints one JSON object on stdout. Uses the compiled code under dist/.
//
//   node scripts/bench-child.mjs import DB PLATFORM FILE CLIENT [FROM TO]
//        the import (as `lasttouch import` does it, from opening the warehouse to closing it), then, in
//        the same process, DuckDB's own load of the same file: CREATE TABLE ... AS SELECT * FROM
//        read_csv(...) with the column types DuckDB detects, given explicitly, into a scratch database,
//        and a CHECKPOINT
//   node scripts/bench-child.mjs imports DB JSON
//        several imports in a row, in this one process (JSON: [{platform, file, client, from?, to?}])
//   node scripts/bench-child.mjs build DB [--full-refresh]
//        the model runner, as `lasttouch build` runs it
//   node scripts/bench-child.mjs bare DB
//        the same statements as the runner, back to back on one connection in one transaction, without it
import { rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { importFile } from '../dist/ingest/upload.js';
import { compileProject } from '../dist/models/compile.js';
import { runBuild, statementFor } from '../dist/models/run.js';
import { Warehouse } from '../dist/warehouse/db.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [task, ...args] = process.argv.slice(2);

const seconds = (from) => (performance.now() - from) / 1000;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

async function importStep([db, platform, file, clientId, from, to]) {
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
  rmSync(scratch, { force: true });
  const instance = await DuckDBInstance.create(scratch);
  const connection = await instance.connect();
  const literal = `'${file.replace(/'/g, "''")}'`;
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv(${literal})`)).getRowObjects();
  const columns = described
    .map((row) => `'${String(row.column_name).replace(/'/g, "''")}': '${String(row.column_type)}'`)
    .join(', ');
  const nativeStarted = performance.now();
  await connection.run(`CREATE TABLE loaded AS SELECT * FROM read_csv(${literal}, header = true, columns = {${columns}}, auto_detect = false)`);
  // The import's time includes writing its rows into the database file (the checkpoint when the warehouse
  // closes); this is the same for DuckDB's own load.
  await connection.run('CHECKPOINT');
  const nativeSeconds = seconds(nativeStarted);
  connection.closeSync();
  instance.closeSync();
  rmSync(scratch, { force: true });
  rmSync(`${scratch}.wal`, { force: true });
  return { importSeconds, nativeSeconds, rssMb, rows: summary.rows, reader: upload?.reader ?? null, status: summary.status };
}

async function importsStep([db, json]) {
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

async function buildStep([db, flag]) {
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

async function bareStep([db]) {
  const project = compileProject(ROOT);
  const started = performance.now();
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  await connection.run('BEGIN TRANSACTION');
  for (const schema of new Set(project.nodes.map((node) => node.schema))) {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  }
  if (project.macros !== '') await connection.run(project.macros);
  for (const node of project.nodes) await connection.run(statementFor(node));
  for (const test of project.tests) await connection.runAndReadAll(`SELECT * FROM (${test.body}) AS failing LIMIT 5`);
  await connection.run('COMMIT');
  connection.closeSync();
  instance.closeSync();
  return { seconds: seconds(started), statements: project.nodes.length + project.tests.length, rssMb: peakRssMb() };
}

const steps = { import: importStep, imports: importsStep, build: buildStep, bare: bareStep };
if (!steps[task]) {
  process.stderr.write('usage: node scripts/bench-child.mjs import|imports|build|bare DB ...\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await steps[task](args))}\n`);
