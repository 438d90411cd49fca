#!/usr/bin/env node
// Rewrites the tables of docs/formats.md that are generated from the export formats' declarations (each
// between <!-- format:<platform>:<columns or column> --> and <!-- /format -->): `npm run docs:formats`.
// Run it after changing a declaration; test/unit/format-docs.test.ts fails until it has been.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteFormatDocs } from '../dist/ingest/format-docs.js';
import { FORMATS } from '../dist/ingest/registry.js';

const page = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'formats.md');
const { page: rewritten, missing, unknown } = rewriteFormatDocs(readFileSync(page, 'utf8'), Object.values(FORMATS));
writeFileSync(page, rewritten);
for (const name of unknown) process.stderr.write(`docs/formats.md: no format declares the block ${name}\n`);
for (const name of missing) process.stderr.write(`docs/formats.md: add the block <!-- format:${name} --> <!-- /format --> where its table belongs\n`);
process.exitCode = missing.length + unknown.length > 0 ? 1 : 0;
