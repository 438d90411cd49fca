// The embedded default job: the demo exports under seeds/demo/ go into a fresh demo warehouse, are
// built and rendered, exactly as the monthly job does with real exports.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Platform } from '../ingest/format.js';
import { importFile } from '../ingest/upload.js';
import { compileProject } from '../models/compile.js';
import { runBuild } from '../models/run.js';
import { BuildFailedError } from '../models/errors.js';
import { projectRoot } from '../project.js';
import { renderReports } from '../report/render.js';
import { ensureClient, type ClientChanges } from '../warehouse/clients.js';
import { withWarehouse } from '../warehouse/db.js';
import { printImportSummary } from './import.js';
import { print } from './common.js';

interface DemoManifest {
  clients: {
    id: string;
    settings: ClientChanges;
    imports: { platform: Platform; file: string; from?: string; to?: string; excludeViewOnly?: boolean }[];
  }[];
}

export async function runDemo(outDir: string): Promise<{ warehousePath: string; indexPath: string }> {
  const root = projectRoot();
  const demoDir = join(root, 'seeds', 'demo');
  const manifest = JSON.parse(readFileSync(join(demoDir, 'demo.json'), 'utf8')) as DemoManifest;
  const warehousePath = resolve(outDir, 'demo.duckdb');
  // The demo warehouse is the demo's own: start it afresh every time.
  await withWarehouse(warehousePath, { fresh: true }, async (warehouse) => {
    for (const client of manifest.clients) {
      await ensureClient(warehouse, client.id, client.settings);
      for (const upload of client.imports) {
        const summary = await importFile(warehouse, {
          platform: upload.platform,
          file: join(demoDir, upload.file),
          clientId: client.id,
          from: upload.from,
          to: upload.to,
          excludeViewOnly: upload.excludeViewOnly,
        });
        printImportSummary(summary, { buildHint: false });
      }
    }
    const result = await runBuild(warehouse, compileProject(root));
    if (result.heldBack.length > 0) {
      throw new BuildFailedError(`the demo data fails data tests for ${result.heldBack.map((client) => client.clientId).join(', ')}`);
    }
    print(`build ${result.buildId}: ${result.built.length} models built; data tests: ${result.tests.length} passed`);
  });
  const { indexPath, pages } = await renderReports({ dbPath: warehousePath, outDir: resolve(outDir, 'reports') });
  print(`reports: ${pages.length} page${pages.length === 1 ? '' : 's'}`);
  return { warehousePath, indexPath };
}
