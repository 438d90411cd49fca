import type { Command } from 'commander';
import { BuildFailedError } from '../models/errors.js';
import { globals, print } from './common.js';

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('run the SQL models under sql/ in dependency order, then their data tests')
    .option('--select <spec>', 'models to run: name, +name (with ancestors), name+ (with descendants); comma-separated')
    .option('--full-refresh', 'rebuild the selected models even when their fingerprint is unchanged')
    .addHelpText('after', '\nExamples:\n  lasttouch build\n  lasttouch build --select revenue_summary+ --full-refresh')
    .action(async (options: { select?: string; fullRefresh?: boolean }, command: Command) => {
      const { dbPath, waitSeconds } = globals(command);
      const [{ compileProject }, { runBuild, describeFailures }, { projectRoot }, { withWarehouse }] = await Promise.all([
        import('../models/compile.js'),
        import('../models/run.js'),
        import('../project.js'),
        import('../warehouse/db.js'),
      ]);
      const project = compileProject(projectRoot());
      const result = await withWarehouse(dbPath, { waitSeconds }, (warehouse) =>
        runBuild(warehouse, project, {
          select: options.select,
          fullRefresh: options.fullRefresh === true,
          onModel: (event) => {
            if (event.action === 'built') print(`  built     ${event.id.padEnd(40)} ${String(event.rows).padStart(9)} rows  ${event.milliseconds} ms`);
            else if (event.action === 'updated') {
              const clients = event.clients ?? [];
              print(
                `  updated   ${event.id.padEnd(40)} ${String(event.rows).padStart(9)} rows  ${event.milliseconds} ms  (client${clients.length === 1 ? '' : 's'} ${clients.join(', ')})`,
              );
            }
            else if (event.action === 'unchanged') print(`  unchanged ${event.id}`);
          },
          onHoldBack: (clients) =>
            print(
              `  data tests failed for client${clients.length === 1 ? '' : 's'} ${clients.join(', ')}: building again, keeping ${clients.length === 1 ? 'its' : 'their'} marts as they were`,
            ),
        }),
      );
      const passed = result.tests.filter((test) => test.failures === 0).length;
      print(
        `build ${result.buildId}: ${result.built.length} model${result.built.length === 1 ? '' : 's'} built` +
          (result.updated.length > 0 ? ` (${result.updated.length} for the changed clients only)` : '') +
          `, ${result.unchanged.length} unchanged, ${result.skipped.length} not selected; data tests: ${passed} of ${result.tests.length} passed`,
      );
      if (result.heldBack.length > 0) {
        for (const client of result.heldBack) print(`client ${client.clientId}:\n${describeFailures(client.tests)}`);
        const names = result.heldBack.map((client) => client.clientId).join(', ');
        throw new BuildFailedError(
          `data tests failed for client${result.heldBack.length === 1 ? '' : 's'} ${names}: ` +
            `${result.heldBack.length === 1 ? 'its' : 'their'} marts stay as they were at ${result.heldBack.length === 1 ? 'its' : 'their'} last good build; ` +
            `every other client's marts are published`,
        );
      }
    });
}
