// DuckDB's Node client (@duckdb/node-api) as one CommonJS file, dist/vendor/duckdb-node-api.cjs, with a
// stamp of the version it was made from beside it. Run by `npm run build` after tsc.
//
// Why: the client is 181 small CommonJS files, and every lasttouch process loads all of them. Resolving
// and compiling them one by one costs about 55 ms per process; the one file loads in about 30 ms. That is a
// tenth of a build with nothing to do. src/warehouse/duckdb.ts loads this file when it was made from the
// client installed beside it, and the client itself otherwise. The native part (@duckdb/node-bindings)
// stays outside the bundle: it is loaded from where npm installed it.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const main = require.resolve('@duckdb/node-api');
const { version } = JSON.parse(readFileSync(require.resolve('@duckdb/node-api/package.json'), 'utf8'));
const out = join(root, 'dist', 'vendor');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [main],
  outfile: join(out, 'duckdb-node-api.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@duckdb/node-bindings'],
  banner: { js: `// @duckdb/node-api ${version} in one file, made by scripts/bundle-duckdb.mjs (MIT licence, DuckDB Labs).` },
  logLevel: 'warning',
});
writeFileSync(join(out, 'duckdb-node-api.json'), `${JSON.stringify({ version })}\n`);
