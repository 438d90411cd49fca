// A platform added as one declaration file (src/ingest/formats/attentive.ts) is known to the command line:
// `import --help` lists it among the platforms, and `client set --platform-priority` takes it. The rest of
// the scenario (its claims in last touch, the marts, the refusal of a bad file, the monthly inbox) is data,
// in cases/new-platform.scenario. These two checks are of the command line process, its help text and its
// exit status, which are not steps of a warehouse's story (see cases.test.ts).
import { afterAll, expect, test } from 'vitest';
import { cli, TestWarehouse } from '../helpers.js';

const warehouse = new TestWarehouse();

afterAll(() => warehouse.cleanup());

test('the command line knows Attentive: import lists it, client set takes it as a platform priority', () => {
  const help = cli(['import', '--help']);
  expect(help.stdout).toContain('attentive | klaviyo | postscript | shopify');
  const priority = cli(['--db', warehouse.path, 'client', 'set', 'acme', '--platform-priority', 'attentive,klaviyo']);
  expect(priority.status, priority.stderr).toBe(0);
});
