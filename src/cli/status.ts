import type { Command } from 'commander';
import type { Warehouse } from '../warehouse/db.js';
import type { Project } from '../models/compile.js';
import { globals, print } from './common.js';

/** The models whose rules status prints: coverage windows and the gaps between them. */
const STATUS_MODELS = ['dedup.dedup_upload_windows', 'dedup.dedup_coverage_gaps'];

async function printStatus(warehouse: Warehouse, project: Project, clientId: string | undefined): Promise<void> {
  const { previewModels } = await import('../models/preview.js');
  const { listUploads } = await import('../warehouse/uploads.js');
  // Windows and gaps by the models' own rules, on the uploads and settings as they are now, so status
  // says what the next build will use.
  const preview = await previewModels(warehouse, project, STATUS_MODELS, { clients: clientId === undefined ? null : [clientId] });
  const uploads = await listUploads(warehouse, clientId);
  const windows = new Map(
    (
      await warehouse.all(
        `SELECT upload_id, window_from::VARCHAR AS window_from, window_to::VARCHAR AS window_to
         FROM ${preview.relation('dedup.dedup_upload_windows')}`,
      )
    ).map((row) => [Number(row.upload_id), `${row.window_from ?? '-'} .. ${row.window_to ?? '-'}`]),
  );
  const gaps = await warehouse.all(
    `SELECT client_id, platform, gap_from::VARCHAR AS gap_from, gap_to::VARCHAR AS gap_to, days, inferred_edge
     FROM ${preview.relation('dedup.dedup_coverage_gaps')} ORDER BY ALL`,
  );
  if (uploads.length === 0) print(clientId === undefined ? 'no uploads yet' : `no uploads for client ${clientId}`);
  let current = '';
  for (const upload of uploads) {
    const heading = `${upload.clientId} / ${upload.platform}`;
    if (heading !== current) {
      current = heading;
      print(`${heading}`);
      for (const gap of gaps.filter((row) => row.client_id === upload.clientId && row.platform === upload.platform)) {
        print(
          `  gap: no upload covers ${gap.gap_from} .. ${gap.gap_to} (${gap.days} day${Number(gap.days) === 1 ? '' : 's'})` +
            (gap.inferred_edge ? '; a window beside it comes from first and last order dates, so it may be days without orders' : ''),
        );
      }
    }
    const window = upload.removedAt === null ? (windows.get(upload.uploadId) ?? '-') : 'removed'.padEnd(24);
    print(
      `  upload ${String(upload.uploadId).padStart(4)}  ${window}${upload.givenWindow ? '*' : ' '}  ${String(upload.rows).padStart(7)} rows  ${String(upload.orders).padStart(7)} orders  ${upload.importedAt}  ${upload.fileName}` +
        (upload.removedAt === null ? '' : `  (removed ${upload.removedAt}; \`lasttouch upload restore ${upload.uploadId}\` brings it back)`),
    );
  }
  if (uploads.length > 0) print('  (* window given with --from/--to; the others are the first and last order dates of their rows)');
  const { heldBackAtLastBuild, lastBuild } = await import('../warehouse/builds.js');
  const build = await lastBuild(warehouse);
  print();
  if (!build) {
    print('last build: never; run `lasttouch build`');
  } else {
    print(
      `last build: ${build.buildId} at ${build.finished} (${build.modelsRun} models built, ${build.testsRun} data tests run)` +
        (build.changedSince.length > 0 ? `; since then ${build.changedSince.join(', ')}: run \`lasttouch build\`` : ''),
    );
  }
  if (build) {
    for (const [heldClient, failures] of await heldBackAtLastBuild(warehouse)) {
      if (clientId !== undefined && heldClient !== clientId) continue;
      for (const failure of failures) {
        print(
          `  client ${heldClient} held back: data test ${failure.test} failed on ${failure.failingRows} row(s); its marts are those of its last good build`,
        );
      }
    }
    const models = await warehouse.all(
      `SELECT model, version, row_count, strftime(built_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS built FROM meta.model_state ORDER BY model`,
    );
    print('models:');
    for (const model of models) {
      print(`  ${String(model.model).padEnd(40)} v${model.version ?? '-'}  ${String(model.row_count).padStart(8)} rows  built ${model.built}`);
    }
  }
  await printUndelivered(warehouse, clientId);
}

/** The notifications not delivered, addresses masked; the next monthly run retries them. */
async function printUndelivered(warehouse: Warehouse, clientId: string | undefined): Promise<void> {
  const [{ undeliveredMail }, { maskAddress }] = await Promise.all([import('../notify/queue.js'), import('../notify/addresses.js')]);
  const undelivered = await undeliveredMail(warehouse, clientId);
  print();
  if (undelivered.length === 0) {
    print('notifications: every one delivered');
    return;
  }
  print(`notifications not delivered: ${undelivered.length} (the next \`lasttouch monthly\` run retries them)`);
  for (const item of undelivered) {
    const why =
      item.status === 'pending'
        ? 'never attempted: the command that queued it ended before delivering it'
        : `${item.attempts} attempt${item.attempts === 1 ? '' : 's'}, last: ${item.lastError ?? 'unknown'}`;
    print(`  ${String(item.notificationId).padStart(4)}  ${item.createdAt}  ${item.mail.clientId}  ${item.mail.kind} to ${maskAddress(item.mail.to)}: ${why}`);
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('uploads, coverage windows and gaps, last build, model versions, notifications not delivered')
    .option('--client <id>', 'only this client')
    .addHelpText('after', '\nExample:\n  lasttouch status --client acme')
    .action(async (options: { client?: string }, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const [{ withWarehouse }, { compileProject }, { projectRoot }] = await Promise.all([
        import('../warehouse/db.js'),
        import('../models/compile.js'),
        import('../project.js'),
      ]);
      const project = compileProject(projectRoot());
      await withWarehouse(dbPath, { readOnly: true, waitSeconds, onWait, currentSchema: true }, (warehouse) => printStatus(warehouse, project, options.client));
    });
}
