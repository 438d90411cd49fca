import type { Command } from 'commander';
import type { UploadState } from '../warehouse/uploads.js';
import { globals, print } from './common.js';

function describe(upload: UploadState): string {
  const window = upload.givenWindow ? `${upload.givenWindow.from} .. ${upload.givenWindow.to}` : 'window from its rows';
  const state = upload.removedAt === null ? 'active' : 'removed';
  const rows = `${upload.rows} row${upload.rows === 1 ? '' : 's'}`;
  return (
    `  upload ${String(upload.uploadId).padStart(4)}  ${state.padEnd(7)}  ${upload.platform.padEnd(10)} ${rows.padStart(12)}  ` +
    `${window.padEnd(24)} imported ${upload.importedAt}  ${upload.fileName}` +
    (upload.removedAt === null ? '' : `  (removed ${upload.removedAt})`)
  );
}

export function registerUpload(program: Command): void {
  const upload = program.command('upload').description('the uploads and their state; remove a wrong import, or restore it');
  upload
    .command('list')
    .description('list the uploads with their state (active or removed)')
    .option('--client <id>', 'only this client')
    .action(async (options: { client?: string }, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const [{ listUploads }, { withWarehouse }] = await Promise.all([import('../warehouse/uploads.js'), import('../warehouse/db.js')]);
      const uploads = await withWarehouse(dbPath, { readOnly: true, waitSeconds, onWait, currentSchema: true }, (warehouse) => listUploads(warehouse, options.client));
      if (uploads.length === 0) print(options.client === undefined ? 'no uploads yet' : `no uploads for client ${options.client}`);
      let client = '';
      for (const state of uploads) {
        if (state.clientId !== client) {
          client = state.clientId;
          print(`client ${client}`);
        }
        print(describe(state));
      }
    });
  const change = (removed: boolean) => async (id: string, _options: unknown, command: Command) => {
    const { dbPath, waitSeconds, onWait } = globals(command);
    const [{ parseUploadId, setUploadRemoved }, { withWarehouse }] = await Promise.all([
      import('../warehouse/uploads.js'),
      import('../warehouse/db.js'),
    ]);
    const uploadId = parseUploadId(id);
    const { upload: state, changed } = await withWarehouse(dbPath, { waitSeconds, onWait }, (warehouse) =>
      setUploadRemoved(warehouse, uploadId, removed),
    );
    const what = `upload ${uploadId} (${state.platform} ${state.fileName} of client ${state.clientId})`;
    if (!changed) {
      print(removed ? `upload ${uploadId} was already removed (${state.removedAt}); nothing to do` : `upload ${uploadId} is not removed; nothing to do`);
      return;
    }
    print(
      removed
        ? `${what} removed: the next build treats it as never imported; its rows are kept, and \`lasttouch upload restore ${uploadId}\` brings it back`
        : `${what} restored: the next build counts it again`,
    );
    print('  run `lasttouch build` to bring the marts up to date');
  };
  upload
    .command('remove')
    .description('take an upload out of every later build, as if it had never been imported (its rows are kept)')
    .argument('<id>', 'upload id, as `upload list` shows it')
    .addHelpText('after', '\nExample:\n  lasttouch upload remove 12 && lasttouch build')
    .action(change(true));
  upload
    .command('restore')
    .description('bring a removed upload back into every later build')
    .argument('<id>', 'upload id, as `upload list` shows it')
    .action(change(false));
}
