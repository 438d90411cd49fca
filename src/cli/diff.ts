// `lasttouch diff MODEL`: a model's output against its previous version (src/models/diff.ts).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { globals, print } from './common.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description("compare a model's output with the version a rule change replaced: rows added, removed and changed, and the revenue summary's change")
    .argument('<model>', 'the model, as layer.name or name')
    .option('--client <id>', 'only this client')
    .option('--sample <n>', 'rows shown of each kind', '5')
    .option('--json', 'print the comparison as one JSON document on stdout, nothing else')
    .addHelpText(
      'after',
      '\nA build keeps the output a model had when a change to its SQL, or to a model upstream of it, rebuilds\n' +
        'it (in previous.<layer>__<name>, until a later build rebuilds the model again). Rows are matched by\n' +
        "the model's key (its `-- unique:` columns); a model without one is compared row for row.\n\n" +
        'Examples:\n  lasttouch diff attribution_claims\n  lasttouch diff marts.order_attribution --client acme --json',
    )
    .action(async (model: string, options: { client?: string; sample: string; json?: boolean }, command: Command) => {
      const { dbPath, waitSeconds, onWait } = globals(command);
      const sample = Number(options.sample);
      if (!Number.isInteger(sample) || sample < 0) throw new UsageError(`--sample: a whole number of rows, not "${options.sample}"`);
      const [{ compileProject }, { diffModel, describeDiff }, { projectRoot }, { withWarehouse }] = await Promise.all([
        import('../models/compile.js'),
        import('../models/diff.js'),
        import('../project.js'),
        import('../warehouse/db.js'),
      ]);
      const project = compileProject(projectRoot());
      const diff = await withWarehouse(dbPath, { readOnly: true, currentSchema: true, waitSeconds, onWait }, (warehouse) =>
        diffModel(warehouse, project, model, { clientId: options.client, sample }),
      );
      print(options.json === true ? JSON.stringify(diff) : describeDiff(diff));
    });
}
