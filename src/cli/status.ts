import type { Command } from 'commander';
import type { Warehouse } from '../warehouse/db.js';
import { globals, print } from './common.js';

async function printStatus(warehouse: Warehouse, clientId: string | undefined): Promise<void> {
  const filter = clientId === undefined ? '' : 'WHERE client_id = $1';
  const params = clientId === undefined ? [] : [clientId];
  const uploads = await warehouse.all(
    `SELECT upload_id, client_id, platform, file_name, row_count, order_count,
            window_from::VARCHAR AS window_from, window_to::VARCHAR AS window_to, window_explicit,
            strftime(imported_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS imported
     FROM meta.uploads ${filter} ORDER BY client_id, platform, upload_id`,
    params,
  );
  // Days between the windows of one client's uploads of one platform that no upload covers.
  const gaps = await warehouse.all(
    `WITH w AS (
       SELECT client_id, platform, window_from, window_to,
              max(window_to) OVER (PARTITION BY client_id, platform ORDER BY window_from, window_to
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_until
       FROM meta.uploads ${filter})
     SELECT client_id, platform, (covered_until + 1)::VARCHAR AS gap_from, (window_from - 1)::VARCHAR AS gap_to
     FROM w WHERE window_from > covered_until + 1 ORDER BY ALL`,
    params,
  );
  if (uploads.length === 0) print(clientId === undefined ? 'no uploads yet' : `no uploads for client ${clientId}`);
  let current = '';
  for (const upload of uploads) {
    const heading = `${upload.client_id} / ${upload.platform}`;
    if (heading !== current) {
      current = heading;
      print(`${heading}`);
      for (const gap of gaps.filter((row) => row.client_id === upload.client_id && row.platform === upload.platform)) {
        print(`  gap: no upload covers ${gap.gap_from} .. ${gap.gap_to}`);
      }
    }
    print(
      `  upload ${String(upload.upload_id).padStart(4)}  ${upload.window_from} .. ${upload.window_to}${upload.window_explicit ? '*' : ' '}  ${String(upload.row_count).padStart(7)} rows  ${String(upload.order_count).padStart(7)} orders  ${upload.imported}  ${upload.file_name}`,
    );
  }
  if (uploads.length > 0) print('  (* window given with --from/--to)');
  const build = await warehouse.one(
    `SELECT build_id, strftime(finished_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS finished, models_run, tests_run,
            (SELECT count(*) FROM meta.uploads u WHERE u.imported_at > b.finished_at) AS newer_uploads
     FROM meta.builds b ORDER BY build_id DESC LIMIT 1`,
  );
  print();
  if (!build) {
    print('last build: never; run `lasttouch build`');
    return;
  }
  print(
    `last build: ${build.build_id} at ${build.finished} (${build.models_run} models built, ${build.tests_run} data tests passed)` +
      (Number(build.newer_uploads) > 0 ? `; ${build.newer_uploads} upload(s) imported since: run \`lasttouch build\`` : ''),
  );
  const models = await warehouse.all(
    `SELECT model, version, row_count, strftime(built_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC') AS built FROM meta.model_state ORDER BY model`,
  );
  print('models:');
  for (const model of models) {
    print(`  ${String(model.model).padEnd(40)} v${model.version ?? '-'}  ${String(model.row_count).padStart(8)} rows  built ${model.built}`);
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('uploads, coverage windows and gaps, last build, model versions')
    .option('--client <id>', 'only this client')
    .addHelpText('after', '\nExample:\n  lasttouch status --client acme')
    .action(async (options: { client?: string }, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const { withWarehouse } = await import('../warehouse/db.js');
      await withWarehouse(dbPath, { readOnly: true, waitSeconds }, (warehouse) => printStatus(warehouse, options.client));
    });
}
